import { join } from 'node:path';
import { encodeTime } from 'ulid';
import { isUlid } from '../../../src-shared/ids';
import type { SyncInfo } from '../../../src-shared/generation';
import type { GenerationRecord, LocalLibrary } from '../library/local-library';
import { matchesWords, queryWords } from '../library/search-text';
import type { CloudCache } from './cache';
import { readItem } from './items';
import { LegacyIndex, isAfter, newerFirst, ulidRange, ulidTime } from './legacy-index';
import type { LegacyMap, Placed } from './legacy-index';
import type { Job } from './outbox';
import { SearchIndex, generationIdOf } from './search-index';
import type { CloudStore, CloudTarget } from './store';

export interface CloudHistoryOptions {
  dataDir: string;
  library: LocalLibrary;
  cache: CloudCache;
  /** Jobs waiting in the outbox: uploads still to show, deletes already to apply. */
  pending: () => Job[];
  project: () => Promise<string>;
  target: () => CloudTarget;
  store: (target: CloudTarget) => CloudStore;
}

/** A place in the history: an item already read (from the newest-first Query), or one to read. */
interface Entry extends Placed {
  item?: unknown;
  /** Still only on this computer: read from the local library. */
  local?: boolean;
}

export interface CloudPage {
  records: Array<{ record: GenerationRecord; sync: SyncInfo }>;
  nextCursor?: string;
}

export const syncInfo = (s: GenerationRecord['sync']): SyncInfo | undefined => {
  if (!s) return undefined;
  const out: SyncInfo = { state: s.state };
  if (s.reason) out.reason = s.reason;
  if (s.attempts) out.attempts = s.attempts;
  if (s.nextAttemptAt) out.nextAttemptAt = s.nextAttemptAt;
  return out;
};

/**
 * The project's history as this computer sees it, newest first: this app's items read a page at
 * a time (a newest-first Query over their ULID keys), the browser plugin's items placed by the
 * legacy index, and what waits to upload or was made with cloud storage off, merged. A page
 * costs about a page of reads, whatever the size of the history. Every item is read by its
 * schema; what cannot be read is left out and named.
 */
export class CloudHistory {
  /** Items of the current project that could not be read, by key, with why (said in the history's notice). */
  private unreadable = new Map<string, string>();
  readonly legacy: LegacyIndex;
  private readonly searchIndex = new SearchIndex();

  constructor(private readonly o: CloudHistoryOptions) {
    this.legacy = new LegacyIndex(join(o.dataDir, 'cloud-index'), (run) => o.cache.limited(run));
  }

  /** History changed here (a delete): search forgets the generation at once. */
  invalidate(generationId?: string): void {
    if (generationId) this.searchIndex.forget(generationId);
  }

