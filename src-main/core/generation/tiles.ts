/**
 * Cutting an image too large for an upscaler into overlapping tiles, and blending the upscaled
 * tiles back into one image. Pure: plain numbers and raw pixel buffers (row after row,
 * `channels` bytes per pixel), no decoding, no I/O.
 */

/** One stretch of an axis: `start` and `size` in pixels of the image sent. */
export interface Span {
  start: number;
  size: number;
}

/** Where one tile lies in the image sent (pixels). */
export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The tiles of an image: `columns` × `rows`, row after row in `tiles`. */
export interface TilePlan {
  width: number;
  height: number;
  columns: Span[];
  rows: Span[];
  tiles: TileRect[];
}

export interface TileRules {
  /** The longest side a tile may have (the model's input limit). */
  limit: number;
  /** How much neighbouring tiles share, in pixels of the image sent (at least; rounding adds some). */
  overlap: number;
  /** Tile sides are multiples of this (the upscaler takes multiples of 8). */
  step: number;
  /** The shortest side a tile may have. */
  min: number;
}

/** The overlap for a limit: 48 px for a 512 px limit, never more than a quarter of a tile. */
export const overlapFor = (limit: number, step = 8): number =>
  Math.max(step, Math.min(48, Math.floor(limit / 4 / step) * step));

const floorTo = (value: number, step: number): number => Math.floor(value / step) * step;
const ceilTo = (value: number, step: number): number => Math.ceil(value / step) * step;

/**
 * An axis of `length` pixels cut into spans of one size (a multiple of `step`, at most `limit`),
 * evenly spread from the first pixel to the last, each sharing at least `overlap` pixels with the
 * next. One span when the axis fits as it is. Throws when the axis is shorter than `min`.
 */
export const spansFor = (length: number, rules: TileRules): Span[] => {
  const { step, min } = rules;
  const limit = floorTo(rules.limit, step);
  if (length < min) throw new RangeError(`${length} px is shorter than the ${min} px a tile needs`);
  if (limit < min) throw new RangeError(`A limit of ${rules.limit} px leaves no room for a ${min} px tile`);
  if (length <= limit && length % step === 0) return [{ start: 0, size: length }];
  const overlap = Math.min(rules.overlap, limit - step, min - step);
  let count = Math.max(2, Math.ceil((length - overlap) / (limit - overlap)));
  let size = Math.min(limit, Math.max(min, ceilTo((length + (count - 1) * overlap) / count, step)));
  // A short axis that is no multiple of the step: two tiles as large as fit, overlapping a lot.
  if (size > length) size = floorTo(length, step);
  // Rounding the size down may leave a gap: one tile more closes it.
  while (count * size - (count - 1) * overlap < length) count += 1;
  const room = length - size;
  return Array.from({ length: count }, (_, i) => ({ start: Math.round((i * room) / (count - 1)), size }));
};

/** The tiles for an image of `width` × `height`. */
export const planTiles = (width: number, height: number, rules: TileRules): TilePlan => {
  const columns = spansFor(width, rules);
  const rows = spansFor(height, rules);
  const tiles = rows.flatMap((row) =>
    columns.map((column) => ({ x: column.start, y: row.start, width: column.size, height: row.size })),
  );
  return { width, height, columns, rows, tiles };
};

/**
 * For each output coordinate of an axis, the spans that cover it and how much each counts:
 * weights fall linearly to nothing across each overlap (a feather), and add up to 1.
 */
interface AxisBlend {
  /** How many spans cover each coordinate (at most `taps`). */
  count: Uint8Array;
  /** Per coordinate, `taps` entries: the span's index, the coordinate inside it, its weight. */
  span: Uint16Array;
  local: Uint32Array;
  weight: Float32Array;
  taps: number;
}

