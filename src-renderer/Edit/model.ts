import type { EditorDocument, EditorImageLayer, EditorView } from '../../src-shared/editor';

/**
 * The editor's document as pure functions: every change makes a new document, so undo is
 * keeping the old ones. No React, no Konva, no bridge (tested on its own).
 */

export type Layer = EditorImageLayer;
export type { EditorDocument, EditorView };

/** The layers' part of a document: what undo and redo step through (the view is not an edit). */
export type Layers = readonly Layer[];

export const maxUndoSteps = 100;

/** A layer's changeable properties. */
export type LayerPatch = Partial<Pick<Layer, 'name' | 'x' | 'y' | 'scaleX' | 'scaleY' | 'visible' | 'locked'>>;

export const addLayer = (layers: Layers, layer: Layer): Layers => [...layers, layer];

export const removeLayer = (layers: Layers, id: string): Layers => layers.filter((layer) => layer.id !== id);

/** Applies `patch` to one layer; the very same array when nothing changes (so no empty undo step). */
export const updateLayer = (layers: Layers, id: string, patch: LayerPatch): Layers => {
  const layer = layers.find((l) => l.id === id);
  if (!layer) return layers;
  const changed = (Object.keys(patch) as Array<keyof LayerPatch>).some((key) => patch[key] !== layer[key]);
  if (!changed) return layers;
  return layers.map((l) => (l.id === id ? { ...l, ...patch } : l));
};

/** Moves a layer up (over the next one) or down in the stack; unchanged at either end. */
export const moveLayer = (layers: Layers, id: string, direction: 'up' | 'down'): Layers => {
  const from = layers.findIndex((l) => l.id === id);
  const to = direction === 'up' ? from + 1 : from - 1;
  if (from === -1 || to < 0 || to >= layers.length) return layers;
  const next = [...layers];
  const [moved] = next.splice(from, 1);
  if (moved) next.splice(to, 0, moved);
  return next;
};

/** A name for a new layer: the given one, trimmed and shortened, or "Layer N". */
export const layerName = (wanted: string, layers: Layers): string => {
  const name = wanted.replace(/\s+/g, ' ').trim();
  if (name) return name.length > 80 ? `${name.slice(0, 79)}…` : name;
  return `Layer ${layers.length + 1}`;
};

/** Undo and redo over layer stacks: past, present, future. */
export interface UndoStack {
  past: readonly Layers[];
  present: Layers;
  future: readonly Layers[];
}

export const undoStackOf = (present: Layers): UndoStack => ({ past: [], present, future: [] });

/** Makes `next` the present; the old present becomes undoable, and the redo branch is dropped. */
export const commit = (stack: UndoStack, next: Layers): UndoStack => {
  if (next === stack.present) return stack;
  const past = [...stack.past, stack.present];
  return { past: past.slice(Math.max(0, past.length - maxUndoSteps)), present: next, future: [] };
};

export const undo = (stack: UndoStack): UndoStack => {
  const previous = stack.past[stack.past.length - 1];
  if (!previous) return stack;
  return { past: stack.past.slice(0, -1), present: previous, future: [stack.present, ...stack.future] };
};

export const redo = (stack: UndoStack): UndoStack => {
  const [next, ...rest] = stack.future;
  if (!next) return stack;
  return { past: [...stack.past, stack.present], present: next, future: rest };
};

/** The box around the visible layers, in canvas pixels; undefined when none is visible. */
export const boundsOf = (layers: Layers): { x: number; y: number; width: number; height: number } | undefined => {
  const visible = layers.filter((l) => l.visible);
  if (visible.length === 0) return undefined;
  const left = Math.min(...visible.map((l) => l.x));
  const top = Math.min(...visible.map((l) => l.y));
  const right = Math.max(...visible.map((l) => l.x + l.width * l.scaleX));
  const bottom = Math.max(...visible.map((l) => l.y + l.height * l.scaleY));
  return { x: left, y: top, width: right - left, height: bottom - top };
};

export const minZoom = 0.02;
export const maxZoom = 32;
const clampZoom = (scale: number): number => Math.min(maxZoom, Math.max(minZoom, scale));

/** Zooms by `factor` keeping the canvas point under `pointer` (screen pixels in the stage) in place. */
export const zoomAround = (view: EditorView, pointer: { x: number; y: number }, factor: number): EditorView => {
  const scale = clampZoom(view.scale * factor);
  const canvasX = (pointer.x - view.x) / view.scale;
  const canvasY = (pointer.y - view.y) / view.scale;
  return { scale, x: pointer.x - canvasX * scale, y: pointer.y - canvasY * scale };
};

/** The view that shows the visible layers whole, centred in a stage of `size`, at most at 100 %. */
export const fitView = (layers: Layers, size: { width: number; height: number }, margin = 40): EditorView => {
  const box = boundsOf(layers);
  if (!box || size.width <= 0 || size.height <= 0) return { x: size.width / 2, y: size.height / 2, scale: 1 };
  const scale = clampZoom(
    Math.min(1, (size.width - 2 * margin) / box.width, (size.height - 2 * margin) / box.height) || 1,
  );
  return {
    scale,
    x: size.width / 2 - (box.x + box.width / 2) * scale,
    y: size.height / 2 - (box.y + box.height / 2) * scale,
  };
};

/** 100 %: one image pixel per screen pixel, keeping the stage's centre where it is. */
export const actualSizeView = (view: EditorView, size: { width: number; height: number }): EditorView =>
  zoomAround(view, { x: size.width / 2, y: size.height / 2 }, 1 / view.scale);

/** Where a new layer of `width` × `height` goes: centred on what the view shows. */
export const centredAt = (
  view: EditorView,
  size: { width: number; height: number },
  width: number,
  height: number,
): { x: number; y: number } => ({
  x: Math.round((size.width / 2 - view.x) / view.scale - width / 2),
  y: Math.round((size.height / 2 - view.y) / view.scale - height / 2),
});

/** The document as stored: the layers and the view. */
export const documentOf = (layers: Layers, view: EditorView | undefined): EditorDocument => ({
  version: 1,
  layers: [...layers],
  ...(view ? { view } : {}),
});
