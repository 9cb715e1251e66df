import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { decodeTime } from 'ulid';
import { isItemId, parseObjectKey } from '../../../src-shared/ids';
import type { Settings } from '../../../src-shared/settings';
import type { SyncInfo } from '../../../src-shared/generation';
import type { AwsClients } from '../aws/clients';
import { currentIdentityId } from '../aws/credentials';
import { mapAwsError } from '../aws/map-error';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic';
import type { GenerationRecord, LocalLibrary } from '../library/local-library';
import { idFolder, imageFileIn } from '../safe-path';
import { ensureThumbnail, thumbnailsSettled } from '../library/thumbnails';
import type { StateStore } from '../state-store';
import { matchesWords, queryWords, searchText } from '../library/search-text';
import { createdAtOf, inputOfItem, legacyKeysOf, objectKey, readItem, readItemKey, toItem } from './items';
import type { CloudItem } from './items';
import { CacheLimit } from './cache-limit';
import { Outbox } from './outbox';
import type { DeleteJob, Job, UploadJob } from './outbox';
import { CloudStore } from './store';
import type { CloudTarget } from './store';

export interface CloudLibraryOptions {
  dataDir: string;
  /** How many bytes of full-size images the cloud cache keeps (default 2 GiB). */
  cacheBytes?: number;
  library: LocalLibrary;
  state: StateStore;
  settings: () => Settings;
  clients: () => AwsClients;
  /** A generation's cloud state changed (pending → synced, a retry failed …). */
  onSync: (generationId: string, sync: SyncInfo) => void;
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

const syncInfo = (s: GenerationRecord['sync']): SyncInfo | undefined => {
  if (!s) return undefined;
  const out: SyncInfo = { state: s.state };
  if (s.reason) out.reason = s.reason;
  if (s.attempts) out.attempts = s.attempts;
  if (s.nextAttemptAt) out.nextAttemptAt = s.nextAttemptAt;
  return out;
};

/**
 * Cloud history in the user's S3 bucket and DynamoDB table. Local first: a generation is
 * always in the local library before any upload, and an outbox carries every upload and
 * delete until S3 and DynamoDB have taken it.
 */
export class CloudLibrary {
  readonly outbox: Outbox;
  /** `<dataDir>/cloud-cache/<generationId>/`: images and thumbnails fetched from the cloud. */
  readonly cacheDir: string;
  /** Keeps the cache of images fetched from S3 within its size. */
  readonly cacheLimit: CacheLimit;
  /** S3 key per `<generationId>/<imageId>`, learnt from items. */
  private readonly keys = new Map<string, string>();
  /** Upload time of a legacy item's first image, found once (a failed look is tried again next time). */
  private readonly legacyTimes = new Map<string, number>();
  /** Items of the current project that could not be read, by key, with why (said in the history's notice). */
  private unreadable = new Map<string, string>();
  /** Records of cloud-only generations seen in listings (for downloads with parameters). */
  private readonly records = new Map<string, GenerationRecord>();
  private index: { project: string; target: CloudTarget; entries: IndexEntry[] } | undefined;
  /** Search text per generation ID of the indexed project, read when first searched. */
  private prompts: { project: string; table: string; texts: Map<string, string>; readAt: number } | undefined;
  private readonly fetches = pLimit(6);
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(private readonly o: CloudLibraryOptions) {
    this.cacheDir = join(o.dataDir, 'cloud-cache');
    this.cacheLimit = new CacheLimit(this.cacheDir, o.cacheBytes);
    this.outbox = new Outbox(join(o.dataDir, 'outbox'), {
      run: (job, save) => (job.kind === 'upload' ? this.upload(job, save) : this.delete(job)),
      settled: (job, error) => this.settled(job, error),
    });
  }

  enabled(): boolean {
    return this.o.settings().storeGeneratedImages;
  }

  private target(s = this.o.settings()): CloudTarget {
    return { bucket: s.generationsBucket, table: s.generationsTable };
  }

