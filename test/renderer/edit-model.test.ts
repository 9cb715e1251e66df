import { describe, expect, it } from 'vitest';
import { editorDocumentSchema } from '../../src-shared/editor';
import {
  actualSizeView,
  addLayer,
  boundsOf,
  centredAt,
  commit,
  documentOf,
  fitView,
  layerName,
  maxUndoSteps,
  moveLayer,
  redo,
  removeLayer,
  undo,
  undoStackOf,
  updateLayer,
  zoomAround,
} from '../../src-renderer/Edit/model';
import type { Layer, Layers } from '../../src-renderer/Edit/model';

const ids = ['01JAAAAAAAAAAAAAAAAAAAAAA1', '01JAAAAAAAAAAAAAAAAAAAAAA2', '01JAAAAAAAAAAAAAAAAAAAAAA3'];
const layer = (n: number, over: Partial<Layer> = {}): Layer => ({
  id: ids[n] ?? '',
  kind: 'image',
  name: `L${n}`,
  imageId: ids[n] ?? '',
  width: 100,
  height: 50,
  x: 0,
  y: 0,
  scaleX: 1,
  scaleY: 1,
  visible: true,
  locked: false,
  ...over,
});
const names = (layers: Layers): string[] => layers.map((l) => l.name);

describe('layer changes', () => {
  const three = [layer(0), layer(1), layer(2)];

  it('add on top, remove, and rename or move one layer without touching the others', () => {
    expect(names(addLayer([layer(0)], layer(1)))).toEqual(['L0', 'L1']);
    expect(names(removeLayer(three, ids[1] ?? ''))).toEqual(['L0', 'L2']);
    const renamed = updateLayer(three, ids[2] ?? '', { name: 'sky', x: 40 });
    expect(renamed[2]).toMatchObject({ name: 'sky', x: 40, y: 0 });
    expect(renamed[0]).toBe(three[0]);
  });

  it('answer the very same stack when nothing changes (no empty undo step)', () => {
    expect(updateLayer(three, ids[0] ?? '', { name: 'L0', visible: true })).toBe(three);
    expect(updateLayer(three, 'missing', { name: 'x' })).toBe(three);
    expect(moveLayer(three, ids[2] ?? '', 'up')).toBe(three);
    expect(moveLayer(three, ids[0] ?? '', 'down')).toBe(three);
  });

  it('reorder: up draws a layer over the next one, down under the previous one', () => {
    expect(names(moveLayer(three, ids[0] ?? '', 'up'))).toEqual(['L1', 'L0', 'L2']);
    expect(names(moveLayer(three, ids[2] ?? '', 'down'))).toEqual(['L0', 'L2', 'L1']);
  });

  it('name new layers from what they came from, or by number', () => {
    expect(layerName('  a   castle\non a hill ', [])).toBe('a castle on a hill');
    expect(layerName('', three)).toBe('Layer 4');
    expect(layerName('x'.repeat(200), [])).toHaveLength(80);
  });
});

describe('undo and redo', () => {
  it('step back and forth through every change, and a new change drops the redo branch', () => {
    let stack = undoStackOf<Layers>([]);
    stack = commit(stack, addLayer(stack.present, layer(0)));
    stack = commit(stack, updateLayer(stack.present, ids[0] ?? '', { x: 30 }));
    stack = commit(stack, updateLayer(stack.present, ids[0] ?? '', { visible: false }));
    expect(stack.present[0]).toMatchObject({ x: 30, visible: false });

    stack = undo(stack);
    expect(stack.present[0]).toMatchObject({ x: 30, visible: true });
    stack = undo(stack);
    expect(stack.present[0]).toMatchObject({ x: 0 });
    stack = undo(stack);
    expect(stack.present).toEqual([]);
    expect(undo(stack)).toBe(stack);

    stack = redo(redo(stack));
    expect(stack.present[0]).toMatchObject({ x: 30, visible: true });
    stack = commit(stack, updateLayer(stack.present, ids[0] ?? '', { name: 'new' }));
    expect(stack.future).toEqual([]);
    expect(redo(stack)).toBe(stack);
    expect(undo(stack).present[0]).toMatchObject({ name: 'L0', x: 30 });
  });

  it('ignore a change that changes nothing', () => {
    const stack = undoStackOf<Layers>([layer(0)]);
    expect(commit(stack, stack.present)).toBe(stack);
  });

  it(`keep the last ${maxUndoSteps} steps`, () => {
    let stack = undoStackOf<Layers>([layer(0)]);
    for (let x = 1; x <= maxUndoSteps + 20; x++) stack = commit(stack, updateLayer(stack.present, ids[0] ?? '', { x }));
    expect(stack.past).toHaveLength(maxUndoSteps);
    while (stack.past.length > 0) stack = undo(stack);
    expect(stack.present[0]?.x).toBe(20);
  });
});

describe('the view', () => {
  it('zooms around the pointer: the canvas point under it stays under it', () => {
    const view = { x: 100, y: 50, scale: 1 };
    const pointer = { x: 300, y: 200 };
    const under = { x: (pointer.x - view.x) / view.scale, y: (pointer.y - view.y) / view.scale };
    const zoomed = zoomAround(view, pointer, 2.5);
    expect(zoomed.scale).toBe(2.5);
    expect(under.x * zoomed.scale + zoomed.x).toBeCloseTo(pointer.x);
    expect(under.y * zoomed.scale + zoomed.y).toBeCloseTo(pointer.y);
    expect(zoomAround(view, pointer, 1e9).scale).toBe(32);
    expect(zoomAround(view, pointer, 1e-9).scale).toBe(0.02);
  });

  it('fits the visible layers (never past 100 %), and 100 % keeps the centre', () => {
    const layers = [layer(0, { x: -100, y: 0, width: 1000, height: 500 }), layer(1, { x: 5000, visible: false })];
    expect(boundsOf(layers)).toEqual({ x: -100, y: 0, width: 1000, height: 500 });
    const size = { width: 580, height: 400 };
    const fit = fitView(layers, size, 40);
    expect(fit.scale).toBeCloseTo(0.5);
    // The box's centre lands on the stage's centre.
    expect(400 * fit.scale + fit.x).toBeCloseTo(290);
    expect(250 * fit.scale + fit.y).toBeCloseTo(200);
    expect(fitView([layer(0, { width: 10, height: 10 })], size).scale).toBe(1);
    expect(fitView([], size)).toEqual({ x: 290, y: 200, scale: 1 });

    const actual = actualSizeView(fit, size);
    expect(actual.scale).toBeCloseTo(1);
    expect(400 * actual.scale + actual.x).toBeCloseTo(290);
  });

  it('places a new layer in the middle of what is shown', () => {
    expect(centredAt({ x: 0, y: 0, scale: 0.5 }, { width: 800, height: 600 }, 1024, 1024)).toEqual({
      x: 288,
      y: 88,
    });
  });
});

describe('the stored document', () => {
  it('is what the main process accepts', () => {
    const document = documentOf([layer(0), layer(1, { locked: true })], { x: 1, y: 2, scale: 0.5 });
    expect(editorDocumentSchema.parse(document)).toEqual(document);
    expect(documentOf([], undefined)).toEqual({ version: 1, layers: [] });
  });
});
