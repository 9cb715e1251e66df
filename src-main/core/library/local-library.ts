import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GenerationInput, GenerationStatus, ImageFailure } from '../../../src-shared/generation';
import { writeFileAtomic } from '../fs-atomic';
import { isUlid } from './ids';
import { matchesWords, queryWords, searchText } from './search-text';
import { thumbnailsSettled } from './thumbnails';

export interface ImageRecord {
  id: string;
  index: number;
  seed: number;
  width: number;
  height: number;
  contentType: 'image/png' | 'image/jpeg';
  file: string;
}

/** What generation.json holds. `running` means the app stopped before the generation finished. */
export interface GenerationRecord {
  version: 1;
  id: string;
  createdAt: string;
  input: GenerationInput;
  count: number;
  modelId: string;
  endpointName: string;
  status: GenerationStatus | 'running';
  images: ImageRecord[];
  failures: ImageFailure[];
  /** Set when cloud storage was on at generation time: where it goes and whether it got there. */
  sync?: RecordSync;
}

export interface RecordSync {
  state: 'pending' | 'synced';
  project: string;
  reason?: string;
  attempts?: number;
  nextAttemptAt?: string;
}

export interface RecordPage {
  records: GenerationRecord[];
  nextCursor?: string;
}

export type LibraryWarning = (message: string) => void;

interface CatalogEntry {
  /** Prompt and negative prompt, lower-cased, for search. */
  text: string;
  /** Has images and no cloud state: made while cloud storage was off. */
  localOnly: boolean;
  /** Has images and waits to reach the cloud. */
  pending: boolean;
}

const catalogEntry = (r: GenerationRecord): CatalogEntry => ({
  text: searchText(r.input),
  localOnly: !r.sync && r.images.length > 0,
  pending: r.sync?.state === 'pending' && r.images.length > 0,
});

const extensionFor = (contentType: ImageRecord['contentType']): string => (contentType === 'image/png' ? 'png' : 'jpg');

/**
 * The embedded library: `<root>/generations/<generationId>/generation.json` plus the image files.
 * Every write is atomic; a damaged entry is skipped with a warning, never fatal.
 */
export class LocalLibrary {
  readonly dir: string;
  /** What search and the cloud view need of every generation; read once on first use, kept up to date. */
  private catalog: Promise<Map<string, CatalogEntry>> | undefined;

  constructor(
    root: string,
    private readonly warn: LibraryWarning = (m) => console.warn(m),
  ) {
    this.dir = join(root, 'generations');
  }

  private folder(id: string): string {
    return join(this.dir, id);
  }

  async save(record: GenerationRecord): Promise<void> {
    await mkdir(this.folder(record.id), { recursive: true });
    await writeFileAtomic(join(this.folder(record.id), 'generation.json'), JSON.stringify(record));
    if (this.catalog) (await this.catalog).set(record.id, catalogEntry(record));
  }

  private async index(): Promise<Map<string, CatalogEntry>> {
    this.catalog ??= (async () => {
      const index = new Map<string, CatalogEntry>();
      let names: string[];
      try {
        names = (await readdir(this.dir)).filter(isUlid);
      } catch {
        return index;
      }
      for (let i = 0; i < names.length; i += 64) {
        const records = await Promise.all(names.slice(i, i + 64).map((id) => this.read(id)));
        for (const r of records) if (r) index.set(r.id, catalogEntry(r));
      }
      return index;
    })();
    return this.catalog;
  }

  /** Generations with images that never went to the cloud (made while cloud storage was off), newest first. */
  localOnly(): Promise<string[]> {
    return this.idsWhere((entry) => entry.localOnly);
  }

  /** Generations with images marked as waiting to reach the cloud, newest first. */
  pendingUpload(): Promise<string[]> {
    return this.idsWhere((entry) => entry.pending);
  }

  private async idsWhere(test: (entry: CatalogEntry) => boolean): Promise<string[]> {
    const ids = [...(await this.index())].filter(([, entry]) => test(entry)).map(([id]) => id);
    return ids.sort().reverse();
  }

  /** Generations whose prompt or negative prompt contains every word of `query`, newest first. */
  async search(query: string, limit: number, cursor?: string): Promise<RecordPage> {
    const words = queryWords(query);
    const index = await this.index();
    const ids = [...index.entries()]
      .filter(([id, entry]) => (!cursor || id < cursor) && matchesWords(entry.text, words))
      .map(([id]) => id)
      .sort()
      .reverse();
    const page = ids.slice(0, limit);
    const records = (await Promise.all(page.map((id) => this.read(id)))).filter(
      (r): r is GenerationRecord => r !== undefined,
    );
    const last = page.at(-1);
    return ids.length > limit && last ? { records, nextCursor: last } : { records };
  }

