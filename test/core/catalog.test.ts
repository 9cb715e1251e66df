/**
 * The library's catalog: listing, search and the look for pending uploads cost what the page
 * costs, not the library; it survives restarts, is shared by two processes on one library,
 * catches up with folders changed by hand, and recovers from a damaged or lost log.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src-main/core/library/ids';
import { LocalLibrary } from '../../src-main/core/library/local-library';
import type { GenerationRecord } from '../../src-main/core/library/local-library';
import { recordFor, withImage } from '../support/records';

const tempRoot = (): string => mkdtempSync(join(tmpdir(), 'studio-catalog-'));

/** A library of `n` generations saved as the app saves them; the last one's prompt is unique. */
const filled = async (root: string, n: number): Promise<{ ids: string[]; unique: string }> => {
  const lib = new LocalLibrary(root);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = newId();
    ids.push(id);
    await lib.save(withImage(recordFor(id, i === n - 1 ? 'a zebra crossing' : `a plain cat ${i}`), newId()));
  }
  return { ids, unique: ids[n - 1] ?? '' };
};

const spoil = (root: string, id: string): void =>
  writeFileSync(join(root, 'generations', id, 'generation.json'), '{"spoiled": true');

describe('library catalog', () => {
  it('after a restart, search and pages read only the generation.json files they return', async () => {
    const root = tempRoot();
    const { ids, unique } = await filled(root, 30);
    // Spoil every other generation's file without touching the folder list: nothing may read them.
    for (const id of ids.slice(0, 25)) spoil(root, id);
    const warnings: string[] = [];
    const lib = new LocalLibrary(root, (m) => warnings.push(m));
    const found = await lib.search('ZEBRA', 10);
    expect(found.records.map((r) => r.id)).toEqual([unique]);
    const newest = await lib.list(5);
    expect(newest.records.map((r) => r.id)).toEqual([...ids].reverse().slice(0, 5));
    expect(warnings).toEqual([]);
    expect(await lib.damagedNotice()).toBeUndefined();
  });

  it('knows what waits for the cloud and what is this computer’s only, without reading the library', async () => {
    const root = tempRoot();
    const lib = new LocalLibrary(root);
    const [plain, pending, synced] = [newId(), newId(), newId()];
    await lib.save(withImage(recordFor(plain, 'plain'), newId()));
    await lib.save({ ...withImage(recordFor(pending, 'pending'), newId()), sync: { state: 'pending', project: 'p' } });
    await lib.save({ ...withImage(recordFor(synced, 'synced'), newId()), sync: { state: 'pending', project: 'p' } });
    await lib.save({ ...withImage(recordFor(synced, 'synced'), newId()), sync: { state: 'synced', project: 'p' } });
    for (const id of [plain, pending, synced]) spoil(root, id);
    const again = new LocalLibrary(root);
    expect(await again.pendingUpload()).toEqual([pending]);
    expect(await again.localOnly()).toEqual([plain]);
  });

  it('is shared by two processes on one library: what one saves or deletes, the other lists', async () => {
    const root = tempRoot();
    const { ids } = await filled(root, 3);
    const desktop = new LocalLibrary(root);
    const web = new LocalLibrary(root);
    expect((await web.list(10)).records).toHaveLength(3);
    const made = newId();
    await desktop.save(withImage(recordFor(made, 'from the desktop'), newId()));
    await desktop.remove(ids[0] ?? '');
    expect((await web.list(10)).records.map((r) => r.id)).toEqual([made, ids[2], ids[1]]);
    expect((await web.search('desktop', 10)).records.map((r) => r.id)).toEqual([made]);
  });

  it('catches up at the next start with folders added or removed by hand', async () => {
    const root = tempRoot();
    const { ids } = await filled(root, 3);
    const copy = newId();
    const source: GenerationRecord = JSON.parse(
      readFileSync(join(root, 'generations', ids[1] ?? '', 'generation.json'), 'utf8'),
    ) as GenerationRecord;
    cpSync(join(root, 'generations', ids[1] ?? ''), join(root, 'generations', copy), { recursive: true });
    writeFileSync(join(root, 'generations', copy, 'generation.json'), JSON.stringify({ ...source, id: copy }));
    rmSync(join(root, 'generations', ids[0] ?? ''), { recursive: true });
    const lib = new LocalLibrary(root);
    expect((await lib.list(10)).records.map((r) => r.id)).toEqual([copy, ids[2], ids[1]]);
  });

  it('ignores a torn last line, rebuilds a lost log, and compacts one full of superseded lines', async () => {
    const root = tempRoot();
    const { ids } = await filled(root, 4);
    const log = join(root, 'catalog.log');
    appendFileSync(log, '+01BROKEN');
    expect((await new LocalLibrary(root).list(10)).records).toHaveLength(4);
    rmSync(log);
    expect((await new LocalLibrary(root).list(10)).records.map((r) => r.id)).toEqual([...ids].reverse());
    // Flip a flag many times: the log grows line by line, and the next start compacts it.
    const lib = new LocalLibrary(root);
    const id = ids[0] ?? '';
    const base = withImage(recordFor(id, 'flip'), newId());
    for (let i = 0; i < 700; i++)
      await lib.save({ ...base, sync: { state: i % 2 ? 'synced' : 'pending', project: 'p' } });
    const grown = statSync(log).size;
    const fresh = new LocalLibrary(root);
    expect(await fresh.pendingUpload()).toEqual([]);
    expect(statSync(log).size).toBeLessThan(grown / 10);
    expect((await fresh.list(10)).records).toHaveLength(4);
  });
});
