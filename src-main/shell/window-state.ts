import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomicSync } from '../core/fs-atomic';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the shell knows of a display (a subset of Electron's `Display`). */
export interface DisplayInfo {
  id: number;
  bounds: Rect;
  workArea: Rect;
  scaleFactor: number;
}

const rectSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
const placeSchema = z.object({ bounds: rectSchema, maximized: z.boolean() });
export type WindowPlace = z.infer<typeof placeSchema>;

const fileSchema = z.object({
  /** The display set the window was last closed on. */
  last: z.string().optional(),
  /** Per display set (which monitors are connected and how): where the window was. */
  places: z.record(z.string(), placeSchema),
});
export type WindowStateFile = z.infer<typeof fileSchema>;

export const defaultSize = { width: 1440, height: 920 };
export const minimumSize = { width: 900, height: 600 };

/** Names a set of displays by their geometry and scale: the same monitors arranged the same way. */
export const displaySetKey = (displays: DisplayInfo[]): string =>
  displays
    .map((d) => `${d.bounds.x},${d.bounds.y},${d.bounds.width}x${d.bounds.height}@${d.scaleFactor}`)
    .sort()
    .join(';');

const overlap = (a: Rect, b: Rect): number =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

const centred = (area: Rect, width: number, height: number): Rect => {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return {
    x: area.x + Math.round((area.width - w) / 2),
    y: area.y + Math.round((area.height - h) / 2),
    width: w,
    height: h,
  };
};

/** `rect` moved (and shrunk if need be) to lie wholly inside `area`. */
const inside = (rect: Rect, area: Rect): Rect => {
  const width = Math.min(Math.max(rect.width, Math.min(minimumSize.width, area.width)), area.width);
  const height = Math.min(Math.max(rect.height, Math.min(minimumSize.height, area.height)), area.height);
  return {
    x: Math.min(Math.max(rect.x, area.x), area.x + area.width - width),
    y: Math.min(Math.max(rect.y, area.y), area.y + area.height - height),
    width,
    height,
  };
};

/**
 * Where to open the window: where it was on this set of displays (or, on a set never seen, where
 * it was last), kept on a display that is there now; otherwise the default size, centred on the
 * primary display. A window whose display was removed comes back on the display it overlaps most,
 * or the primary one, and never larger than that display's work area.
 */
export const placeWindow = (state: WindowStateFile, displays: DisplayInfo[], primary: DisplayInfo): WindowPlace => {
  const key = displaySetKey(displays);
  const saved = state.places[key] ?? (state.last !== undefined ? state.places[state.last] : undefined);
  if (!saved) return { bounds: centred(primary.workArea, defaultSize.width, defaultSize.height), maximized: false };
  let best: DisplayInfo | undefined;
  let bestOverlap = 0;
  for (const d of displays) {
    const o = overlap(saved.bounds, d.workArea);
    if (o > bestOverlap) {
      best = d;
      bestOverlap = o;
    }
  }
  const area = (best ?? primary).workArea;
  const bounds = best
    ? inside(saved.bounds, area)
    : centred(area, Math.max(saved.bounds.width, minimumSize.width), Math.max(saved.bounds.height, minimumSize.height));
  return { bounds, maximized: saved.maximized };
};

/** The file with `place` remembered for this set of displays. */
export const rememberPlace = (state: WindowStateFile, displays: DisplayInfo[], place: WindowPlace): WindowStateFile => {
  const key = displaySetKey(displays);
  return { last: key, places: { ...state.places, [key]: place } };
};

/** Reads `window-state.json`; a missing or damaged file is an empty one (the window opens at its default). */
export const readWindowState = (file: string): WindowStateFile => {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
    console.warn(`Window state in ${file} is not readable; the window opens at its default place.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      console.warn(`Window state in ${file} is not readable; the window opens at its default place.`);
  }
  return { places: {} };
};

/** Written as the window closes (synchronously: the app may be quitting). */
export const writeWindowState = (file: string, state: WindowStateFile): void =>
  writeFileAtomicSync(file, JSON.stringify(state));
