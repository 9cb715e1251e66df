import { decodeTime } from 'ulid';
import { isItemId, parseObjectKey } from '../../../src-shared/ids';
import type { SyncInfo } from '../../../src-shared/generation';
import type { GenerationRecord, LocalLibrary } from '../library/local-library';
import { matchesWords, queryWords, searchText } from '../library/search-text';
import type { CloudCache } from './cache';
import { createdAtOf, inputOfItem, legacyKeysOf, readItem, readItemKey } from './items';
import type { Job } from './outbox';
import type { CloudStore, CloudTarget } from './store';

export interface CloudHistoryOptions {
  library: LocalLibrary;
  cache: CloudCache;
  /** Jobs waiting in the outbox: uploads still to show, deletes already to apply. */
  pending: () => Job[];
  project: () => Promise<string>;
  target: () => CloudTarget;
  store: (target: CloudTarget) => CloudStore;
}

interface IndexEntry {
  id: string;
  /** When it was made (ms); legacy items: their first image's upload time, to the second. */
  time: number;
  /** False when no time could be found (a legacy item whose first image S3 does not have). */
  timeKnown: boolean;
  /** Still only on this computer: read from the local library. */
  local: boolean;
}

export interface CloudPage {
  records: Array<{ record: GenerationRecord; sync: SyncInfo }>;
  nextCursor?: string;
}

/** How long a search keeps the project's prompts before a new search reads them again. */
const searchFreshMs = 30_000;

export const syncInfo = (s: GenerationRecord['sync']): SyncInfo | undefined => {
  if (!s) return undefined;
  const out: SyncInfo = { state: s.state };
  if (s.reason) out.reason = s.reason;
  if (s.attempts) out.attempts = s.attempts;
  if (s.nextAttemptAt) out.nextAttemptAt = s.nextAttemptAt;
  return out;
};

/**
 * The project's history as this computer sees it: DynamoDB's items in time order, merged with
 * what waits to upload and what was made with cloud storage off, paged and searched. Every
 * item is read by its schema; what cannot be read is left out and named.
 */
export class CloudHistory {
  /** Upload time of a legacy item's first image, found once (a failed look is tried again next time). */
  private readonly legacyTimes = new Map<string, number>();
  /** Items of the current project that could not be read, by key, with why (said in the history's notice). */
  private unreadable = new Map<string, string>();
  private index: { project: string; target: CloudTarget; entries: IndexEntry[] } | undefined;
  /** Search text per generation ID of the indexed project, read when first searched. */
  private prompts: { project: string; table: string; texts: Map<string, string>; readAt: number } | undefined;

  constructor(private readonly o: CloudHistoryOptions) {}

  /** Project or storage changed, or history changed here: rebuild the order on the next first page. */
  invalidate(): void {
    this.index = undefined;
    this.prompts = undefined;
  }

  /**
   * Said with the history while items of the project could not be read: how many, which, and
   * why. The rest of the history is shown as usual.
   */
  unreadableNotice(): string | undefined {
    const n = this.unreadable.size;
    if (n === 0) return undefined;
    const some = [...this.unreadable]
      .slice(0, 3)
      .map(([key, why]) => `${key} (${why})`)
      .join('; ');
    return `${n === 1 ? '1 item' : `${n} items`} of the cloud history could not be read and ${n === 1 ? 'is' : 'are'} not shown: ${some}${n > 3 ? '; …' : ''}.`;
  }

