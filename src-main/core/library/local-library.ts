import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isUlid } from '../../../src-shared/ids';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic';
import { idFolder, imageFileIn, pathInside } from '../safe-path';
import { extensionFor, generationRecordSchema, whyInvalid } from './record';
import type { GenerationRecord, ImageContentType } from './record';
import { RunningGenerations } from './running';
import { matchesWords, queryWords, searchText } from './search-text';
import { thumbnailsSettled } from './thumbnails';

export type { GenerationRecord, ImageRecord, RecordSync } from './record';

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

/**
 * The embedded library: `<root>/generations/<generationId>/generation.json` plus the image files.
 * Every write is atomic; a damaged entry is skipped and reported, never fatal. IDs reach the disk
 * only through safe-path's helpers, and generation.json is parsed by its schema, never cast.
 */
export class LocalLibrary {
  readonly dir: string;
  /** Generations being made, so a stop in the middle is finished at the next start. */
  readonly running: RunningGenerations;
  /** What search and the cloud view need of every generation; read once on first use, kept up to date. */
  private catalog: Promise<Map<string, CatalogEntry>> | undefined;
  /** Generations whose generation.json could not be read, with why; said in a notice. */
  private readonly damaged = new Map<string, string>();

  constructor(
    root: string,
    private readonly warn: LibraryWarning = (m) => console.warn(m),
  ) {
    this.dir = join(root, 'generations');
    this.running = new RunningGenerations(root, this);
  }

  private folder(id: string): string {
    return idFolder(this.dir, id);
  }

  async save(record: GenerationRecord): Promise<void> {
    const folder = this.folder(record.id);
    await mkdirPrivate(folder);
    await writeFileAtomic(pathInside(folder, 'generation.json'), JSON.stringify(record));
    this.damaged.delete(record.id);
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
    contentType: ImageContentType,
    bytes: Uint8Array,
  ): Promise<string> {
    const file = `${imageId}.${extensionFor(contentType)}`;
    const path = imageFileIn(this.dir, generationId, file);
    await mkdirPrivate(this.folder(generationId));
    await writeFileAtomic(path, bytes);
    return file;
  }

  /** The folder of a generation (whether or not it exists); refuses an ID outside the grammar. */
  folderOf(generationId: string): string {
    return this.folder(generationId);
  }

  /**
   * Removes images (files and thumbnails) of a generation, or the whole generation when
   * none are left or `imageIds` is undefined. Their places are remembered as deleted, so
   * nothing later claims they are missing. Returns the record left, if any.
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
    const removed = record.images.filter((i) => gone.has(i.id));
    const deleted = [...new Set([...(record.deleted ?? []), ...removed.map((i) => i.index)])].sort((a, b) => a - b);
    const next: GenerationRecord = { ...record, images: left, deleted };
    await this.save(next);
    await thumbnailsSettled(this.folder(generationId));
    for (const image of removed) {
      await rm(imageFileIn(this.dir, generationId, image.file), { force: true });
      await rm(imageFileIn(this.dir, generationId, `${image.id}.thumb.webp`), { force: true });
    }
    return next;
  }

  async remove(generationId: string): Promise<void> {
    if (!isUlid(generationId)) return;
    const folder = this.folder(generationId);
    await thumbnailsSettled(folder);
    await rm(folder, { recursive: true, force: true, maxRetries: 3 });
    this.damaged.delete(generationId);
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
      text = await readFile(pathInside(this.folder(id), 'generation.json'), 'utf8');
    } catch (error) {
      const why =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no generation.json' : `unreadable: ${String(error)}`;
      return this.skip(id, why);
    }
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch (error) {
      return this.skip(id, `generation.json is not JSON (${String(error)})`);
    }
    const parsed = generationRecordSchema.safeParse(json);
    if (!parsed.success) return this.skip(id, `generation.json is damaged (${whyInvalid(parsed.error)})`);
    if (parsed.data.id !== id) return this.skip(id, `generation.json names another generation (${parsed.data.id})`);
    this.damaged.delete(id);
    return parsed.data;
  }

  private skip(id: string, why: string): undefined {
    if (!this.damaged.has(id)) this.warn(`Library: ${id}: ${why}; skipped.`);
    this.damaged.set(id, why);
    return undefined;
  }

  /**
   * Said with the history while some generations could not be read: how many, and where they
   * are (left in place for a person to look at or restore).
   */
  damagedNotice(): string | undefined {
    const ids = [...this.damaged.keys()].filter((id) => existsSync(this.folder(id)));
    if (ids.length === 0) return undefined;
    const some = ids.slice(0, 3).join(', ');
    return `${ids.length === 1 ? '1 generation' : `${ids.length} generations`} of this computer's library could not be read and ${ids.length === 1 ? 'is' : 'are'} not shown (a damaged or missing generation.json). ${ids.length === 1 ? 'It is' : 'They are'} in ${this.dir}: ${some}${ids.length > 3 ? ' …' : ''}.`;
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
   * The file behind an image URL, or undefined. Only IDs of the known grammars are looked up,
   * so no path from outside can leave the library folder.
   */
  imagePath(generationId: string, imageFile: string): string | undefined {
    if (!isUlid(generationId) || !/^[0-9A-HJKMNP-TV-Z]{26}\.(png|jpg)$/.test(imageFile)) return undefined;
    const path = imageFileIn(this.dir, generationId, imageFile);
    return existsSync(path) ? path : undefined;
  }
}
