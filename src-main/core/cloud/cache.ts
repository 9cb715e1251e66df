import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { isItemId } from '../../../src-shared/ids';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic';
import type { GenerationRecord } from '../library/record';
import { thumbnailsSettled } from '../library/thumbnails';
import { idFolder, imageFileIn } from '../safe-path';
import { CacheLimit } from './cache-limit';
import { objectKey } from './items';
import { decodeThumbSheet } from './thumb-sheet';
import type { CloudStore } from './store';
import { log } from '../log';

/**
 * What this computer keeps of cloud generations it did not make: `<dataDir>/cloud-cache/<id>/`
 * with the images fetched from S3 (within a size limit) and their grid thumbnails, plus
 * what listings taught it (each image's S3 key, each generation's record).
 */
export class CloudCache {
  readonly dir: string;
  /** Keeps the full-size images within their size. */
  readonly limit: CacheLimit;
  /** S3 key per `<generationId>/<imageId>`, learnt from items (each checked by the key grammar). */
  private readonly keys = new Map<string, string>();
  /** Records of cloud-only generations seen in listings (for downloads with parameters). */
  private readonly records = new Map<string, GenerationRecord>();
  /** S3 fetches run six at a time; one fetch per image however many ask. */
  private readonly fetches = pLimit(6);
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(dataDir: string, maxBytes?: number) {
    this.dir = join(dataDir, 'cloud-cache');
    this.limit = new CacheLimit(this.dir, maxBytes);
  }

  /** Where a cloud generation's files are kept; refuses an ID outside the grammar. */
  folder(generationId: string): string {
    return idFolder(this.dir, generationId);
  }

  /**
   * A listing read this generation from its item: remember its record and keys, and keep its
   * grid thumbnails: those an older item carries, or those of its thumbnail sheet in S3 (fetched
   * once, within the six-at-a-time limit). A sheet that cannot be had is only a warning: the
   * image's thumbnail is then made from the image itself when asked.
   */
  async learn(
    record: GenerationRecord,
    read: { keys: Map<string, string>; thumbs: Map<string, Uint8Array>; thumbSheet?: string },
    store: CloudStore,
  ): Promise<void> {
    this.records.set(record.id, record);
    for (const [imageId, key] of read.keys) this.keys.set(`${record.id}/${imageId}`, key);
    const thumbPath = (imageId: string) => imageFileIn(this.dir, record.id, `${imageId}.thumb.webp`);
    const missing = record.images.filter((i) => !existsSync(thumbPath(i.id)));
    if (missing.length === 0) return;
    let thumbs = read.thumbs;
    const sheet = read.thumbSheet;
    if (sheet && missing.some((i) => !thumbs.has(i.id))) {
      try {
        thumbs = new Map([...(await this.fetches(() => store.getObject(sheet).then(decodeThumbSheet))), ...thumbs]);
      } catch (error) {
        log.warn(`Thumbnails of ${record.id} could not be fetched: ${String(error)}`);
      }
    }
    const found = missing.filter((i) => thumbs.has(i.id));
    if (found.length === 0) return;
    await mkdirPrivate(this.folder(record.id));
    await Promise.all(found.map((i) => writeFileAtomic(thumbPath(i.id), thumbs.get(i.id) ?? new Uint8Array())));
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

  /** The image IDs of a generation a listing told us about. */
  knownImages(generationId: string): string[] {
    return [...this.keys.keys()]
      .filter((k) => k.startsWith(`${generationId}/`))
      .map((k) => k.slice(generationId.length + 1));
  }

  /** The S3 key of an image: what its item said, or the layout this app writes. */
  keyOf(project: string, generationId: string, imageId: string, contentType = 'image/png'): string {
    return this.keys.get(`${generationId}/${imageId}`) ?? objectKey(project, generationId, imageId, contentType);
  }

  /** The cached copy of a cloud image (PNG or JPEG), when there is one. */
  cachedPath(generationId: string, imageId: string): string | undefined {
    for (const ext of ['png', 'jpg']) {
      const path = imageFileIn(this.dir, generationId, `${imageId}.${ext}`);
      if (existsSync(path)) {
        void this.limit.used(path);
        return path;
      }
    }
    return undefined;
  }

  /**
   * The cached copy of a cloud image, fetched from S3 the first time (`store` is asked only
   * then). Undefined when it is not cached and there is no store to ask.
   */
  async image(
    generationId: string,
    imageId: string,
    ext: 'png' | 'jpg',
    fetch: (() => Promise<{ store: CloudStore; key: string }>) | undefined,
  ): Promise<string | undefined> {
    const path = imageFileIn(this.dir, generationId, `${imageId}.${ext}`);
    if (existsSync(path)) {
      void this.limit.used(path);
      return path;
    }
    if (!fetch) return undefined;
    let pending = this.fetching.get(path);
    if (!pending) {
      pending = this.fetches(async () => {
        const { store, key } = await fetch();
        const { bytes } = await store.getImage(key);
        await mkdirPrivate(this.folder(generationId));
        await writeFileAtomic(path, bytes);
        this.limit.soon();
        return path;
      }).finally(() => this.fetching.delete(path));
      this.fetching.set(path, pending);
    }
    return pending;
  }

  /** Runs S3 HEAD requests (and the like) within the same limit as image fetches. */
  limited<T>(run: () => Promise<T>): Promise<T> {
    return this.fetches(run);
  }

  /** The generation's images (or all of it) were deleted: forget their keys and remove their files. */
  async forget(generationId: string, imageIds: string[], all: boolean): Promise<void> {
    for (const id of imageIds) this.keys.delete(`${generationId}/${id}`);
    if (all) this.records.delete(generationId);
    const folder = this.folder(generationId);
    await thumbnailsSettled(folder);
    for (const id of imageIds.filter(isItemId)) {
      for (const ext of ['png', 'jpg', 'thumb.webp'])
        await rm(imageFileIn(this.dir, generationId, `${id}.${ext}`), { force: true });
    }
    if (all) await rm(folder, { recursive: true, force: true, maxRetries: 3 });
  }

  close(): void {
    this.limit.close();
  }
}
