/**
 * What the fake containers do to pixels for edits, in a way tests can check: inpainting paints
 * every pixel its mask marks with one colour derived from the seed and leaves every other pixel
 * as the image had it; the upscaler repeats each pixel in a 4×4 block. Tests use the same
 * helpers (decodeRgba, maskedColour) to compute what to expect.
 */
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { encodeRgbPng, jpegSize, pngSize, seededRandom } from './png.js';

/** Decoded pixels, 4 bytes (RGBA) per pixel. */
export interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}

/** PNG (pngjs) or JPEG (jpeg-js) bytes as RGBA pixels; undefined when neither. */
export function decodeRgba(bytes: Buffer): Rgba | undefined {
  try {
    if (pngSize(bytes)) {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, data: png.data };
    }
    if (jpegSize(bytes)) {
      const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
      return { width: jpeg.width, height: jpeg.height, data: Buffer.from(jpeg.data) };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The colour inpainting paints for `seed`: never black, white or grey, so it stands out. */
export function maskedColour(seed: number): [number, number, number] {
  const random = seededRandom(seed ^ 0x5eed);
  return [40 + Math.floor(random() * 60), 140 + Math.floor(random() * 100), 60 + Math.floor(random() * 60)];
}

/** Luminance (Rec. 601) of pixel `i` of RGBA data, 0..255. */
export function luminance(image: Rgba, i: number): number {
  const d = image.data;
  return 0.299 * (d[i * 4] ?? 0) + 0.587 * (d[i * 4 + 1] ?? 0) + 0.114 * (d[i * 4 + 2] ?? 0);
}

/** How a mask says which pixels to replace (stability's mask_source, plus the JumpStart convention). */
export type MaskRule = 'MASK_IMAGE_WHITE' | 'MASK_IMAGE_BLACK' | 'INIT_IMAGE_ALPHA';

/** Whether pixel `i` is replaced: white (≥ 50 %) with MASK_IMAGE_WHITE, black with MASK_IMAGE_BLACK, transparent with INIT_IMAGE_ALPHA. */
export function isReplaced(rule: MaskRule, init: Rgba, mask: Rgba | undefined, i: number): boolean {
  if (rule === 'INIT_IMAGE_ALPHA') return (init.data[i * 4 + 3] ?? 255) < 128;
  if (!mask) return false;
  const white = luminance(mask, i) >= 128;
  return rule === 'MASK_IMAGE_WHITE' ? white : !white;
}

/** RGB pixels: the masked ones in the seed's colour, the rest exactly the init image's. */
export function paintMasked(init: Rgba, mask: Rgba | undefined, rule: MaskRule, seed: number): Buffer {
  const n = init.width * init.height;
  const out = Buffer.allocUnsafe(n * 3);
  const colour = maskedColour(seed);
  for (let i = 0; i < n; i++) {
    const replaced = isReplaced(rule, init, mask, i);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = replaced ? (colour[c] ?? 0) : (init.data[i * 4 + c] ?? 0);
  }
  return out;
}

/** RGB pixels `factor` times larger each way, every pixel repeated in a factor×factor block. */
export function upscaleNearest(image: Rgba, factor: number): Buffer {
  const width = image.width * factor;
  const height = image.height * factor;
  const out = Buffer.allocUnsafe(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / factor) * image.width;
    for (let x = 0; x < width; x++) {
      const from = (row + Math.floor(x / factor)) * 4;
      const to = (y * width + x) * 3;
      out[to] = image.data[from] ?? 0;
      out[to + 1] = image.data[from + 1] ?? 0;
      out[to + 2] = image.data[from + 2] ?? 0;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// For tests: masks and images with a known split, and how far pixels are from what was expected.

/** An RGB PNG mask: columns left of `split` white (or black when `leftWhite` is false), the rest the other. */
export function splitMaskPng(width: number, height: number, split: number, leftWhite = true): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      rgb.fill(x < split === leftWhite ? 255 : 0, (y * width + x) * 3, (y * width + x) * 3 + 3);
  return encodeRgbPng(width, height, rgb);
}

/** An RGBA PNG of `rgb` pixels whose columns left of `split` are fully transparent. */
export function transparentLeftPng(rgb: Buffer, width: number, height: number, split: number): Buffer {
  const png = new PNG({ width, height, colorType: 6 });
  for (let i = 0; i < width * height; i++) {
    png.data[i * 4] = rgb[i * 3] ?? 0;
    png.data[i * 4 + 1] = rgb[i * 3 + 1] ?? 0;
    png.data[i * 4 + 2] = rgb[i * 3 + 2] ?? 0;
    png.data[i * 4 + 3] = i % width < split ? 0 : 255;
  }
  return PNG.sync.write(png, { colorType: 6 });
}

/**
 * The largest channel difference between `image` and `expected(x, y)` over the columns
 * [from, to) of every row (0 means identical there).
 */
export function maxDiff(
  image: Rgba,
  from: number,
  to: number,
  expected: (x: number, y: number) => readonly [number, number, number],
): number {
  let worst = 0;
  for (let y = 0; y < image.height; y++)
    for (let x = from; x < to; x++) {
      const want = expected(x, y);
      const at = (y * image.width + x) * 4;
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs((image.data[at + c] ?? 0) - (want[c] ?? 0)));
    }
  return worst;
}

/** Pixel (x, y) of RGB data `width` wide. */
export const rgbAt =
  (rgb: Buffer, width: number) =>
  (x: number, y: number): [number, number, number] => {
    const at = (y * width + x) * 3;
    return [rgb[at] ?? 0, rgb[at + 1] ?? 0, rgb[at + 2] ?? 0];
  };
