import { describe, expect, it } from 'vitest';
import { composeBox, featherMask, initOf, maskOf } from '../../src-renderer/Edit/compose';
import type { PackedPixels, Pixels } from '../../src-renderer/Edit/compose';

/** A width × height picture: pixel (x, y) has red x, green y, blue 7 and the alpha `alpha(x, y)`. */
const picture = (width: number, height: number, alpha: (x: number, y: number) => number): Pixels => {
  const data = new Uint8ClampedArray(new ArrayBuffer(width * height * 4));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([x, y, 7, alpha(x, y)], (y * width + x) * 4);
  return { width, height, data };
};
const at = (p: PackedPixels, x: number, y: number): number[] => [
  ...p.data.slice((y * p.width + x) * p.channels, (y * p.width + x + 1) * p.channels),
];
/** The mask of a composition, which must have one. */
const maskOfOrThrow = (composition: ReturnType<typeof composeBox>, feather?: number): PackedPixels => {
  const mask = maskOf(composition, feather);
  if (!mask) throw new Error('a mask expected');
  return mask;
};
const whole = (width: number, height: number) => [{ x: 0, y: 0, width, height }];

describe('a dream box’s composition', () => {
  it('is image-to-image when nothing is transparent: the pixels as they are, no mask', () => {
    const pixels = picture(40, 30, () => 255);
    const out = composeBox(pixels, whole(40, 30));
    expect(out.kind).toBe('img2img');
    expect(maskOf(out)).toBeUndefined();
    // The init image is the composite itself, RGBA, shared rather than copied (the main process lays it over grey).
    const init = initOf(pixels);
    expect([init.width, init.height, init.channels]).toEqual([40, 30, 4]);
    expect(init.data.buffer).toBe(pixels.data.buffer);
    expect([...init.data]).toEqual([...pixels.data]);
  });

  it('is inpainting when the transparency is inside the layers: a feathered white mask over it', () => {
    // A 10 × 10 hole in the middle of a 60 × 40 picture.
    const hole = (x: number, y: number): boolean => x >= 25 && x < 35 && y >= 15 && y < 25;
    const pixels = picture(60, 40, (x, y) => (hole(x, y) ? 0 : 255));
    const out = composeBox(pixels, whole(60, 40));
    expect(out.kind).toBe('inpaint');
    const mask = maskOfOrThrow(out, 3);
    expect([mask.width, mask.height, mask.channels]).toEqual([60, 40, 1]);
    // Inside the hole: white in the mask.
    expect(at(mask, 25, 15)).toEqual([255]);
    expect(at(mask, 34, 24)).toEqual([255]);
    // Just outside, the mask fades; far away it is black.
    const edge = at(mask, 23, 20)[0] ?? 0;
    expect(edge).toBeGreaterThan(0);
    expect(edge).toBeLessThan(255);
    expect(at(mask, 10, 5)).toEqual([0]);
    expect(at(mask, 25 - 7, 20)).toEqual([0]);
  });

  it('asks for half-transparent pixels in grey in the mask', () => {
    const pixels = picture(8, 8, (x) => (x < 4 ? 255 : 128));
    const out = composeBox(pixels, whole(8, 8));
    expect(out.kind).toBe('inpaint');
    const mask = maskOfOrThrow(out, 0);
    expect(at(mask, 6, 0)).toEqual([127]);
    expect(at(mask, 1, 0)).toEqual([0]);
  });

  it('is outpainting when the box reaches past the layers: the empty part is generated', () => {
    // The layer covers the left 30 columns of a 50-wide box; the rest is empty canvas.
    const pixels = picture(50, 20, (x) => (x < 30 ? 255 : 0));
    const out = composeBox(pixels, [{ x: -100, y: -100, width: 130, height: 300 }]);
    expect(out.kind).toBe('outpaint');
    const mask = maskOfOrThrow(out, 2);
    expect(at(mask, 40, 10)).toEqual([255]);
    expect(at(mask, 10, 10)).toEqual([0]);
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

  it('feathers exactly as the plain definition does (window max, then window mean, rows then columns)', () => {
    // The plain definition, one pixel at a time: slow, obviously right.
    const line = (values: Uint8Array, w: number, h: number, r: number, rows: boolean, mean: boolean): Uint8Array => {
      const out = new Uint8Array(values.length);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const [i, length] = rows ? [x, w] : [y, h];
          const window: number[] = [];
          for (let j = Math.max(0, i - r); j <= Math.min(length - 1, i + r); j++)
            window.push(values[rows ? y * w + j : j * w + x] ?? 0);
          out[y * w + x] = mean ? Math.round(window.reduce((a, b) => a + b, 0) / window.length) : Math.max(...window);
        }
      return out;
    };
    const plain = (mask: Uint8Array, w: number, h: number, r: number): Uint8Array => {
      const grown = line(line(mask, w, h, r, true, false), w, h, r, false, false);
      const out = line(line(grown, w, h, r, true, true), w, h, r, false, true);
      mask.forEach((v, i) => {
        if (v === 255) out[i] = 255;
      });
      return out;
    };
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const [w, h, r] of [
      [23, 17, 1],
      [40, 31, 4],
      [9, 50, 6],
    ] as const) {
      const mask = new Uint8Array(w * h);
      // Scattered soft spots and one hard band, with empty rows between.
      for (let i = 0; i < mask.length; i++) if (random() < 0.04) mask[i] = Math.floor(random() * 256);
      for (let x = 2; x < w - 2; x++) mask[Math.floor(h / 2) * w + x] = 255;
      for (let x = 0; x < w; x++) mask[3 * w + x] = 0;
      expect([...featherMask(mask, w, h, r)]).toEqual([...plain(mask, w, h, r)]);
    }
  });
});
