import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { compositeInside } from '../../src-main/core/generation/composite';
import { StudioError } from '../../src-main/core/errors';
import { decodeRgba, maxDiff, rgbAt, splitMaskPng } from '../fakes/edit-pixels';
import type { Rgba } from '../fakes/edit-pixels';
import { encodeRgbJpeg, encodeRgbPng, renderRgb } from '../fakes/png';

const [size, split] = [256, 96];
const init = renderRgb(size, size, 21);
const made = renderRgb(size, size, 22);
const decoded = (bytes: Buffer): Rgba => {
  const image = decodeRgba(bytes);
  if (!image) throw new Error('not an image');
  return image;
};

describe('compositeInside: the generated pixels go back only inside the mask', () => {
  it('keeps every pixel the mask leaves black, takes the result where it is white, blends where grey', async () => {
    const mask = new PNG({ width: size, height: size });
    for (let i = 0; i < size * size; i++) {
      const x = i % size;
      mask.data.fill(x < split ? 255 : x === split ? 128 : 0, i * 4, i * 4 + 3);
      mask.data[i * 4 + 3] = 255;
    }
    const out = decoded(
      await compositeInside(encodeRgbPng(size, size, init), encodeRgbPng(size, size, made), PNG.sync.write(mask)),
    );
    expect(maxDiff(out, split + 1, size, rgbAt(init, size))).toBe(0);
    expect(maxDiff(out, 0, split, rgbAt(made, size))).toBe(0);
    const blend = (x: number, y: number) => {
      const [a, b] = [rgbAt(init, size)(x, y), rgbAt(made, size)(x, y)];
      return [0, 1, 2].map((c) => Math.round(((a[c] ?? 0) * 127 + (b[c] ?? 0) * 128) / 255)) as [
        number,
        number,
        number,
      ];
    };
    expect(maxDiff(out, split, split + 1, blend)).toBe(0);
    // The two pictures differ there: the checks above can fail.
    expect(maxDiff(out, 0, split, rgbAt(init, size))).toBeGreaterThan(30);
  });

  it('fills what was transparent (outpainting) and scales a result of another size', async () => {
    const transparent = new PNG({ width: size, height: size, colorType: 6 });
    for (let i = 0; i < size * size; i++) {
      transparent.data[i * 4] = init[i * 3] ?? 0;
      transparent.data[i * 4 + 1] = init[i * 3 + 1] ?? 0;
      transparent.data[i * 4 + 2] = init[i * 3 + 2] ?? 0;
      transparent.data[i * 4 + 3] = i % size < split ? 0 : 255;
    }
    const small = encodeRgbJpeg(size / 2, size / 2, renderRgb(size / 2, size / 2, 5), 90);
    const out = decoded(
      await compositeInside(PNG.sync.write(transparent, { colorType: 6 }), small, splitMaskPng(size, size, split)),
    );
    expect([out.width, out.height]).toEqual([size, size]);
    let alphaLeft = 255;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < split; x++) alphaLeft = Math.min(alphaLeft, out.data[(y * size + x) * 4 + 3] ?? 0);
    expect(alphaLeft).toBe(255);
    expect(maxDiff(out, split, size, rgbAt(init, size))).toBe(0);
  });

  it('refuses a mask of another size', async () => {
    const attempt = compositeInside(
      encodeRgbPng(size, size, init),
      encodeRgbPng(size, size, made),
      splitMaskPng(64, 64, 8),
    );
    await expect(attempt).rejects.toBeInstanceOf(StudioError);
    await expect(attempt).rejects.toMatchObject({ code: 'input.invalid', message: expect.stringContaining('64×64') });
  });
});