const axisBlend = (spans: Span[], factor: number): AxisBlend => {
  const scaled = spans.map((s) => ({ start: s.start * factor, end: (s.start + s.size) * factor }));
  const length = Math.max(...scaled.map((s) => s.end));
  let taps = 1;
  for (let i = 0; i < scaled.length; i++) {
    let covering = 1;
    for (let j = i + 1; j < scaled.length && (scaled[j]?.start ?? Infinity) < (scaled[i]?.end ?? 0); j++) covering += 1;
    taps = Math.max(taps, covering);
  }
  const blend: AxisBlend = {
    count: new Uint8Array(length),
    span: new Uint16Array(length * taps),
    local: new Uint32Array(length * taps),
    weight: new Float32Array(length * taps),
    taps,
  };
  for (let p = 0; p < length; p++) {
    const centre = p + 0.5;
    let total = 0;
    let n = 0;
    for (let i = 0; i < scaled.length; i++) {
      const s = scaled[i];
      if (!s || p < s.start || p >= s.end) continue;
      const before = scaled[i - 1];
      const after = scaled[i + 1];
      // Rising across the overlap with the tile before, falling across the one with the tile after.
      const rise = before && before.end > s.start ? (centre - s.start) / (before.end - s.start) : 1;
      const fall = after && s.end > after.start ? (s.end - centre) / (s.end - after.start) : 1;
      const w = Math.max(0, Math.min(1, rise, fall));
      if (w === 0 || n === taps) continue;
      blend.span[p * taps + n] = i;
      blend.local[p * taps + n] = p - s.start;
      blend.weight[p * taps + n] = w;
      total += w;
      n += 1;
    }
    for (let k = 0; k < n; k++) blend.weight[p * taps + k] = (blend.weight[p * taps + k] ?? 0) / total;
    blend.count[p] = n;
  }
  return blend;
};

/**
 * The upscaled tiles (in the plan's order, each `factor` times its tile's size, `channels` bytes
 * per pixel) blended into one image `factor` times the plan's size: where tiles overlap, each
 * pixel is the weighted mean of theirs, the weights feathered linearly across the overlap.
 */
export const blendTiles = (
  plan: TilePlan,
  upscaled: readonly Uint8Array[],
  factor: number,
  channels: number,
): Buffer => {
  const width = plan.width * factor;
  const height = plan.height * factor;
  if (upscaled.length !== plan.tiles.length)
    throw new RangeError(`${upscaled.length} upscaled tiles for a plan of ${plan.tiles.length}`);
  plan.tiles.forEach((tile, i) => {
    const expected = tile.width * factor * tile.height * factor * channels;
    if (upscaled[i]?.length !== expected)
      throw new RangeError(`Tile ${i + 1} has ${upscaled[i]?.length ?? 0} bytes, not ${expected}`);
  });
  const xs = axisBlend(plan.columns, factor);
  const ys = axisBlend(plan.rows, factor);
  const columns = plan.columns.length;
  const tileWidths = plan.columns.map((c) => c.size * factor);
  const out = Buffer.alloc(width * height * channels);
  const sums = new Float64Array(channels);
  for (let y = 0; y < height; y++) {
    const yCount = ys.count[y] ?? 0;
    for (let x = 0; x < width; x++) {
      const xCount = xs.count[x] ?? 0;
      const to = (y * width + x) * channels;
      if (yCount === 1 && xCount === 1) {
        const column = xs.span[x * xs.taps] ?? 0;
        const tile = upscaled[(ys.span[y * ys.taps] ?? 0) * columns + column];
        const from =
          ((ys.local[y * ys.taps] ?? 0) * (tileWidths[column] ?? 0) + (xs.local[x * xs.taps] ?? 0)) * channels;
        for (let c = 0; c < channels; c++) out[to + c] = tile?.[from + c] ?? 0;
        continue;
      }
      sums.fill(0);
      for (let j = 0; j < yCount; j++) {
        const row = ys.span[y * ys.taps + j] ?? 0;
        const ly = ys.local[y * ys.taps + j] ?? 0;
        const wy = ys.weight[y * ys.taps + j] ?? 0;
        for (let k = 0; k < xCount; k++) {
          const column = xs.span[x * xs.taps + k] ?? 0;
          const w = wy * (xs.weight[x * xs.taps + k] ?? 0);
          const tile = upscaled[row * columns + column];
          const from = (ly * (tileWidths[column] ?? 0) + (xs.local[x * xs.taps + k] ?? 0)) * channels;
          for (let c = 0; c < channels; c++) sums[c] = (sums[c] ?? 0) + w * (tile?.[from + c] ?? 0);
        }
      }
      for (let c = 0; c < channels; c++) out[to + c] = Math.round(sums[c] ?? 0);
    }
  }
  return out;
};

/** Cuts one tile's pixels out of a raw image `width` wide. */
export const cutTile = (pixels: Uint8Array, width: number, channels: number, tile: TileRect): Buffer => {
  const out = Buffer.alloc(tile.width * tile.height * channels);
  const rowBytes = tile.width * channels;
  for (let y = 0; y < tile.height; y++) {
    const from = ((tile.y + y) * width + tile.x) * channels;
    out.set(pixels.subarray(from, from + rowBytes), y * rowBytes);
  }
  return out;
};