  private store(target = this.target()): CloudStore {
    return new CloudStore(this.o.clients(), target);
  }

  /** The project ID setting; when empty, the Cognito identity (Cognito mode) or "default". */
  async project(s = this.o.settings()): Promise<string> {
    if (s.projectId) return s.projectId;
    if (s.credentialsMode !== 'cognito') return 'default';
    if (!currentIdentityId(s, this.o.state)) await this.o.clients().credentials()();
    return currentIdentityId(s, this.o.state) ?? 'default';
  }

  /** The project an upload goes to: the current one, or (without credentials yet) the setting or "default". */
  async uploadProject(): Promise<string> {
    try {
      return await this.project();
    } catch (error) {
      console.warn('Cloud project unknown', error);
      return this.o.settings().projectId || 'default';
    }
  }

  /** After a generation is safe locally: mark it pending and queue its upload. */
  async enqueueUpload(record: GenerationRecord): Promise<GenerationRecord> {
    const project = record.sync?.project ?? (await this.uploadProject());
    const next: GenerationRecord = { ...record, sync: { state: 'pending', project } };
    await this.o.library.save(next);
    this.outbox.add({ kind: 'upload', generationId: record.id, project, target: this.target(), uploaded: [] });
    this.invalidate();
    return next;
  }

  /**
   * Queues again every generation of the local library marked pending whose upload job is
   * gone: a crash between marking it and queueing, a job file set aside as damaged, or a
   * generation the app stopped in the middle of (marked pending when it started; it goes with
   * the images it had). Without this it would wait forever and never show in the cloud history.
   * `busy` names generations still being made, whose upload is queued when they finish.
   */
  async requeueUnqueued(busy: (generationId: string) => boolean = () => false): Promise<number> {
    if (!this.enabled()) return 0;
    // Asked per record, not once: a generation that finishes during the look queues its own upload.
    const queued = (id: string): boolean =>
      this.outbox.pending().some((j) => j.kind === 'upload' && j.generationId === id);
    let requeued = 0;
    // The library's catalog (read once, kept up to date) says which are pending; only those are read again.
    for (const id of await this.o.library.pendingUpload()) {
      if (busy(id) || queued(id)) continue;
      const record = await this.o.library.get(id);
      if (record?.sync?.state !== 'pending' || record.images.length === 0) continue;
      await this.enqueueUpload(record.status === 'running' ? { ...record, status: 'partial' } : record);
      requeued++;
    }
    if (requeued > 0) {
      console.warn(`Cloud: ${requeued} generation(s) had no upload job (lost, or cut short by a stop); queued.`);
      this.invalidate();
    }
    return requeued;
  }

  private async upload(job: UploadJob, save: () => void): Promise<void> {
    const record = await this.o.library.get(job.generationId);
    if (!record) return; // deleted before it reached the cloud
    const store = this.store(job.target);
    for (const image of record.images) {
      if (job.uploaded.includes(image.id)) continue;
      const bytes = await readFile(join(this.o.library.folderOf(record.id), image.file));
      await store.putImage(objectKey(job.project, record.id, image.id, image.contentType), bytes, image.contentType, {
        generation: record.id,
        image: image.id,
        seed: String(image.seed),
      });
      job.uploaded.push(image.id);
      save();
    }
    const thumbs = new Map<string, Uint8Array>();
    for (const image of record.images) {
      const folder = this.o.library.folderOf(record.id);
      const thumb = join(folder, `${image.id}.thumb.webp`);
      try {
        await ensureThumbnail(join(folder, image.file), thumb);
        thumbs.set(image.id, await readFile(thumb));
      } catch (error) {
        console.warn(`No thumbnail for ${record.id}/${image.id}: ${String(error)}`);
      }
    }
    await store.putItem(toItem(job.project, record, thumbs));
  }