  private async buildIndex(project: string, target: CloudTarget): Promise<IndexEntry[]> {
    const store = this.o.store(target);
    const raw = await store.listKeys(project);
    this.unreadable = new Map();
    const keys = [];
    for (const item of raw) {
      const read = readItemKey(project, item);
      if (read.ok) keys.push(read.value);
      else this.unreadable.set(read.key, read.reason);
    }
    const entries: IndexEntry[] = await Promise.all(
      keys.map(async (k): Promise<IndexEntry> => {
        const known = createdAtOf(k);
        if (known) return { id: k.generation_id, time: Date.parse(known), timeKnown: true, local: false };
        // A browser-plugin item: no creation time, a UUID key. The first image's upload time stands in.
        let time = this.legacyTimes.get(k.generation_id);
        if (time === undefined) {
          const first = legacyKeysOf(k)[0];
          // S3 has no such object (or refuses that key): the item has no time and is shown as unreadable.
          // Any other failure fails the listing, so no item is ever placed by a guessed time.
          const modified =
            typeof first === 'string' && parseObjectKey(first)
              ? await this.o.cache.limited(() => store.lastModified(first).catch(absentObject))
              : undefined;
          time = modified?.getTime();
          if (time !== undefined) this.legacyTimes.set(k.generation_id, time);
        }
        return { id: k.generation_id, time: time ?? 0, timeKnown: time !== undefined, local: false };
      }),
    );
    const listed = new Set(entries.map((e) => e.id));
    for (const job of this.o.pending()) {
      if (job.kind === 'upload' && job.project === project && !listed.has(job.generationId)) {
        const record = await this.o.library.get(job.generationId);
        if (record) entries.push({ id: record.id, time: Date.parse(record.createdAt), timeKnown: true, local: true });
        listed.add(job.generationId);
      }
    }
    // Made while cloud storage was off: shown in place, marked as this computer's only, so turning
    // cloud storage on hides nothing.
    for (const id of await this.o.library.localOnly()) {
      if (!listed.has(id)) entries.push({ id, time: decodeTime(id), timeKnown: true, local: true });
    }
    // Newest first; legacy times have one-second resolution, so ties are broken by ID: the same
    // order on every load and every page.
    return entries.sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  /** The order index of the current project, rebuilt on a first page or when project or table changed. */
  private async orderIndex(project: string, target: CloudTarget, fresh: boolean): Promise<IndexEntry[]> {
    if (fresh || !this.index || this.index.project !== project || this.index.target.table !== target.table) {
      this.index = { project, target, entries: await this.buildIndex(project, target) };
    }
    return this.index.entries;
  }

  /** Newest first: the project's generations in DynamoDB plus those still waiting to upload. */
  async list(limit: number, cursor?: string): Promise<CloudPage> {
    const project = await this.o.project();
    const target = this.o.target();
    return this.pageOf(await this.orderIndex(project, target, !cursor), limit, cursor, project, target);
  }

  /**
   * Generations of the project whose prompt or negative prompt holds every word of `query`,
   * newest first: those made on other computers too. A first page reads the project's prompts
   * once (one projected Query); following pages and typing reuse them until history changes.
   */
  async search(query: string, limit: number, cursor?: string): Promise<CloudPage> {
    const project = await this.o.project();
    const target = this.o.target();
    const prompts = this.prompts;
    const current = prompts?.project === project && prompts.table === target.table;
    // A new search (first page) re-reads what other computers added once the prompts are a little old.
    const stale = !current || (!cursor && Date.now() - prompts.readAt > searchFreshMs);
    const entries = await this.orderIndex(project, target, stale);
    let texts: Map<string, string>;
    if (!stale) texts = prompts.texts;
    else {
      texts = new Map();
      for (const item of await this.o.store(target).listInputs(project)) {
        const fields = searchFields(item);
        if (fields) texts.set(fields.id, searchText(inputOfItem(fields)));
      }
      this.prompts = { project, table: target.table, texts, readAt: Date.now() };
    }
    // Generations the history has seen since the prompts were read (another computer's, or just
    // synced from here): their items are fetched once, so a new search finds them at once.
    const unknown = entries.filter((e) => !e.local && !texts.has(e.id)).map((e) => e.id);
    if (unknown.length > 0) {
      const found = await this.o.store(target).getItems(project, unknown);
      for (const item of found) {
        const fields = searchFields(item);
        if (fields) texts.set(fields.id, searchText(inputOfItem(fields)));
      }
    }
    const words = queryWords(query);
    const matches: IndexEntry[] = [];
    for (const entry of entries) {
      let text = entry.local ? undefined : texts.get(entry.id);
      if (text === undefined) {
        const local = await this.o.library.get(entry.id);
        text = local ? searchText(local.input) : '';
      }
      if (matchesWords(text, words)) matches.push(entry);
    }
    return this.pageOf(matches, limit, cursor, project, target);
  }

  /** One page of `entries` after `cursor`: local records where this computer has them, else the items. */
  private async pageOf(
    entries: IndexEntry[],
    limit: number,
    cursor: string | undefined,
    project: string,
    target: CloudTarget,
  ): Promise<CloudPage> {
    const start = cursor ? entries.findIndex((e) => e.id === cursor) + 1 : 0;
    if (cursor && start === 0) return { records: [] };
    const page = entries.slice(start, start + limit);
    const cloudIds = page.filter((e) => !e.local).map((e) => e.id);
    const items = new Map<string, unknown>();
    for (const raw of await this.o.store(target).getItems(project, cloudIds)) {
      const id = generationIdOf(raw);
      if (id) items.set(id, raw);
    }
    const records: CloudPage['records'] = [];
    for (const entry of page) {
      const local = await this.o.library.get(entry.id);
      if (local && (entry.local || local.sync?.project === project)) {
        records.push({
          record: local,
          sync: local.sync ? (syncInfo(local.sync) ?? { state: 'synced' }) : { state: 'local' },
        });
        continue;
      }
      const item = items.get(entry.id);
      if (!item) continue; // deleted meanwhile
      const read = readItem(project, item, entry.timeKnown ? new Date(entry.time).toISOString() : undefined);
      if (!read.ok) {
        this.unreadable.set(read.key, read.reason);
        continue;
      }
      const { keys, thumbs } = read.value;
      const record = this.withPendingDeletes(project, read.value.record);
      if (!record) continue; // deleted here, the cloud not told yet
      await this.o.cache.learn(record, keys, thumbs);
      records.push({ record, sync: { state: 'cloud' } });
    }
    const last = page.at(-1);
    return start + limit < entries.length && last ? { records, nextCursor: last.id } : { records };
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

/** A HEAD of an object that is not there (or not ours to read) answers "no time"; anything else is thrown. */
const absentObject = (error: unknown): undefined => {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NotFound' || e.name === 'NoSuchKey' || status === 404 || status === 403) return undefined;
  throw error;
};

/** The generation ID of a raw item, when it is one by the grammar. */
const generationIdOf = (raw: unknown): string | undefined => {
  const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).generation_id : undefined;
  return isItemId(id) ? id : undefined;
};

/** What search reads of a raw item: its ID and input texts, when they are strings. */
const searchFields = (raw: unknown): { id: string; studio_input?: string; input_obj?: string } | undefined => {
  const id = generationIdOf(raw);
  if (!id) return undefined;
  const o = raw as Record<string, unknown>;
  return {
    id,
    ...(typeof o.studio_input === 'string' ? { studio_input: o.studio_input } : {}),
    ...(typeof o.input_obj === 'string' ? { input_obj: o.input_obj } : {}),
  };
};
