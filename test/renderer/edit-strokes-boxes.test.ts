import { describe, expect, it } from 'vitest';
import { editorDocumentSchema, maxEditorBoxes, maxStrokePoints, maxStrokesPerLayer } from '../../src-shared/editor';
import { formatInfo } from '../../src-shared/formats';
import {
  addBox,
  addStroke,
  commit,
  documentOf,
  extendPoints,
  redo,
  removeBox,
  snapSize,
  toLayerPoint,
  undo,
  undoStackOf,
  updateBox,
  withLayers,
} from '../../src-renderer/Edit/model';
import type { Box, Content, Layer, Stroke } from '../../src-renderer/Edit/model';

const layerId = '01JAAAAAAAAAAAAAAAAAAAAAA1';
const boxId = '01JAAAAAAAAAAAAAAAAAAAAAB1';
const layer = (over: Partial<Layer> = {}): Layer => ({
  id: layerId,
  kind: 'image',
  name: 'L',
  imageId: layerId,
  width: 200,
  height: 100,
  x: 50,
  y: 20,
  scaleX: 2,
  scaleY: 2,
  visible: true,
  locked: false,
  ...over,
});
const stroke = (over: Partial<Stroke> = {}): Stroke => ({
  mode: 'erase',
  colour: '#000000',
  size: 20,
  hardness: 0.5,
  opacity: 1,
  points: [1, 2, 30, 40],
  ...over,
});
const box = (over: Partial<Box> = {}): Box => ({
  id: boxId,
  x: 0,
  y: 0,
  width: 1024,
  height: 1024,
  prompt: 'a door',
  negativePrompt: '',
  modelId: 'sdxl',
  stylePreset: '',
  count: 2,
  cfgScale: 7,
  steps: 30,
  seed: 0,
  strength: 0.35,
  ...over,
});

describe('strokes', () => {
  it('are kept in the layer’s own pixels, whatever its position and scale', () => {
    expect(toLayerPoint(layer(), { x: 150, y: 120 })).toEqual({ x: 50, y: 50 });
    expect(toLayerPoint(layer(), { x: 50.33, y: 20 })).toEqual({ x: 0.2, y: 0 });
  });

  it('skip points closer than a pixel, and thin out at the limit keeping the last point', () => {
    expect(extendPoints([10, 10], { x: 10.5, y: 10.5 })).toEqual([10, 10]);
    expect(extendPoints([10, 10], { x: 12, y: 10 })).toEqual([10, 10, 12, 10]);
    let points: number[] = [0, 0];
    for (let i = 1; i <= maxStrokePoints * 3; i++) points = extendPoints(points, { x: i * 2, y: 0 });
    expect(points.length).toBeLessThanOrEqual(maxStrokePoints * 2);
    expect(points.slice(-2)).toEqual([maxStrokePoints * 6, 0]);
    expect(points.slice(0, 2)).toEqual([0, 0]);
  });

  it('are one undo step each, refused on a locked or full layer, and a tap is a dot', () => {
    let stack = undoStackOf<Content>({ layers: [layer()], boxes: [] });
    const with1 = addStroke(stack.present.layers, layerId, stroke());
    stack = commit(stack, withLayers(stack.present, with1));
    stack = commit(
      stack,
      withLayers(stack.present, addStroke(stack.present.layers, layerId, stroke({ mode: 'paint', points: [5, 5] }))),
    );
    expect(stack.present.layers[0]?.strokes).toHaveLength(2);
    expect(stack.present.layers[0]?.strokes?.[1]?.points).toEqual([5, 5, 5, 5]);
    stack = undo(stack);
    expect(stack.present.layers[0]?.strokes).toHaveLength(1);
    stack = redo(stack);
    expect(stack.present.layers[0]?.strokes).toHaveLength(2);

    const locked = [layer({ locked: true })];
    expect(addStroke(locked, layerId, stroke())).toBe(locked);
    const full = [layer({ strokes: Array.from({ length: maxStrokesPerLayer }, () => stroke()) })];
    expect(addStroke(full, layerId, stroke())).toBe(full);
  });

  it('are checked by the document schema', () => {
    const good = documentOf({ layers: [layer({ strokes: [stroke()] })], boxes: [] }, undefined);
    expect(editorDocumentSchema.parse(good)).toEqual(good);
    const bad = (s: Partial<Stroke>): boolean =>
      editorDocumentSchema.safeParse(documentOf([layer({ strokes: [stroke(s)] })], undefined)).success;
    expect(bad({ points: [1, 2, 3] })).toBe(false);
    expect(bad({ points: [1] })).toBe(false);
    expect(bad({ points: Array.from({ length: maxStrokePoints * 2 + 2 }, () => 1) })).toBe(false);
    expect(bad({ size: 0 })).toBe(false);
    expect(bad({ hardness: 2 })).toBe(false);
    expect(bad({ colour: 'red' })).toBe(false);
    expect(bad({ points: [Number.NaN, 1] })).toBe(false);
  });
});

describe('dream boxes', () => {
  it('are added, changed and removed as undoable content, and stored with the document', () => {
    let stack = undoStackOf<Content>({ layers: [], boxes: [] });
    stack = commit(stack, addBox(stack.present, box()));
    stack = commit(stack, updateBox(stack.present, boxId, { x: 64, prompt: 'a window' }));
    expect(updateBox(stack.present, boxId, { x: 64 })).toBe(stack.present);
    expect(stack.present.boxes[0]).toMatchObject({ x: 64, prompt: 'a window' });
    expect(undo(stack).present.boxes[0]).toMatchObject({ x: 0, prompt: 'a door' });
    stack = commit(stack, removeBox(stack.present, boxId));
    expect(stack.present.boxes).toEqual([]);
    expect(undo(stack).present.boxes).toHaveLength(1);

    const document = documentOf({ layers: [], boxes: [box()] }, undefined);
    expect(editorDocumentSchema.parse(document)).toEqual(document);
    expect(
      editorDocumentSchema.safeParse(documentOf({ layers: [], boxes: [box({ width: 5000 })] }, undefined)).success,
    ).toBe(false);
    expect(
      editorDocumentSchema.safeParse(documentOf({ layers: [], boxes: [box({ count: 0 })] }, undefined)).success,
    ).toBe(false);
    let many: Content = { layers: [], boxes: [] };
    for (let i = 0; i < maxEditorBoxes + 5; i++)
      many = addBox(many, box({ id: `01JAAAAAAAAAAAAAAAAAAA${String(1000 + i)}` }));
    expect(many.boxes).toHaveLength(maxEditorBoxes);
  });

  it('snap to SDXL’s nine sizes by aspect, or to a range’s step', () => {
    const sdxl = { sizes: formatInfo.stability.sizes.map(([width, height]) => ({ width, height })) };
    expect(snapSize(sdxl, { width: 1000, height: 1010 })).toEqual({ width: 1024, height: 1024 });
    expect(snapSize(sdxl, { width: 1500, height: 600 })).toEqual({ width: 1536, height: 640 });
    expect(snapSize(sdxl, { width: 300, height: 400 })).toEqual({ width: 896, height: 1152 });
    const inpaint = { sizes: [], range: { min: 256, max: 1024, step: 8 } };
    expect(snapSize(inpaint, { width: 301, height: 2000 })).toEqual({ width: 304, height: 1024 });
    expect(snapSize(inpaint, { width: 10, height: 517 })).toEqual({ width: 256, height: 520 });
  });
});
