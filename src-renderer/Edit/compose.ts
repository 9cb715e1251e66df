/**
 * A dream box's pixels as an edit request: pure functions on RGBA pixels (no canvas, no DOM),
 * so they are tested on their own. The box's composite goes in; the init image (transparency
 * filled with neutral grey), the mask (white = generate, feathered) and the kind come out.
 */

/** RGBA pixels, 4 bytes a pixel, row after row (what `ImageData` holds). */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** A rectangle in the box's pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type EditKind = 'img2img' | 'inpaint' | 'outpaint';

export interface Composition {
  kind: EditKind;
  /** Opaque: transparent pixels are laid over neutral grey. */
  init: Pixels;
  /** White where the model paints, black where it keeps, grey between; absent for image-to-image. */
  mask?: Pixels;
}

/** How far the mask reaches past what is transparent, and fades, in pixels. */
export const defaultFeather = 4;
const grey = 128;

/**
 * One pass along rows (or columns): each value becomes the greatest (`max`) or the mean (`mean`)
 * of the values within `radius` of it on its line; past the ends, the window is shorter.
 * The mean keeps a running sum (one add and one subtract a value), so a 1024² box stays quick.
 */
const pass = (
  values: Uint8Array,
  width: number,
  height: number,
  radius: number,
  horizontal: boolean,
  how: 'max' | 'mean',
): Uint8Array => {
  const out = new Uint8Array(values.length);
  const [lines, length] = horizontal ? [height, width] : [width, height];
  const step = horizontal ? 1 : width;
  for (let line = 0; line < lines; line++) {
    const base = horizontal ? line * width : line;
    if (how === 'mean') {
      let sum = 0;
      for (let j = 0; j <= Math.min(length - 1, radius); j++) sum += values[base + j * step] as number;
      for (let i = 0; i < length; i++) {
        const from = Math.max(0, i - radius);
        const to = Math.min(length - 1, i + radius);
        out[base + i * step] = Math.round(sum / (to - from + 1));
        if (i + radius + 1 < length) sum += values[base + (i + radius + 1) * step] as number;
        if (i - radius >= 0) sum -= values[base + (i - radius) * step] as number;
      }
      continue;
    }
    for (let i = 0; i < length; i++) {
      const from = Math.max(0, i - radius);
      const to = Math.min(length - 1, i + radius);
      let result = 0;
      for (let j = from; j <= to; j++) {
        const v = values[base + j * step] as number;
        if (v > result) result = v;
      }
      out[base + i * step] = result;
    }
  }
  return out;
};

/**
 * Feathers a mask: grows it by `radius` (so every pixel that was to be generated stays fully
 * white) and blurs it over the same radius, so the new pixels blend into the kept ones.
 */
export const featherMask = (mask: Uint8Array, width: number, height: number, radius: number): Uint8Array => {
  if (radius <= 0) return mask;
  const grown = pass(pass(mask, width, height, radius, true, 'max'), width, height, radius, false, 'max');
  const blurred = pass(pass(grown, width, height, radius, true, 'mean'), width, height, radius, false, 'mean');
  // Growing then blurring keeps the original region at full white; say so exactly.
  for (let i = 0; i < mask.length; i++) if ((mask[i] ?? 0) === 255) blurred[i] = 255;
  return blurred;
};

const covered = (rects: readonly Rect[], x: number, y: number): boolean =>
  rects.some((r) => x + 0.5 >= r.x && y + 0.5 >= r.y && x + 0.5 <= r.x + r.width && y + 0.5 <= r.y + r.height);

/**
 * The request for a box: `pixels` is the visible layers composited at 1:1 under the box,
 * `layers` the visible layers' rectangles in the box's pixels. No transparency: image-to-image.
 * Transparency only where layers are: inpainting. Transparency where no layer reaches:
 * outpainting. The init image is opaque (transparent pixels over grey); the mask is the
 * transparency (255 − alpha), feathered.
 */
export const composeBox = (pixels: Pixels, layers: readonly Rect[], feather = defaultFeather): Composition => {
  const { width, height, data } = pixels;
  const n = width * height;
  const transparency = new Uint8Array(n);
  const init = new Uint8ClampedArray(n * 4);
  let transparent = false;
  let outside = false;
  for (let i = 0; i < n; i++) {
    const alpha = data[i * 4 + 3] ?? 0;
    const a = alpha / 255;
    for (let c = 0; c < 3; c++) init[i * 4 + c] = Math.round((data[i * 4 + c] ?? 0) * a + grey * (1 - a));
    init[i * 4 + 3] = 255;
    transparency[i] = 255 - alpha;
    if (alpha < 255) {
      transparent = true;
      if (!outside && !covered(layers, i % width, Math.floor(i / width))) outside = true;
    }
  }
  if (!transparent) return { kind: 'img2img', init: { width, height, data: init } };
  const feathered = featherMask(transparency, width, height, feather);
  const mask = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const m = feathered[i] ?? 0;
    mask[i * 4] = mask[i * 4 + 1] = mask[i * 4 + 2] = m;
    mask[i * 4 + 3] = 255;
  }
  return {
    kind: outside ? 'outpaint' : 'inpaint',
    init: { width, height, data: init },
    mask: { width, height, data: mask },
  };
};
