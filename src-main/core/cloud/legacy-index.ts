import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { decodeTime, encodeTime } from 'ulid';
import { z } from 'zod';
import { isItemId, isUlid, parseObjectKey } from '../../../src-shared/ids';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic';
import { pathInside } from '../safe-path';
import { createdAtOf, legacyKeysOf, readItemKey } from './items';
import type { CloudStore } from './store';
import { log } from '../log';

/** A generation placed in time: ULIDs by their own time, the browser plugin's items by what was found once. */
export interface Placed {
  id: string;
  /** Milliseconds since the epoch. */
  time: number;
}

/** Newest first; ties (legacy times are whole seconds) broken by ID, so every load and page agree. */
export const newerFirst = (a: Placed, b: Placed): number => b.time - a.time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The time of a ULID, or undefined when its first character puts it past the year 10889 (not a real time). */
export const ulidTime = (id: string): number | undefined => {
  try {
    return decodeTime(id);
  } catch {
    return undefined;
  }
};

/** True when `e` comes after `pos` in the history's order. */
export const isAfter = (e: Placed, pos: Placed | undefined): boolean => !pos || newerFirst(pos, e) < 0;

/**
 * The sort-key range where this app's items live: ULIDs from 2023 (before this app) to a year
 * from now, capped at the end of the `01…` era (2039), so no lower-case UUID can fall inside
 * it. Everything outside it (the browser plugin's UUIDs, odd keys) is found by the discovery.
 */
const floorKey = `${encodeTime(Date.parse('2023-01-01T00:00:00Z'), 10)}${'0'.repeat(16)}`;
const eraEnd = `01${'Z'.repeat(24)}`;
export const ulidRange = (now = Date.now()): { from: string; to: string } => {
  const ceiling = `${encodeTime(now + 365 * 86_400_000, 10)}${'Z'.repeat(16)}`;
  return { from: floorKey, to: ceiling < eraEnd ? ceiling : eraEnd };
};

/** What the discovery found: items outside the ULID range, placed in time, and those it could not place. */
export interface LegacyMap {
  /** Newest first. */
  entries: Placed[];
  unreadable: Array<[key: string, reason: string]>;
  /** The top of the ULID range when it ran: keys above it were looked at here. */
  ceiling: string;
  discoveredAt: number;
}

const mapSchema = z.object({
  version: z.literal(1),
  table: z.string(),
  bucket: z.string(),
  project: z.string(),
  ceiling: z.string().max(64),
  discoveredAt: z.number(),
  entries: z.array(z.object({ id: z.string().refine(isItemId), time: z.number().int().min(0) })),
  unreadable: z.array(z.tuple([z.string().max(2000), z.string().max(2000)])),
});

/** How long a discovery is trusted before the next listing refreshes it in the background. */
const refreshAfterMs = 6 * 3_600_000;

/**
 * The browser plugin's items (random UUID keys, no creation time): found once per machine and
 * project by two Queries over the key ranges outside this app's (projected to keys and times;
 * cost grows with the plugin's items, not with the history), each placed by its first image's
 * upload time in S3, and kept on disk (`<dataDir>/cloud-index/`). Refreshed when asked, and
 * in the background once it is old.
 */
export class LegacyIndex {
  private readonly maps = new Map<string, LegacyMap>();
  private readonly running = new Map<string, Promise<LegacyMap>>();

  constructor(
    private readonly dir: string,
    /** Runs S3 HEAD requests within the cache's limit (six at a time). */
    private readonly limited: <T>(run: () => Promise<T>) => Promise<T>,
  ) {}

  private name(project: string, store: CloudStore): string {
    const { table, bucket } = store.target;
    return createHash('sha256').update(`${table}\n${bucket}\n${project}`).digest('hex').slice(0, 32);
  }

  /** The map of `project`: from memory, from disk, or discovered now (the first time on this machine). */
  async get(project: string, store: CloudStore): Promise<LegacyMap> {
    const name = this.name(project, store);
    const map = this.maps.get(name) ?? (await this.load(name, project, store));
    if (!map) return this.refresh(project, store);
    this.maps.set(name, map);
    // Old: this page uses it as it is, the next ones what the look finds.
    if (Date.now() - map.discoveredAt > refreshAfterMs && !this.running.has(name))
      this.refresh(project, store).catch((e: unknown) =>
        log.warn(`Cloud: looking for legacy items failed: ${String(e)}`),
      );
    return map;
  }

