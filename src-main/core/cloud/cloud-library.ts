import { join } from 'node:path';
import type { Settings } from '../../../src-shared/settings';
import type { SyncInfo } from '../../../src-shared/generation';
import type { AwsClients } from '../aws/clients';
import type { GenerationRecord, LocalLibrary } from '../library/local-library';
import type { StateStore } from '../state-store';
import { CloudCache } from './cache';
import { CloudHistory } from './history';
import { jobSettled, runDelete, runUpload } from './jobs';
import type { JobDeps } from './jobs';
import { sourceKeys } from './items';
import { Outbox } from './outbox';
import { CloudStore } from './store';
import type { CloudTarget } from './store';
import { log } from '../log';

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

/**
 * Cloud history in the user's S3 bucket and DynamoDB table. Local first: a generation is
 * always in the local library before any upload, and an outbox carries every upload and
 * delete until S3 and DynamoDB have taken it. `history` reads the project back, `cache`
 * keeps what this computer fetched of it.
 */
export class CloudLibrary {
  readonly outbox: Outbox;
  readonly cache: CloudCache;
  readonly history: CloudHistory;

  constructor(private readonly o: CloudLibraryOptions) {
    this.cache = new CloudCache(o.dataDir, o.cacheBytes);
    this.history = new CloudHistory({
      dataDir: o.dataDir,
      library: o.library,
      cache: this.cache,
      pending: () => this.outbox.pending(),
      project: () => this.project(),
      target: () => this.target(),
      store: (target) => this.store(target),
    });
    const deps: JobDeps = {
      library: o.library,
      store: (target) => this.store(target),
      errorContext: () => ({ credentialsMode: o.settings().credentialsMode }),
      onSync: o.onSync,
    };
    this.outbox = new Outbox(join(o.dataDir, 'outbox'), {
      run: (job, save) => (job.kind === 'upload' ? runUpload(deps, job, save) : runDelete(deps, job)),
      settled: (job, error) => jobSettled(deps, job, error),
    });
  }

  /** The AWS clients every cloud call goes through. */
  clients(): AwsClients {
    return this.o.clients();
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

  /** The project ID setting; when empty, the Cognito identity (Cognito and sign-in modes: the user's own) or "default". */
  async project(s = this.o.settings()): Promise<string> {
    if (s.projectId) return s.projectId;
    if (s.credentialsMode === 'profile') return 'default';
    const clients = this.o.clients();
    if (!clients.identityId()) await clients.credentials()();
    return clients.identityId() ?? 'default';
  }

  /** The project an upload goes to: the current one, or (without credentials yet) the setting or "default". */
  async uploadProject(): Promise<string> {
    try {
      return await this.project();
    } catch (error) {
      // Signed out: no upload may land in a shared "default" instead of the user's own project.
      if (this.o.settings().credentialsMode === 'signIn' && !this.o.settings().projectId) throw error;
      log.warn('Cloud project unknown', error);
      return this.o.settings().projectId || 'default';
    }
  }

  /** The cached copy of a cloud image, fetched from S3 the first time (while cloud storage is on). */
  cachedImage(generationId: string, imageId: string, ext: 'png' | 'jpg'): Promise<string | undefined> {
    return this.cache.image(
      generationId,
      imageId,
      ext,
      this.enabled()
        ? async () => ({
            store: this.store(),
            key: this.cache.keyOf(
              await this.project(),
              generationId,
              imageId,
              ext === 'jpg' ? 'image/jpeg' : 'image/png',
            ),
          })
        : undefined,
    );
  }

  /** After a generation is safe locally: mark it pending and queue its upload. */
  async enqueueUpload(record: GenerationRecord): Promise<GenerationRecord> {
    const project = record.sync?.project ?? (await this.uploadProject());
    const next: GenerationRecord = { ...record, sync: { state: 'pending', project } };
    await this.o.library.save(next);
    this.outbox.add({ kind: 'upload', generationId: record.id, project, target: this.target(), uploaded: [] });
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
    if (requeued > 0)
      log.warn(`Cloud: ${requeued} generation(s) had no upload job (lost, or cut short by a stop); queued.`);
    return requeued;
  }

  /** Deleting locally also deletes in the cloud, through the outbox (so it survives being offline). */
  async enqueueDelete(
    record: GenerationRecord | undefined,
    generationId: string,
    imageIds: string[] | undefined,
  ): Promise<void> {
    const project = record?.sync?.project ?? (await this.project());
    const ids = imageIds ?? record?.images.map((i) => i.id) ?? this.cache.knownImages(generationId);
    const keys = new Set(
      ids.map((id) =>
        this.cache.keyOf(project, generationId, id, record?.images.find((i) => i.id === id)?.contentType),
      ),
    );
    // The whole generation goes: an edit's source image and mask go with it.
    if (!imageIds && record) for (const key of sourceKeys(project, record)) keys.add(key);
    this.outbox.add({
      kind: 'delete',
      generationId,
      project,
      target: this.target(),
      imageIds: imageIds ?? 'all',
      keys: [...keys],
    });
    await this.cache.forget(generationId, ids, !imageIds);
    if (!imageIds) this.history.invalidate(generationId);
  }

  /** Project or storage changed: the history is read afresh. */
  invalidate(): void {
    this.history.invalidate();
  }

  close(): void {
    this.outbox.close();
    this.cache.close();
  }
}
