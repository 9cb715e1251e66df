import { maxEditorBoxes, maxStrokePoints, maxStrokesPerLayer } from '../../src-shared/editor';
import type { EditorBox, EditorDocument, EditorImageLayer, EditorStroke, EditorView } from '../../src-shared/editor';

/**
 * The editor's document as pure functions: every change makes a new document, so undo is
 * keeping the old ones. No React, no Konva, no bridge (tested on its own).
 */

export type Layer = EditorImageLayer;
export type Stroke = EditorStroke;
export type Box = EditorBox;
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

/** Undo and redo over states (layer stacks, or layers and boxes together): past, present, future. */
export interface UndoStack<T = Layers> {
  past: readonly T[];
  present: T;
  future: readonly T[];
}

export const undoStackOf = <T>(present: T): UndoStack<T> => ({ past: [], present, future: [] });

/** Makes `next` the present; the old present becomes undoable, and the redo branch is dropped. */
export const commit = <T>(stack: UndoStack<T>, next: T): UndoStack<T> => {
  if (next === stack.present) return stack;
  const past = [...stack.past, stack.present];
  return { past: past.slice(Math.max(0, past.length - maxUndoSteps)), present: next, future: [] };
};

export const undo = <T>(stack: UndoStack<T>): UndoStack<T> => {
  const previous = stack.past[stack.past.length - 1];
  if (!previous) return stack;
  return { past: stack.past.slice(0, -1), present: previous, future: [stack.present, ...stack.future] };
};

export const redo = <T>(stack: UndoStack<T>): UndoStack<T> => {
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

/** What undo and redo step through: the layers and the dream boxes. */
export interface Content {
  layers: Layers;
  boxes: readonly Box[];
}

/** The document as stored: the layers, the boxes and the view. */
export const documentOf = (content: Layers | Content, view: EditorView | undefined): EditorDocument => {
  const { layers, boxes } = 'layers' in content ? content : { layers: content, boxes: [] };
  return {
    version: 1,
    layers: [...layers],
    ...(boxes.length > 0 ? { boxes: [...boxes] } : {}),
    ...(view ? { view } : {}),
  };
};

/** The same content with other layers (the very same object when they did not change). */
export const withLayers = (content: Content, layers: Layers): Content =>
  layers === content.layers ? content : { ...content, layers };

// Strokes.

/** A canvas point in the layer's own pixels (before its position and scale). */
export const toLayerPoint = (layer: Layer, point: { x: number; y: number }): { x: number; y: number } => ({
  x: Math.round(((point.x - layer.x) / layer.scaleX) * 10) / 10,
  y: Math.round(((point.y - layer.y) / layer.scaleY) * 10) / 10,
});

/**
 * Adds a point to a stroke's flat x, y list: points closer than a pixel to the last are skipped,
 * and a list at the limit keeps every other point (the line's shape stays, its length bounded).
 */
export const extendPoints = (points: readonly number[], point: { x: number; y: number }): number[] => {
  const lastX = points[points.length - 2];
  const lastY = points[points.length - 1];
  if (lastX !== undefined && lastY !== undefined && Math.hypot(point.x - lastX, point.y - lastY) < 1)
    return [...points];
  let next = [...points, point.x, point.y];
  if (next.length > maxStrokePoints * 2) {
    const thinned: number[] = [];
    for (let i = 0; i < next.length; i += 4) thinned.push(next[i] ?? 0, next[i + 1] ?? 0);
    // The newest point always stays the end of the line.
    if (thinned[thinned.length - 2] !== point.x || thinned[thinned.length - 1] !== point.y)
      thinned.push(point.x, point.y);
    next = thinned;
  }
  return next;
};

/** Adds a stroke to a layer; unchanged (the same array) when the layer is gone, locked or full. */
export const addStroke = (layers: Layers, id: string, stroke: Stroke): Layers => {
  const layer = layers.find((l) => l.id === id);
  if (!layer || layer.locked || (layer.strokes?.length ?? 0) >= maxStrokesPerLayer) return layers;
  // A single tap is a dot: the same point twice.
  const points = stroke.points.length === 2 ? [...stroke.points, ...stroke.points] : stroke.points;
  return layers.map((l) => (l.id === id ? { ...l, strokes: [...(l.strokes ?? []), { ...stroke, points }] } : l));
};

// Dream boxes.

export const addBox = (content: Content, box: Box): Content =>
  content.boxes.length >= maxEditorBoxes ? content : { ...content, boxes: [...content.boxes, box] };

export const removeBox = (content: Content, id: string): Content =>
  content.boxes.some((b) => b.id === id) ? { ...content, boxes: content.boxes.filter((b) => b.id !== id) } : content;

export type BoxPatch = Partial<Omit<Box, 'id'>>;

/** Applies `patch` to one box; the very same content when nothing changes. */
export const updateBox = (content: Content, id: string, patch: BoxPatch): Content => {
  const box = content.boxes.find((b) => b.id === id);
  if (!box) return content;
  const changed = (Object.keys(patch) as Array<keyof BoxPatch>).some((key) => patch[key] !== box[key]);
  if (!changed) return content;
  return { ...content, boxes: content.boxes.map((b) => (b.id === id ? { ...b, ...patch } : b)) };
};

/** The sizes a model makes: a list, or any multiple of `step` within a range. */
export interface SizeRule {
  sizes: ReadonlyArray<{ width: number; height: number }>;
  range?: { min: number; max: number; step: number };
}

/**
 * The allowed size nearest to the one asked for: within a range, each side rounded to the step
 * and clamped; from a list, the one nearest in aspect ratio, then in area.
 */
export const snapSize = (
  rule: SizeRule,
  wanted: { width: number; height: number },
): { width: number; height: number } => {
  const { range } = rule;
  if (range) {
    const side = (value: number): number =>
      Math.min(range.max, Math.max(range.min, Math.round(value / range.step) * range.step));
    return { width: side(wanted.width), height: side(wanted.height) };
  }
  const [first] = rule.sizes;
  if (!first) return { width: Math.round(wanted.width), height: Math.round(wanted.height) };
  const ratio = Math.log(Math.max(1, wanted.width) / Math.max(1, wanted.height));
  const area = Math.log(Math.max(1, wanted.width * wanted.height));
  const distance = (s: { width: number; height: number }): number =>
    Math.abs(Math.log(s.width / s.height) - ratio) * 4 + Math.abs(Math.log(s.width * s.height) - area);
  return rule.sizes.reduce((best, s) => (distance(s) < distance(best) ? s : best), first);
};
