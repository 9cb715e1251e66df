import { existsSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { newId } from '../../src-main/core/library/ids';
import { ensureThumbnail } from '../../src-main/core/library/thumbnails';
import { LocalLibrary } from '../../src-main/core/library/local-library';
import type { GenerationRecord } from '../../src-main/core/library/local-library';
import { recordFor } from '../support/records';

const tempRoot = (): string => mkdtempSync(join(tmpdir(), 'studio-lib-'));

const record = (id: string): GenerationRecord => recordFor(id, `prompt ${id}`);

describe('local library', () => {
  it('lists newest first, page by page with a cursor', async () => {
    const lib = new LocalLibrary(tempRoot());
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const id = newId();
      ids.push(id);
      await lib.save(record(id));
    }
    const newestFirst = [...ids].reverse();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await lib.list(10, cursor);
      seen.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(newestFirst);
  });

  it('skips a damaged entry with a warning and still fills the page', async () => {
    const warnings: string[] = [];
    const root = tempRoot();
    const lib = new LocalLibrary(root);
    const a = newId();
    const broken = newId();
    const missing = newId();
    const b = newId();
    await lib.save(record(a));
    await lib.save(record(broken));
    await lib.save(record(b));
    writeFileSync(join(root, 'generations', broken, 'generation.json'), '{"id": "trunc');
    mkdirSync(join(root, 'generations', missing));
    // The next start finds both: the catalog is checked against the folder then.
    const page = await new LocalLibrary(root, (m) => warnings.push(m)).list(10);
    expect(page.records.map((r) => r.id)).toEqual([b, a]);
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toContain(broken);
    expect(warnings.join('\n')).toContain(missing);
  });

  it('writes atomically: no temp files are left behind', async () => {
    const root = tempRoot();
    const lib = new LocalLibrary(root);
    const id = newId();
    await lib.save(record(id));
    const file = await lib.writeImage(id, newId(), 'image/png', Buffer.from('png bytes'));
    await lib.save({ ...record(id), status: 'partial' });
    expect(readdirSync(join(root, 'generations', id)).sort()).toEqual([file, 'generation.json'].sort());
  });

  it('serves only known images, never paths outside the library', async () => {
    const lib = new LocalLibrary(tempRoot());
    const id = newId();
    const file = await lib.writeImage(id, newId(), 'image/png', Buffer.from('x'));
    expect(lib.imagePath(id, file)).toMatch(new RegExp(`${id}/${file}$`));
    expect(lib.imagePath(id, `${newId()}.png`)).toBeUndefined();
    expect(lib.imagePath('..', file)).toBeUndefined();
    expect(lib.imagePath(id, 'generation.json')).toBeUndefined();
    expect(lib.imagePath(id, `../${id}/${file}`)).toBeUndefined();
  });

  it('lists an empty library without creating anything', async () => {
    const root = tempRoot();
    expect(await new LocalLibrary(root).list(5)).toEqual({ records: [] });
    expect(readdirSync(root)).toEqual([]);
  });

  it('lets a thumbnail still being made finish before removing its generation', async () => {
    const lib = new LocalLibrary(tempRoot());
    const id = newId();
    const imageId = newId();
    const png = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#c84' } })
      .png()
      .toBuffer();
    const file = await lib.writeImage(id, imageId, 'image/png', png);
    await lib.save({
      ...record(id),
      images: [{ id: imageId, index: 0, seed: 1, width: 1024, height: 1024, contentType: 'image/png', file }],
    });
    const folder = lib.folderOf(id);
    const order: string[] = [];
    const thumb = ensureThumbnail(join(folder, file), join(folder, `${imageId}.thumb.webp`)).then(
      () => order.push('thumbnail written'),
      (e: unknown) => order.push(`thumbnail failed: ${String(e)}`),
    );
    await lib.removeImages(id);
    order.push('generation removed');
    await thumb;
    expect(order).toEqual(['thumbnail written', 'generation removed']);
    expect(existsSync(folder)).toBe(false);
    expect(await lib.get(id)).toBeUndefined();
  });
});