  /** Stores image bytes as received; returns the file name inside the generation folder. */
  async writeImage(
    generationId: string,
    imageId: string,
    contentType: ImageRecord['contentType'],
    bytes: Uint8Array,
  ): Promise<string> {
    const file = `${imageId}.${extensionFor(contentType)}`;
    await mkdir(this.folder(generationId), { recursive: true });
    await writeFileAtomic(join(this.folder(generationId), file), bytes);
    return file;
  }

  /** The folder of a generation (whether or not it exists). Only for IDs already validated. */
  folderOf(generationId: string): string {
    return this.folder(generationId);
  }

  /**
   * Removes images (files and thumbnails) of a generation, or the whole generation when
   * none are left or `imageIds` is undefined. Returns the record left, if any.
   */
  async removeImages(generationId: string, imageIds?: string[]): Promise<GenerationRecord | undefined> {
    const record = await this.get(generationId);
    if (!record) return undefined;
    const gone = new Set(imageIds ?? record.images.map((i) => i.id));
    const left = record.images.filter((i) => !gone.has(i.id));
    if (left.length === 0) {
      await this.remove(generationId);
      return undefined;
    }
    const next: GenerationRecord = { ...record, images: left };
    await this.save(next);
    await thumbnailsSettled(this.folder(generationId));
    for (const image of record.images.filter((i) => gone.has(i.id))) {
      await rm(join(this.folder(generationId), image.file), { force: true });
      await rm(join(this.folder(generationId), `${image.id}.thumb.webp`), { force: true });
    }
    return next;
  }

  async remove(generationId: string): Promise<void> {
    if (!isUlid(generationId)) return;
    await thumbnailsSettled(this.folder(generationId));
    await rm(this.folder(generationId), { recursive: true, force: true, maxRetries: 3 });
    if (this.catalog) (await this.catalog).delete(generationId);
  }

  /** The record, or undefined when the generation is not in this library (a damaged one is reported). */
  async get(generationId: string): Promise<GenerationRecord | undefined> {
    if (!isUlid(generationId) || !existsSync(this.folder(generationId))) return undefined;
    return this.read(generationId);
  }

  private async read(id: string): Promise<GenerationRecord | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.folder(id), 'generation.json'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.warn(`Library: ${id} has no generation.json; skipped.`);
      } else {
        this.warn(`Library: ${id} could not be read (${String(error)}); skipped.`);
      }
      return undefined;
    }
    try {
      const record = JSON.parse(text) as GenerationRecord;
      if (record.id !== id || !Array.isArray(record.images) || typeof record.input !== 'object') {
        throw new Error('unexpected shape');
      }
      return record;
    } catch (error) {
      this.warn(`Library: ${id}/generation.json is damaged (${String(error)}); skipped.`);
      return undefined;
    }
  }

  /** Newest first. `cursor` is the last generation ID of the previous page. */
  async list(limit: number, cursor?: string): Promise<RecordPage> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [] };
      throw error;
    }
    const ids = names.filter(isUlid).sort().reverse();
    let start = 0;
    if (cursor) {
      start = ids.findIndex((id) => id < cursor);
      if (start < 0) return { records: [] };
    }
    const records: GenerationRecord[] = [];
    let i = start;
    while (records.length < limit && i < ids.length) {
      const batch = ids.slice(i, i + (limit - records.length));
      i += batch.length;
      const read = await Promise.all(batch.map((id) => this.read(id)));
      for (const r of read) if (r) records.push(r);
    }
    // The cursor is the last ID scanned (not returned), so damaged entries are not scanned twice.
    const lastScanned = ids[i - 1];
    return i < ids.length && lastScanned ? { records, nextCursor: lastScanned } : { records };
  }

  /**
   * The file behind an image URL, or undefined. Only IDs of the ULID form are looked up,
   * so no path from outside can leave the library folder.
   */
  imagePath(generationId: string, imageFile: string): string | undefined {
    const match = /^([0-9A-HJKMNP-TV-Z]{26})\.(png|jpg)$/.exec(imageFile);
    if (!isUlid(generationId) || !match) return undefined;
    const path = join(this.folder(generationId), imageFile);
    return existsSync(path) ? path : undefined;
  }
}
