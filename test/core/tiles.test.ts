import { describe, expect, it } from 'vitest';
import { blendTiles, cutTile, overlapFor, planTiles, spansFor } from '../../src-main/core/generation/tiles';
import type { Span, TileRules } from '../../src-main/core/generation/tiles';

const rules = (limit: number): TileRules => ({ limit, overlap: overlapFor(limit), step: 8, min: 64 });

/** Every pixel of the axis covered, each neighbour sharing at least `overlap`, every span a valid tile. */
const checkSpans = (length: number, spans: Span[], r: TileRules): void => {
  expect(spans[0]?.start).toBe(0);
  const last = spans.at(-1);
  expect((last?.start ?? 0) + (last?.size ?? 0)).toBe(length);
  for (const [i, span] of spans.entries()) {
    expect(span.size % r.step).toBe(0);
    expect(span.size).toBeLessThanOrEqual(r.limit);
    expect(span.size).toBeGreaterThanOrEqual(r.min);
    const next = spans[i + 1];
    if (next) expect(span.start + span.size - next.start).toBeGreaterThanOrEqual(Math.min(r.overlap, r.min - r.step));
  }
};

describe('spansFor: an axis cut into overlapping tiles', () => {
  it('one tile when the side fits the limit and the step', () => {
    expect(spansFor(512, rules(512))).toEqual([{ start: 0, size: 512 }]);
    expect(spansFor(96, rules(512))).toEqual([{ start: 0, size: 96 }]);
  });

  it('1024 px under a 512 px limit: three tiles of 376 px sharing at least 48 px', () => {
    const spans = spansFor(1024, rules(512));
    expect(spans).toEqual([
      { start: 0, size: 376 },
      { start: 324, size: 376 },
      { start: 648, size: 376 },
    ]);
    checkSpans(1024, spans, rules(512));
  });

  it.each([
    [1000, 512],
    [2048, 512],
    [513, 512],
    [100, 512],
    [65, 512],
    [130, 64],
    [2048, 64],
    [777, 256],
    [1536, 1024],
  ])('%i px under a %i px limit: covered, overlapping, valid sizes', (length, limit) => {
    checkSpans(length, spansFor(length, rules(limit)), rules(limit));
  });

  it('refuses a side shorter than a tile, and a limit below one', () => {
    expect(() => spansFor(40, rules(512))).toThrow('shorter than the 64 px');
    expect(() => spansFor(1024, { ...rules(512), limit: 60 })).toThrow('no room');
  });
});

describe('planTiles', () => {
  it('row after row, each tile within the image', () => {
    const plan = planTiles(1024, 600, rules(512));
    expect(plan.columns.length).toBe(3);
    expect(plan.rows.length).toBe(2);
    expect(plan.tiles.map((t) => [t.x, t.y])).toEqual([
      [0, 0],
      [324, 0],
      [648, 0],
      [0, 272],
      [324, 272],
      [648, 272],
    ]);
    for (const t of plan.tiles) {
      expect(t.x + t.width).toBeLessThanOrEqual(1024);
      expect(t.y + t.height).toBeLessThanOrEqual(600);
    }
  });
});

/** A nearest-neighbour "upscaler" of raw RGB pixels, like the fake endpoint's. */
const nearest = (pixels: Uint8Array, width: number, height: number, factor: number): Buffer => {
  const out = Buffer.alloc(width * factor * height * factor * 3);
  for (let y = 0; y < height * factor; y++)
    for (let x = 0; x < width * factor; x++) {
      const from = (Math.floor(y / factor) * width + Math.floor(x / factor)) * 3;
      out.set(pixels.subarray(from, from + 3), (y * width * factor + x) * 3);
    }
  return out;
};

describe('blendTiles: the upscaled tiles become one image', () => {
  it('tiles that agree blend into exactly the image upscaled whole, seams included', () => {
    const [width, height] = [300, 200];
    const pixels = Buffer.alloc(width * height * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 251;
    const plan = planTiles(width, height, rules(128));
    expect(plan.tiles.length).toBeGreaterThan(4);
    const upscaled = plan.tiles.map((t) => nearest(cutTile(pixels, width, 3, t), t.width, t.height, 4));
    const out = blendTiles(plan, upscaled, 4, 3);
    expect(out.equals(nearest(pixels, width, height, 4))).toBe(true);
  });

  it('where tiles disagree, the seam is a linear feather from one to the other', () => {
    // Two tiles side by side: the left one answers black, the right one white.
    const plan = planTiles(200, 64, rules(128));
    expect(plan.columns).toHaveLength(2);
    const [left, right] = plan.columns as [Span, Span];
    const upscaled = plan.tiles.map((t, i) => Buffer.alloc(t.width * 4 * t.height * 4 * 3, i === 0 ? 0 : 255));
    const out = blendTiles(plan, upscaled, 4, 3);
    const row = Array.from({ length: 800 }, (_, x) => out[(10 * 800 + x) * 3] ?? -1);
    const [from, to] = [right.start * 4, (left.start + left.size) * 4];
    expect(row.slice(0, from).every((v) => v === 0)).toBe(true);
    expect(row.slice(to).every((v) => v === 255)).toBe(true);
    const seam = row.slice(from, to);
    // Rising step by step, with no jump larger than one step of the ramp (and not flat).
    const step = 255 / (to - from);
    for (let i = 1; i < seam.length; i++) {
      expect(seam[i]).toBeGreaterThanOrEqual(seam[i - 1] ?? 0);
      expect((seam[i] ?? 0) - (seam[i - 1] ?? 0)).toBeLessThanOrEqual(Math.ceil(step) + 1);
    }
    expect(seam[0]).toBeLessThan(10);
    expect(seam.at(-1)).toBeGreaterThan(245);
    // Every output row the same: the vertical axis is one tile.
    for (let y = 0; y < 256; y++) expect(out[(y * 800 + from + 20) * 3]).toBe(seam[20]);
  });

  it('refuses tiles of the wrong count or size', () => {
    const plan = planTiles(200, 64, rules(128));
    expect(() => blendTiles(plan, [], 4, 3)).toThrow('0 upscaled tiles');
    expect(() =>
      blendTiles(
        plan,
        plan.tiles.map(() => Buffer.alloc(10)),
        4,
        3,
      ),
    ).toThrow('Tile 1 has 10 bytes');
  });
});
