import { describe, expect, it } from 'vitest';
import { cacheRatioOf, maxCachePixels, onScreen } from '../../src-renderer/Edit/sharpness';
import type { Layer } from '../../src-renderer/Edit/model';

/** A layer with strokes is cached finely enough to stay sharp when zoomed in, within a memory cap. */

const layer = (over: Partial<Layer> = {}): Layer => ({
  id: '01JAAAAAAAAAAAAAAAAAAAAAA1',
  kind: 'image',
  name: 'L',
  imageId: '01JAAAAAAAAAAAAAAAAAAAAAA1',
  width: 1024,
  height: 1024,
  x: 0,
  y: 0,
  scaleX: 1,
  scaleY: 1,
  visible: true,
  locked: false,
  ...over,
});
const stage = { width: 800, height: 600 };
const at = (scale: number): { x: number; y: number; scale: number } => ({ x: 0, y: 0, scale });

describe('the pixel ratio a layer with strokes is cached at', () => {
  it('follows the zoom in powers of two, never below 1×', () => {
    expect(cacheRatioOf(layer(), at(0.25), stage, 1)).toBe(1);
    expect(cacheRatioOf(layer(), at(1), stage, 1)).toBe(1);
    expect(cacheRatioOf(layer(), at(1.25), stage, 1)).toBe(2);
    expect(cacheRatioOf(layer(), at(2), stage, 1)).toBe(2);
    expect(cacheRatioOf(layer({ width: 256, height: 256 }), at(6), stage, 1)).toBe(8);
    // A high-density screen needs its pixels too; so does a layer scaled up on the canvas.
    expect(cacheRatioOf(layer(), at(1), stage, 2)).toBe(2);
    expect(cacheRatioOf(layer({ scaleX: 2, scaleY: 2 }), at(1), stage, 1)).toBe(2);
    // A layer drawn smaller (an upscale over its source) needs no more than 1×.
    expect(cacheRatioOf(layer({ scaleX: 0.25, scaleY: 0.25 }), at(2), stage, 1)).toBe(1);
  });

  it('keeps a cache within the pixel cap; a huge layer stays at 1×', () => {
    expect(cacheRatioOf(layer(), at(16), stage, 1)).toBe(4);
    const ratio = cacheRatioOf(layer({ width: 1536, height: 640 }), at(16), stage, 1);
    expect(1536 * 640 * ratio * ratio).toBeLessThanOrEqual(maxCachePixels + 1);
    expect(ratio).toBeGreaterThan(4);
    expect(cacheRatioOf(layer({ width: 8192, height: 8192 }), at(4), stage, 1)).toBe(1);
  });

  it('keeps a layer out of sight no finer than at 100 %', () => {
    const away = layer({ x: 5000, y: 0, width: 256, height: 256 });
    expect(onScreen(away, at(4), stage)).toBe(false);
    expect(cacheRatioOf(away, at(4), stage, 1)).toBe(1);
    expect(cacheRatioOf(away, at(4), stage, 2)).toBe(2);
    // In sight once the view is panned to it.
    const there = { x: -5000 * 4 + 10, y: 0, scale: 4 };
    expect(onScreen(away, there, stage)).toBe(true);
    expect(cacheRatioOf(away, there, stage, 1)).toBe(4);
    // Touching the stage's edge from outside is out of sight.
    expect(onScreen(layer({ x: -1024 }), at(1), stage)).toBe(false);
    expect(onScreen(layer({ x: -1023 }), at(1), stage)).toBe(true);
  });
});
