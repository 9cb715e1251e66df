/**
 * A dream box's pixels as an edit request: pure functions on pixels (no canvas, no DOM), so they
 * are tested on their own. The box's composite (RGBA) is the init image as it is sent to the main
 * process, which lays its transparency over neutral grey while encoding it (`uploadPixels`); from
 * it come the kind and the mask (one grey byte a pixel, white = generate, feathered).
 * A 1024² box takes a few milliseconds: one pass over its alpha, and the feathering touches only
 * the rows near something transparent.
 */

/** RGBA pixels, 4 bytes a pixel, row after row (what `ImageData` holds). */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray<ArrayBuffer>;
}

/** Pixels of one (grey), three (RGB) or four (RGBA) bytes each, row after row. */
export interface PackedPixels {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array<ArrayBuffer>;
}

/** A rectangle in the box's pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type EditKind = 'img2img' | 'inpaint' | 'outpaint';

/** What a box asks for, before its mask is made. */
export interface Composition {
  kind: EditKind;
  width: number;
  height: number;
  /** 255 − alpha per pixel (unfeathered), absent for image-to-image. */
  transparency?: Uint8Array<ArrayBuffer>;
}

/** How far the mask reaches past what is transparent, and fades, in pixels. */
export const defaultFeather = 4;

/** Rows with anything above zero (a row of zeros stays zero through every pass). */
const rowsInUse = (values: Uint8Array, width: number, height: number): Uint8Array => {
  const used = new Uint8Array(height);
  for (let y = 0; y < height; y++) {
    const end = (y + 1) * width;
    for (let i = y * width; i < end; i++)
      if (values[i] !== 0) {
        used[y] = 1;
        break;
      }
  }
  return used;
};

/** Whether any row within `radius` of `y` is in use. */
const near = (used: Uint8Array, y: number, radius: number): boolean => {
  for (let j = Math.max(0, y - radius); j <= Math.min(used.length - 1, y + radius); j++) if (used[j]) return true;
  return false;
};

/** Along each row in use: every value becomes the greatest within `radius` of it (past the ends, the window is shorter). */
const rowMax = (values: Uint8Array, width: number, used: Uint8Array, radius: number): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(values.length);
  for (let y = 0; y < used.length; y++) {
    if (!used[y]) continue;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      const v = values[base + x] as number;
      if (v === 0) continue;
      // Spread each value over its window; what is already at least as high stays.
      const to = Math.min(width - 1, x + radius);
      for (let j = Math.max(0, x - radius); j <= to; j++) if ((out[base + j] as number) < v) out[base + j] = v;
    }
  }
  return out;
};

/** Down each column: every value becomes the greatest within `radius` rows of it, row by row. */
const columnMax = (values: Uint8Array, width: number, used: Uint8Array, radius: number): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(values.length);
  for (let y = 0; y < used.length; y++) {
    if (!used[y]) continue;
    const row = values.subarray(y * width, (y + 1) * width);
    const to = Math.min(used.length - 1, y + radius);
    for (let j = Math.max(0, y - radius); j <= to; j++) {
      const target = j * width;
      for (let x = 0; x < width; x++) {
        const v = row[x] as number;
        if (v > (out[target + x] as number)) out[target + x] = v;
      }
    }
  }
  return out;
};

/** Along each row in use: the mean of the values within `radius` (a running sum: one add and one subtract a value). */
const rowMean = (values: Uint8Array, width: number, used: Uint8Array, radius: number): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(values.length);
  for (let y = 0; y < used.length; y++) {
    if (!used[y]) continue;
    const base = y * width;
    let sum = 0;
    for (let j = 0; j <= Math.min(width - 1, radius); j++) sum += values[base + j] as number;
    for (let x = 0; x < width; x++) {
      const from = Math.max(0, x - radius);
      const to = Math.min(width - 1, x + radius);
      out[base + x] = Math.round(sum / (to - from + 1));
      if (x + radius + 1 < width) sum += values[base + x + radius + 1] as number;
      if (x - radius >= 0) sum -= values[base + x - radius] as number;
    }
  }
  return out;
};