  /** Looks again (times already found are kept); one discovery per project at a time. */
  refresh(project: string, store: CloudStore): Promise<LegacyMap> {
    const name = this.name(project, store);
    let run = this.running.get(name);
    if (!run) {
      run = this.discover(project, store, this.maps.get(name))
        .then(async (map) => {
          this.maps.set(name, map);
          await this.save(name, project, store, map);
          return map;
        })
        .finally(() => this.running.delete(name));
      this.running.set(name, run);
    }
    return run;
  }

  private async load(name: string, project: string, store: CloudStore): Promise<LegacyMap | undefined> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(pathInside(this.dir, `${name}.json`), 'utf8'));
    } catch {
      return undefined; // none yet, or unreadable: discovered again
    }
    const parsed = mapSchema.safeParse(raw);
    const { table, bucket } = store.target;
    if (!parsed.success || parsed.data.project !== project || parsed.data.table !== table) return undefined;
    if (parsed.data.bucket !== bucket) return undefined;
    const { entries, unreadable, ceiling, discoveredAt } = parsed.data;
    return { entries: entries.sort(newerFirst), unreadable, ceiling, discoveredAt };
  }

  private async save(name: string, project: string, store: CloudStore, map: LegacyMap): Promise<void> {
    await mkdirPrivate(this.dir);
    const { table, bucket } = store.target;
    const file = { version: 1, table, bucket, project, ...map };
    await writeFileAtomic(pathInside(this.dir, `${name}.json`), JSON.stringify(file));
  }

  private async discover(project: string, store: CloudStore, known: LegacyMap | undefined): Promise<LegacyMap> {
    const { from, to } = ulidRange();
    const times = new Map((known?.entries ?? []).map((e) => [e.id, e.time]));
    const attributes = ['generation_id', 'created_at', 's3_object_keys'];
    const query = async (range: { above: string } | { below: string }): Promise<unknown[]> => {
      const found: unknown[] = [];
      for await (const items of store.queryRange(project, range, { pageSize: 1000, attributes })) found.push(...items);
      return found;
    };
    const raw = (await Promise.all([query({ above: to }), query({ below: from })])).flat();
    const unreadable: Array<[string, string]> = [];
    const entries: Placed[] = [];
    await Promise.all(
      raw.map(async (item) => {
        const read = readItemKey(project, item);
        if (!read.ok) {
          unreadable.push([read.key, read.reason]);
          return;
        }
        const k = read.value;
        const id = k.generation_id;
        if (isUlid(id)) {
          const time = ulidTime(id);
          if (time === undefined) unreadable.push([`${project}/${id}`, 'its ID is not a valid time']);
          else entries.push({ id, time });
          return;
        }
        const stated = createdAtOf(k);
        let time = stated ? Date.parse(stated) : times.get(id);
        if (time === undefined) {
          // The plugin's item: its first image's upload time stands in. An object S3 does not
          // have leaves the item unplaced (said as unreadable); any other failure fails the look,
          // so no item is ever placed by a guess.
          const first = legacyKeysOf(k)[0];
          const modified =
            typeof first === 'string' && parseObjectKey(first)
              ? await this.limited(() => store.lastModified(first).catch(absentObject))
              : undefined;
          time = modified?.getTime();
        }
        if (time !== undefined) {
          entries.push({ id, time });
          return;
        }
        const reason =
          legacyKeysOf(k).length === 0
            ? 'it has no images'
            : 'it has no creation time, and its first image has no upload time';
        unreadable.push([`${project}/${id}`, reason]);
      }),
    );
    return { entries: entries.sort(newerFirst), unreadable, ceiling: to, discoveredAt: Date.now() };
  }
}

/** A HEAD of an object that is not there (or not ours to read) answers "no time"; anything else is thrown. */
const absentObject = (error: unknown): undefined => {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NotFound' || e.name === 'NoSuchKey' || status === 404 || status === 403) return undefined;
  throw error;
};