  /**
   * Said with the history while items of the project could not be read: how many, which, and
   * why. The rest of the history is shown as usual.
   */
  unreadableNotice(): string | undefined {
    const n = this.unreadable.size;
    if (n === 0) return undefined;
    // In key order: the same few named on every load, however the pages were read.
    const some = [...this.unreadable]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, 3)
      .map(([key, why]) => `${key} (${why})`)
      .join('; ');
    return `${n === 1 ? '1 item' : `${n} items`} of the cloud history could not be read and ${n === 1 ? 'is' : 'are'} not shown: ${some}${n > 3 ? '; …' : ''}.`;
  }

  /** Looks for the browser plugin's items again (a manual refresh). */
  async refreshLegacy(): Promise<void> {
    await this.legacy.refresh(await this.o.project(), this.o.store(this.o.target()));
  }

  /** Newest first: the project's generations in DynamoDB plus those still waiting to upload. */
  async list(limit: number, cursor?: string): Promise<CloudPage> {
    const project = await this.o.project();
    const store = this.o.store(this.o.target());
    // A first page asks DynamoDB for its items while the legacy index is found (or loaded).
    const first = cursor ? undefined : this.newest(project, store, undefined, limit + 1);
    first?.catch(() => undefined); // its failure is answered below, once the legacy index is in
    const { legacy } = await this.context(!cursor, project, store);
    const pos = this.position(cursor, legacy);
    if (cursor && !pos) return { records: [] };
    const [fromTable, local] = await Promise.all([
      first ?? this.newest(project, store, pos, limit + 1),
      this.localEntries(project),
    ]);
    for (const [key, why] of fromTable.unreadable) this.unreadable.set(key, why);
    const candidates = merge([
      fromTable.entries,
      legacy.entries.filter((e) => isAfter(e, pos)),
      local.filter((e) => isAfter(e, pos)),
    ]);
    return this.pageOf(candidates, limit, project, store);
  }

  /**
   * Generations of the project whose prompt or negative prompt holds every word of `query`,
   * newest first: those made on other computers too. Matched in the search index (kept warm:
   * a keystroke reads only what is newer than what it knows), so pages read only their items.
   */
  async search(query: string, limit: number, cursor?: string): Promise<CloudPage> {
    const { project, store, legacy } = await this.context(!cursor);
    const pos = this.position(cursor, legacy);
    if (cursor && !pos) return { records: [] };
    const texts = await this.searchIndex.texts(project, store);
    const words = queryWords(query);
    const legacyTime = new Map(legacy.entries.map((e) => [e.id, e.time]));
    // The plugin's items found since the index was read: their items are fetched once.
    const unknown = legacy.entries.filter((e) => !texts.has(e.id)).map((e) => e.id);
    for (const raw of unknown.length > 0 ? await store.getItems(project, unknown) : [])
      this.searchIndex.learn(project, store, raw);
    this.searchIndex.gone(project, store, unknown);
    const found: Entry[] = [];
    for (const [id, hit] of texts) {
      if (!matchesWords(hit.text, words)) continue;
      const time = hit.time ?? legacyTime.get(id);
      if (time !== undefined && isAfter({ id, time }, pos)) found.push({ id, time });
    }
    const catalog = await this.o.library.catalog.entries();
    const local = (await this.localEntries(project)).filter(
      (e) => isAfter(e, pos) && matchesWords(catalog.get(e.id)?.text ?? '', words),
    );
    return this.pageOf(merge([local, found]), limit, project, store);
  }

  private async context(
    first: boolean,
    project?: string,
    given?: CloudStore,
  ): Promise<{ project: string; store: CloudStore; legacy: LegacyMap }> {
    project ??= await this.o.project();
    const store = given ?? this.o.store(this.o.target());
    const legacy = await this.legacy.get(project, store);
    // A first page starts the notice afresh: what the legacy index could not place, then what pages read.
    if (first) this.unreadable = new Map(legacy.unreadable);
    return { project, store, legacy };
  }

  /** Where a cursor (the last ID of the previous page) stands in the order. */
  private position(cursor: string | undefined, legacy: LegacyMap): Placed | undefined {
    if (!cursor) return undefined;
    const time = isUlid(cursor) ? ulidTime(cursor) : legacy.entries.find((e) => e.id === cursor)?.time;
    return time === undefined ? undefined : { id: cursor, time };
  }

  /**
   * Up to `want` of this app's items after `pos`, straight from a newest-first Query over the
   * ULID key range (reading about that many items), and the keys in the range that are not
   * ULIDs (unreadable, with why).
   */
  private async newest(
    project: string,
    store: CloudStore,
    pos: Placed | undefined,
    want: number,
  ): Promise<{ entries: Entry[]; unreadable: Array<[string, string]> }> {
    const range = ulidRange();
    let top = range.to;
    if (pos) {
      const bound = isUlid(pos.id) ? pos.id : `${encodeTime(pos.time, 10)}${'Z'.repeat(16)}`;
      if (bound < top) top = bound;
    }
    const unreadable: Array<[string, string]> = [];
    if (top < range.from) return { entries: [], unreadable };
    const found: Entry[] = [];
    // The range includes its top: a ULID cursor comes back first and is passed over.
    const pageSize = want + (pos && top === pos.id ? 1 : 0);
    for await (const items of store.queryRange(project, { from: range.from, to: top }, { pageSize })) {
      for (const item of items) {
        const id = generationIdOf(item);
        const time = id && isUlid(id) ? ulidTime(id) : undefined;
        if (!id || time === undefined) {
          const read = readItem(project, item, undefined);
          if (!read.ok) unreadable.push([read.key, read.reason]);
          continue;
        }
        if (isAfter({ id, time }, pos)) found.push({ id, time, item });
      }
      if (found.length >= want) break;
    }
    return { entries: found, unreadable };
  }

  /** Generations only on this computer: waiting to upload to this project, or made with cloud storage off. */
  private async localEntries(project: string): Promise<Entry[]> {
    const ids = new Set<string>();
    for (const job of this.o.pending()) if (job.kind === 'upload' && job.project === project) ids.add(job.generationId);
    for (const id of await this.o.library.localOnly()) ids.add(id);
    const entries: Entry[] = [];
    for (const id of ids) {
      const time = isUlid(id) ? ulidTime(id) : undefined;
      if (time !== undefined) entries.push({ id, time, local: true });
    }
    return entries;
  }

  /** The first `limit` of `candidates` (in order) as records: local where this computer has them, else the items. */
  private async pageOf(candidates: Entry[], limit: number, project: string, store: CloudStore): Promise<CloudPage> {
    const page = candidates.slice(0, limit);
    const toRead = page.filter((e) => !e.local && e.item === undefined).map((e) => e.id);
    const items = new Map<string, unknown>();
    for (const raw of toRead.length > 0 ? await store.getItems(project, toRead) : []) {
      const id = generationIdOf(raw);
      if (id) items.set(id, raw);
    }
    const records: CloudPage['records'] = [];
    const thumbs: Array<Promise<void>> = [];
    for (const entry of page) {
      const local = await this.o.library.get(entry.id);
      if (local && (entry.local || local.sync?.project === project)) {
        records.push({
          record: local,
          sync: local.sync ? (syncInfo(local.sync) ?? { state: 'synced' }) : { state: 'local' },
        });
        continue;
      }
      const item = entry.item ?? items.get(entry.id);
      if (!item) continue; // deleted meanwhile
      const read = readItem(project, item, new Date(entry.time).toISOString());
      if (!read.ok) {
        this.unreadable.set(read.key, read.reason);
        continue;
      }
      this.searchIndex.learn(project, store, item);
      const record = this.withPendingDeletes(project, read.value.record);
      if (!record) continue; // deleted here, the cloud not told yet
      thumbs.push(this.o.cache.learn(record, read.value, store));
      records.push({ record, sync: { state: 'cloud' } });
    }
    // The grid's thumbnails are ready when the page is (fetched six at a time).
    await Promise.all(thumbs);
    const last = page.at(-1);
    return candidates.length > limit && last ? { records, nextCursor: last.id } : { records };
  }

  /**
   * A cloud record as this computer will leave it once its queued deletes reach the cloud: a
   * deleted image does not come back on a reload while the delete waits (offline, retrying).
   * Undefined when the whole generation is being deleted.
   */
  private withPendingDeletes(project: string, record: GenerationRecord): GenerationRecord | undefined {
    let next = record;
    for (const job of this.o.pending()) {
      if (job.kind !== 'delete' || job.project !== project || job.generationId !== record.id) continue;
      if (job.imageIds === 'all') return undefined;
      const gone = new Set(job.imageIds);
      const removed = next.images.filter((i) => gone.has(i.id));
      next = {
        ...next,
        images: next.images.filter((i) => !gone.has(i.id)),
        deleted: [...new Set([...(next.deleted ?? []), ...removed.map((i) => i.index)])].sort((a, b) => a - b),
      };
    }
    return next.images.length > 0 ? next : undefined;
  }
}

/** Sources merged into one order; an ID in several is kept once (the first source's). */
const merge = (sources: Entry[][]): Entry[] => {
  const seen = new Set<string>();
  const out: Entry[] = [];
  for (const source of sources)
    for (const e of source) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      out.push(e);
    }
  return out.sort(newerFirst);
};