/** Down each column: the mean of the values within `radius` rows, with one running sum a column. */
const columnMean = (values: Uint8Array, width: number, used: Uint8Array, radius: number): Uint8Array<ArrayBuffer> => {
  const height = used.length;
  const out = new Uint8Array(values.length);
  const sums = new Uint32Array(width);
  const add = (y: number, sign: 1 | -1): void => {
    if (y < 0 || y >= height || !used[y]) return;
    const base = y * width;
    for (let x = 0; x < width; x++) sums[x] = (sums[x] as number) + sign * (values[base + x] as number);
  };
  for (let y = 0; y <= Math.min(height - 1, radius); y++) add(y, 1);
  for (let y = 0; y < height; y++) {
    if (near(used, y, radius)) {
      const count = Math.min(height - 1, y + radius) - Math.max(0, y - radius) + 1;
      const base = y * width;
      for (let x = 0; x < width; x++) out[base + x] = Math.round((sums[x] as number) / count);
    }
    add(y + radius + 1, 1);
    add(y - radius, -1);
  }
  return out;
};

/** Rows in use after growing by `radius`. */
const grownRows = (used: Uint8Array, radius: number): Uint8Array => used.map((_, y) => (near(used, y, radius) ? 1 : 0));

/**
 * Feathers a mask: grows it by `radius` (so every pixel that was to be generated stays fully
 * white) and blurs it over the same radius, so the new pixels blend into the kept ones.
 */
export const featherMask = (
  mask: Uint8Array<ArrayBuffer>,
  width: number,
  height: number,
  radius: number,
): Uint8Array<ArrayBuffer> => {
  if (radius <= 0) return mask;
  const used = rowsInUse(mask, width, height);
  const grown = columnMax(rowMax(mask, width, used, radius), width, used, radius);
  const grownUsed = grownRows(used, radius);
  const blurred = columnMean(rowMean(grown, width, grownUsed, radius), width, grownUsed, radius);
  // Growing then blurring keeps the original region at full white; say so exactly.
  for (let i = 0; i < mask.length; i++) if (mask[i] === 255) blurred[i] = 255;
  return blurred;
};

/** Which pixels have their centre inside one of the rectangles (clipped to the box). */
const coverage = (rects: readonly Rect[], width: number, height: number): Uint8Array => {
  const covered = new Uint8Array(width * height);
  for (const r of rects) {
    // Pixel x is covered when x + 0.5 lies within [r.x, r.x + r.width].
    const x0 = Math.max(0, Math.ceil(r.x - 0.5));
    const x1 = Math.min(width - 1, Math.floor(r.x + r.width - 0.5));
    const y0 = Math.max(0, Math.ceil(r.y - 0.5));
    const y1 = Math.min(height - 1, Math.floor(r.y + r.height - 0.5));
    if (x1 < x0) continue;
    for (let y = y0; y <= y1; y++) covered.fill(1, y * width + x0, y * width + x1 + 1);
  }
  return covered;
};

/**
 * The request for a box: `pixels` is the visible layers composited at 1:1 under the box,
 * `layers` the visible layers' rectangles in the box's pixels. No transparency: image-to-image.
 * Transparency only where layers are: inpainting. Transparency where no layer reaches:
 * outpainting. The mask comes from `maskOf` (kept apart so the init image can be on its way
 * while the mask is made).
 */
export const composeBox = (pixels: Pixels, layers: readonly Rect[]): Composition => {
  const { width, height, data } = pixels;
  const n = width * height;
  let transparency: Uint8Array<ArrayBuffer> | undefined;
  for (let i = 0, a = 3; i < n; i++, a += 4) {
    const alpha = data[a] as number;
    if (alpha === 255) continue;
    transparency ??= new Uint8Array(n);
    transparency[i] = 255 - alpha;
  }
  if (!transparency) return { kind: 'img2img', width, height };
  const covered = coverage(layers, width, height);
  let outside = false;
  for (let i = 0; i < n && !outside; i++) if (transparency[i] !== 0 && covered[i] === 0) outside = true;
  return { kind: outside ? 'outpaint' : 'inpaint', width, height, transparency };
};

/** The box's composite as sent: RGBA, its transparency laid over grey by the main process. */
export const initOf = (pixels: Pixels): PackedPixels => ({
  width: pixels.width,
  height: pixels.height,
  channels: 4,
  data: new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength),
});

/** The mask of a composition (white = generate, black = keep, grey between), feathered. */
export const maskOf = (composition: Composition, feather = defaultFeather): PackedPixels | undefined => {
  const { transparency, width, height } = composition;
  if (!transparency) return undefined;
  const data = featherMask(transparency, width, height, feather);
  return { width, height, channels: 1, data };
};