  private async delete(job: DeleteJob): Promise<void> {
    const store = this.store(job.target);
    if (job.keys.length > 0) await store.deleteObjects(job.keys);
    const raw = await store.getItem(job.project, job.generationId);
    if (!raw) return;
    if (job.imageIds === 'all') return store.deleteItem(job.project, job.generationId);
    const read = readItem(job.project, raw, new Date(0).toISOString());
    // An item nobody can read was never shown, so none of its images can have been picked.
    if (!read.ok) return;
    const { record } = read.value;
    const gone = new Set(job.imageIds);
    const left = record.images.filter((i) => !gone.has(i.id));
    if (left.length === 0) return store.deleteItem(job.project, job.generationId);
    // Every machine must agree: the places of deleted images are recorded, not left as gaps.
    const deleted = [
      ...new Set([...(record.deleted ?? []), ...record.images.filter((i) => gone.has(i.id)).map((i) => i.index)]),
    ].sort((a, b) => a - b);
    const item = raw as CloudItem;
    const next: CloudItem = {
      ...item,
      s3_object_keys: JSON.stringify(left.map((i) => read.value.keys.get(i.id))),
      deleted,
    };
    if (item.images) next.images = item.images.filter((i) => !gone.has(i.id));
    await store.putItem(next);
  }

  private async settled(job: Job, error: unknown): Promise<void> {
    if (job.kind !== 'upload') {
      if (error) console.warn(`Cloud delete of ${job.generationId} will be retried: ${job.lastError ?? ''}`);
      return;
    }
    const record = await this.o.library.get(job.generationId);
    if (!record) return;
    const reason = error
      ? mapAwsError(error, { credentialsMode: this.o.settings().credentialsMode }).message
      : undefined;
    const sync: GenerationRecord['sync'] = error
      ? {
          state: 'pending',
          project: job.project,
          reason: reason ?? 'Upload failed',
          attempts: job.attempts,
          nextAttemptAt: job.nextAttemptAt,
        }
      : { state: 'synced', project: job.project };
    await this.o.library.save({ ...record, sync });
    const info = syncInfo(sync);
    if (info) this.o.onSync(job.generationId, info);
  }

