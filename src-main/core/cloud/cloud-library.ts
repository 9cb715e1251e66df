import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { decodeTime } from 'ulid';
import type { Settings } from '../../../src-shared/settings';
import type { SyncInfo } from '../../../src-shared/generation';
import type { AwsClients } from '../aws/clients';
import { currentIdentityId } from '../aws/credentials';
import { mapAwsError } from '../aws/map-error';
import { writeFileAtomic } from '../fs-atomic';
import type { GenerationRecord, LocalLibrary } from '../library/local-library';
import { ensureThumbnail, thumbnailsSettled } from '../library/thumbnails';
import type { StateStore } from '../state-store';
import { matchesWords, queryWords, searchText } from '../library/search-text';
import { createdAtOf, fromItem, inputOfItem, objectKey, toItem } from './items';
import type { CloudItem } from './items';
import { CacheLimit } from './cache-limit';
import { Outbox } from './outbox';
import type { DeleteJob, Job, UploadJob } from './outbox';
import { CloudStore } from './store';
import type { CloudTarget, ItemKey } from './store';

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
  time: number;
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
  private readonly cacheDir: string;
  /** Keeps the cache of images fetched from S3 within its size. */
  readonly cacheLimit: CacheLimit;
  /** S3 key per `<generationId>/<imageId>`, learnt from items. */
  private readonly keys = new Map<string, string>();
  private readonly legacyTimes = new Map<string, number>();
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
    const item = await store.getItem(job.project, job.generationId);
    if (!item) return;
    if (job.imageIds === 'all') return store.deleteItem(job.project, job.generationId);
    const gone = new Set(job.imageIds);
    const keys = parseKeys(item).filter((k) => !gone.has(imageIdOf(k)));
    if (keys.length === 0) return store.deleteItem(job.project, job.generationId);
    const next: CloudItem = { ...item, s3_object_keys: JSON.stringify(keys) };
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
    await thumbnailsSettled(join(this.cacheDir, generationId));
    for (const id of ids) {
      for (const ext of ['png', 'jpg', 'thumb.webp'])
        await rm(join(this.cacheDir, generationId, `${id}.${ext}`), { force: true });
    }
    if (!imageIds) await rm(join(this.cacheDir, generationId), { recursive: true, force: true, maxRetries: 3 });
    this.invalidate();
  }

  /** Project or storage changed, or history changed here: rebuild the order on the next first page. */
  invalidate(): void {
    this.index = undefined;
    this.prompts = undefined;
  }

  private async buildIndex(project: string, target: CloudTarget): Promise<IndexEntry[]> {
    const store = this.store(target);
    const keys = await store.listKeys(project);
    const times = this.fetches;
    const entries: IndexEntry[] = await Promise.all(
      keys.map(async (k: ItemKey): Promise<IndexEntry> => {
        const known = createdAtOf(k);
        if (known) return { id: k.generation_id, time: Date.parse(known), local: false };
        // A browser-plugin item: no creation time, a UUID key. The first image's upload time stands in.
        let time = this.legacyTimes.get(k.generation_id);
        if (time === undefined) {
          const first = parseKeys(k)[0];
          const modified = first ? await times(() => store.lastModified(first).catch(() => undefined)) : undefined;
          time = modified?.getTime() ?? 0;
          this.legacyTimes.set(k.generation_id, time);
        }
        return { id: k.generation_id, time, local: false };
      }),
    );
    const listed = new Set(entries.map((e) => e.id));
    for (const job of this.outbox.pending()) {
      if (job.kind === 'upload' && job.project === project && !listed.has(job.generationId)) {
        const record = await this.o.library.get(job.generationId);
        if (record) entries.push({ id: record.id, time: Date.parse(record.createdAt), local: true });
        listed.add(job.generationId);
      }
    }
    // Made while cloud storage was off: shown in place, marked as this computer's only, so turning
    // cloud storage on hides nothing.
    for (const id of await this.o.library.localOnly()) {
      if (!listed.has(id)) entries.push({ id, time: decodeTime(id), local: true });
    }
    return entries.sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1));
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
      for (const item of await this.store(target).listInputs(project))
        texts.set(item.generation_id, searchText(inputOfItem(item)));
      this.prompts = { project, table: target.table, texts, readAt: Date.now() };
    }
    // Generations the history has seen since the prompts were read (another computer's, or just
    // synced from here): their items are fetched once, so a new search finds them at once.
    const unknown = entries.filter((e) => !e.local && !texts.has(e.id)).map((e) => e.id);
    if (unknown.length > 0) {
      const found = await this.store(target).getItems(project, unknown);
      for (const item of found) texts.set(item.generation_id, searchText(inputOfItem(item)));
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
    const items = new Map((await this.store(target).getItems(project, cloudIds)).map((i) => [i.generation_id, i]));
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
      const { record, keys, thumbs } = fromItem(item, new Date(entry.time).toISOString());
      this.records.set(record.id, record);
      for (const [imageId, key] of keys) this.keys.set(`${entry.id}/${imageId}`, key);
      await this.cacheThumbnails(entry.id, thumbs);
      records.push({ record, sync: { state: 'cloud' } });
    }
    const last = page.at(-1);
    return start + limit < entries.length && last ? { records, nextCursor: last.id } : { records };
  }

  /** Where a cloud image is cached locally, fetching it from S3 (in parallel, with a limit) the first time. */
  async cachedImage(generationId: string, imageId: string, ext: 'png' | 'jpg'): Promise<string | undefined> {
    const path = join(this.cacheDir, generationId, `${imageId}.${ext}`);
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
        await mkdir(join(this.cacheDir, generationId), { recursive: true });
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
    const folder = join(this.cacheDir, generationId);
    await mkdir(folder, { recursive: true });
    await Promise.all(
      [...thumbs].map(async ([imageId, bytes]) => {
        const path = join(folder, `${imageId}.thumb.webp`);
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

  cacheFolder(generationId: string): string {
    return join(this.cacheDir, generationId);
  }

  close(): void {
    this.outbox.close();
    this.cacheLimit.close();
  }
}

const parseKeys = (item: { s3_object_keys?: string }): string[] => {
  try {
    const keys = JSON.parse(item.s3_object_keys ?? '[]') as unknown;
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
};

const imageIdOf = (key: string): string => key.slice(key.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
