import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheLimit } from '../../src-main/core/cloud/cache-limit';

const kB = 1024;

/** A cache folder with `count` images of `size` bytes, each used a minute after the previous one. */
const cacheWith = (count: number, size: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-cache-'));
  const start = Date.now() / 1000 - 3600;
  const images: string[] = [];
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `G${i}`);
    mkdirSync(folder);
    const image = join(folder, `I${i}.png`);
    writeFileSync(image, Buffer.alloc(size));
    writeFileSync(join(folder, `I${i}.thumb.webp`), Buffer.alloc(kB));
    utimesSync(image, start + i * 60, start + i * 60);
    images.push(image);
  }
  return { dir, images };
};

describe('cloud cache size limit', () => {
  it('leaves a cache under its limit alone', async () => {
    const { dir, images } = cacheWith(4, 100 * kB);
    expect(await new CacheLimit(dir, 500 * kB).trim()).toBe(0);
    expect(images.every((p) => existsSync(p))).toBe(true);
  });

  it('removes the least recently used images down to 80 % of the limit, and keeps every thumbnail', async () => {
    const { dir, images } = cacheWith(10, 100 * kB);
    const limit = new CacheLimit(dir, 500 * kB);
    // Image 0 is the oldest, but was just opened again.
    await limit.used(images[0]!);
    const freed = await limit.trim();
    expect(freed).toBe(600 * kB);
    expect(images.map((p) => existsSync(p))).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    for (let i = 0; i < 10; i++) expect(existsSync(join(dir, `G${i}`, `I${i}.thumb.webp`))).toBe(true);
  });

  it('runs one pass at a time, and copes with no cache folder', async () => {
    const { dir } = cacheWith(6, 100 * kB);
    const limit = new CacheLimit(dir, 200 * kB);
    const [a, b] = await Promise.all([limit.trim(), limit.trim()]);
    expect([a, b]).toEqual([500 * kB, 500 * kB]);
    expect(await new CacheLimit(join(dir, 'missing'), 1).trim()).toBe(0);
  });
});