  /** Deleting locally also deletes in the cloud, through the outbox (so it survives being offline). */
  async enqueueDelete(
    record: GenerationRecord | undefined,
    generationId: string,
    imageIds: string[] | undefined,
  ): Promise<void> {
    const project = record?.sync?.project ?? (await this.project());
    const keys = new Set<string>();
    const ids =
      imageIds ??
      record?.images.map((i) => i.id) ??
      [...this.keys.keys()].filter((k) => k.startsWith(`${generationId}/`)).map((k) => k.split('/')[1] ?? '');
    for (const id of ids) {
      const known = this.keys.get(`${generationId}/${id}`);
      const image = record?.images.find((i) => i.id === id);
      keys.add(known ?? objectKey(project, generationId, id, image?.contentType ?? 'image/png'));
      this.keys.delete(`${generationId}/${id}`);
    }
    this.outbox.add({
      kind: 'delete',
      generationId,
      project,
      target: this.target(),
      imageIds: imageIds ?? 'all',
      keys: [...keys],
    });
    const folder = this.cacheFolder(generationId);
    await thumbnailsSettled(folder);
    for (const id of ids.filter(isItemId)) {
      for (const ext of ['png', 'jpg', 'thumb.webp'])
        await rm(imageFileIn(this.cacheDir, generationId, `${id}.${ext}`), { force: true });
    }
    if (!imageIds) await rm(folder, { recursive: true, force: true, maxRetries: 3 });
    this.invalidate();
  }

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
    const store = this.store(target);
    const raw = await store.listKeys(project);
    const times = this.fetches;
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
              ? await times(() => store.lastModified(first).catch(absentObject))
              : undefined;
          time = modified?.getTime();
          if (time !== undefined) this.legacyTimes.set(k.generation_id, time);
        }
        return { id: k.generation_id, time: time ?? 0, timeKnown: time !== undefined, local: false };
      }),
    );
    const listed = new Set(entries.map((e) => e.id));
    for (const job of this.outbox.pending()) {
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
    const project = await this.project();
    const target = this.target();
    return this.pageOf(await this.orderIndex(project, target, !cursor), limit, cursor, project, target);
  }

  /**
   * Generations of the project whose prompt or negative prompt holds every word of `query`,
   * newest first: those made on other computers too. A first page reads the project's prompts
   * once (one projected Query); following pages and typing reuse them until history changes.
   */
  async search(query: string, limit: number, cursor?: string): Promise<CloudPage> {
    const project = await this.project();
    const target = this.target();
    const prompts = this.prompts;
    const current = prompts?.project === project && prompts.table === target.table;
    // A new search (first page) re-reads what other computers added once the prompts are a little old.
    const stale = !current || (!cursor && Date.now() - prompts.readAt > searchFreshMs);
    const entries = await this.orderIndex(project, target, stale);
    let texts: Map<string, string>;
    if (!stale) texts = prompts.texts;
    else {
      texts = new Map();
      for (const item of await this.store(target).listInputs(project)) {
        const fields = searchFields(item);
        if (fields) texts.set(fields.id, searchText(inputOfItem(fields)));
      }
      this.prompts = { project, table: target.table, texts, readAt: Date.now() };
    }
    // Generations the history has seen since the prompts were read (another computer's, or just
    // synced from here): their items are fetched once, so a new search finds them at once.
    const unknown = entries.filter((e) => !e.local && !texts.has(e.id)).map((e) => e.id);
    if (unknown.length > 0) {
      const found = await this.store(target).getItems(project, unknown);
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
    for (const raw of await this.store(target).getItems(project, cloudIds)) {
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
      this.records.set(record.id, record);
      for (const [imageId, key] of keys) this.keys.set(`${entry.id}/${imageId}`, key);
      await this.cacheThumbnails(entry.id, thumbs);
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
    for (const job of this.outbox.pending()) {
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

  /** Where a cloud image is cached locally, fetching it from S3 (in parallel, with a limit) the first time. */
  async cachedImage(generationId: string, imageId: string, ext: 'png' | 'jpg'): Promise<string | undefined> {
    const path = imageFileIn(this.cacheDir, generationId, `${imageId}.${ext}`);
    if (existsSync(path)) {
      void this.cacheLimit.used(path);
      return path;
    }
    if (!this.enabled()) return undefined;
    let pending = this.fetching.get(path);
    if (!pending) {
      pending = this.fetches(async () => {
        const project = await this.project();
        const key =
          this.keys.get(`${generationId}/${imageId}`) ??
          objectKey(project, generationId, imageId, ext === 'jpg' ? 'image/jpeg' : 'image/png');
        const { bytes } = await this.store().getImage(key);
        await mkdirPrivate(this.cacheFolder(generationId));
        await writeFileAtomic(path, bytes);
        this.cacheLimit.soon();
        return path;
      }).finally(() => this.fetching.delete(path));
      this.fetching.set(path, pending);
    }
    return pending;
  }

  private async cacheThumbnails(generationId: string, thumbs: Map<string, Uint8Array>): Promise<void> {
    if (thumbs.size === 0) return;
    await mkdirPrivate(this.cacheFolder(generationId));
    await Promise.all(
      [...thumbs].map(async ([imageId, bytes]) => {
        const path = imageFileIn(this.cacheDir, generationId, `${imageId}.thumb.webp`);
        if (!existsSync(path)) await writeFileAtomic(path, bytes);
      }),
    );
  }

  recordOf(generationId: string): GenerationRecord | undefined {
    return this.records.get(generationId);
  }

  /** The extension of a cloud image, when a listing told us. */
  imageExtension(generationId: string, imageId: string): 'png' | 'jpg' | undefined {
    const key = this.keys.get(`${generationId}/${imageId}`);
    if (!key) return undefined;
    return key.endsWith('.jpg') ? 'jpg' : 'png';
  }

  /** Where a cloud generation's images are cached; refuses an ID outside the grammar. */
  cacheFolder(generationId: string): string {
    return idFolder(this.cacheDir, generationId);
  }

  close(): void {
    this.outbox.close();
    this.cacheLimit.close();
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
