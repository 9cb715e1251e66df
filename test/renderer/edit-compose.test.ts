import { describe, expect, it } from 'vitest';
import { composeBox, featherMask } from '../../src-renderer/Edit/compose';
import type { Pixels } from '../../src-renderer/Edit/compose';

/** A width × height picture: pixel (x, y) has red x, green y, blue 7 and the alpha `alpha(x, y)`. */
const picture = (width: number, height: number, alpha: (x: number, y: number) => number): Pixels => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([x, y, 7, alpha(x, y)], (y * width + x) * 4);
  return { width, height, data };
};
const at = (p: Pixels, x: number, y: number): number[] => [
  ...p.data.slice((y * p.width + x) * 4, (y * p.width + x) * 4 + 4),
];
const whole = (width: number, height: number) => [{ x: 0, y: 0, width, height }];

describe('a dream box’s composition', () => {
  it('is image-to-image when nothing is transparent: the pixels as they are, no mask', () => {
    const pixels = picture(40, 30, () => 255);
    const out = composeBox(pixels, whole(40, 30));
    expect(out.kind).toBe('img2img');
    expect(out.mask).toBeUndefined();
    expect(out.init.data).toEqual(pixels.data);
  });

  it('is inpainting when the transparency is inside the layers: grey underneath, a feathered white mask', () => {
    // A 10 × 10 hole in the middle of a 60 × 40 picture.
    const hole = (x: number, y: number): boolean => x >= 25 && x < 35 && y >= 15 && y < 25;
    const pixels = picture(60, 40, (x, y) => (hole(x, y) ? 0 : 255));
    const out = composeBox(pixels, whole(60, 40), 3);
    expect(out.kind).toBe('inpaint');
    const mask = out.mask;
    if (!mask) throw new Error('a mask expected');
    expect([mask.width, mask.height]).toEqual([60, 40]);
    // Inside the hole: grey in the init image, white in the mask.
    expect(at(out.init, 30, 20)).toEqual([128, 128, 128, 255]);
    expect(at(mask, 25, 15)).toEqual([255, 255, 255, 255]);
    expect(at(mask, 34, 24)).toEqual([255, 255, 255, 255]);
    // Just outside, the mask fades; far away it is black and the pixels are kept exactly.
    const edge = at(mask, 23, 20)[0] ?? 0;
    expect(edge).toBeGreaterThan(0);
    expect(edge).toBeLessThan(255);
    expect(at(mask, 10, 5)).toEqual([0, 0, 0, 255]);
    expect(at(mask, 25 - 7, 20)).toEqual([0, 0, 0, 255]);
    expect(at(out.init, 10, 5)).toEqual([10, 5, 7, 255]);
  });

  it('lays half-transparent pixels over grey and asks for them in grey in the mask', () => {
    const pixels = picture(8, 8, (x) => (x < 4 ? 255 : 128));
    const out = composeBox(pixels, whole(8, 8), 0);
    expect(out.kind).toBe('inpaint');
    expect(at(out.init, 6, 0)).toEqual([
      Math.round(6 * (128 / 255) + 128 * (127 / 255)),
      Math.round(128 * (127 / 255)),
      Math.round(7 * (128 / 255) + 128 * (127 / 255)),
      255,
    ]);
    expect(at(out.mask!, 6, 0)).toEqual([127, 127, 127, 255]);
    expect(at(out.mask!, 1, 0)).toEqual([0, 0, 0, 255]);
  });

  it('is outpainting when the box reaches past the layers: the empty part is generated', () => {
    // The layer covers the left 30 columns of a 50-wide box; the rest is empty canvas.
    const pixels = picture(50, 20, (x) => (x < 30 ? 255 : 0));
    const out = composeBox(pixels, [{ x: -100, y: -100, width: 130, height: 300 }], 2);
    expect(out.kind).toBe('outpaint');
    expect(at(out.mask!, 40, 10)).toEqual([255, 255, 255, 255]);
    expect(at(out.mask!, 10, 10)).toEqual([0, 0, 0, 255]);
    expect(at(out.init, 40, 10)).toEqual([128, 128, 128, 255]);
  });

  it('feathers without losing what was white, and leaves a mask alone with no radius', () => {
    const mask = new Uint8Array(100);
    mask[55] = 255;
    expect(featherMask(mask, 10, 10, 0)).toBe(mask);
    const soft = featherMask(mask, 10, 10, 1);
    expect(soft[55]).toBe(255);
    expect(soft[54]).toBeGreaterThan(0);
    expect(soft[0]).toBe(0);
  });
});
