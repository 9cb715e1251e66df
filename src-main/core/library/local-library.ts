import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isUlid } from '../../../src-shared/ids';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic';
import { idFolder, imageFileIn, pathInside } from '../safe-path';
import { extensionFor, generationRecordSchema, whyInvalid } from './record';
import type { GenerationRecord, ImageContentType } from './record';
import { RunningGenerations } from './running';
import { Catalog } from './catalog';
import type { CatalogEntry } from './catalog';
import { log } from '../log';
import { matchesWords, queryWords } from './search-text';
import { thumbnailsSettled } from './thumbnails';

export type { GenerationRecord, ImageRecord, RecordSync } from './record';

export interface RecordPage {
  records: GenerationRecord[];
  nextCursor?: string;
}

export type LibraryWarning = (message: string) => void;

/** Where the IDs older than `cursor` begin, in IDs sorted newest first (a binary search). */
const firstOlder = (ids: string[], cursor: string): number => {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ids[mid] ?? '') >= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * The embedded library: `<root>/generations/<generationId>/generation.json` plus the image files.
 * Every write is atomic; a damaged entry is skipped and reported, never fatal. IDs reach the disk
 * only through safe-path's helpers, and generation.json is parsed by its schema, never cast.
 */
export class LocalLibrary {
  readonly dir: string;
  /** Generations being made, so a stop in the middle is finished at the next start. */
  readonly running: RunningGenerations;
  /** What listing, search and the cloud view need of every generation, without reading them all. */
  readonly catalog: Catalog;

  constructor(
    root: string,
    private readonly warn: LibraryWarning = (m) => log.warn(m),
  ) {
    this.dir = join(root, 'generations');
    this.running = new RunningGenerations(root, this);
    this.catalog = new Catalog(
      root,
      this.dir,
      (id) => this.readRecord(id),
      (id, why) => this.warn(`Library: ${id}: ${why}; skipped.`),
    );
  }

  private folder(id: string): string {
    return idFolder(this.dir, id);
  }

  async save(record: GenerationRecord): Promise<void> {
    const folder = this.folder(record.id);
    await mkdirPrivate(folder);
    await writeFileAtomic(pathInside(folder, 'generation.json'), JSON.stringify(record));
    await this.catalog.put(record);
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
    const [ids, entries] = await Promise.all([this.catalog.ids(), this.catalog.entries()]);
    return ids.filter((id) => {
      const entry = entries.get(id);
      return entry !== undefined && test(entry);
    });
  }

  /**
   * Generations whose prompt or negative prompt contains every word of `query`, newest first:
   * matched in the catalog, so only the page's generation.json files are read.
   */
  async search(query: string, limit: number, cursor?: string): Promise<RecordPage> {
    const words = queryWords(query);
    const [ids, entries] = await Promise.all([this.catalog.ids(), this.catalog.entries()]);
    const start = cursor ? firstOlder(ids, cursor) : 0;
    return this.pageOf(ids, start, limit, (id) => matchesWords(entries.get(id)?.text ?? '', words));
  }

  /**
   * Up to `limit` readable records from `ids[start…]` that pass `keep`. The cursor is the last ID
   * looked at (not the last returned), so damaged entries are not looked at twice.
   */
  private async pageOf(
    ids: string[],
    start: number,
    limit: number,
    keep: (id: string) => boolean = () => true,
  ): Promise<RecordPage> {
    const records: GenerationRecord[] = [];
    let i = start;
    while (records.length < limit && i < ids.length) {
      const batch: string[] = [];
      while (batch.length < limit - records.length && i < ids.length) {
        const id = ids[i++] ?? '';
        if (keep(id)) batch.push(id);
      }
      for (const r of await Promise.all(batch.map((id) => this.read(id)))) if (r) records.push(r);
    }
    // More only if some ID after the last one looked at would be kept.
    let more = false;
    for (let k = i; k < ids.length && !more; k++) more = keep(ids[k] ?? '');
    const last = ids[i - 1];
    return more && last ? { records, nextCursor: last } : { records };
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
    await this.catalog.remove(generationId);
  }

  /** The record, or undefined when the generation is not in this library (a damaged one is reported). */
  async get(generationId: string): Promise<GenerationRecord | undefined> {
    if (!isUlid(generationId) || !existsSync(this.folder(generationId))) return undefined;
    return this.read(generationId);
  }

  /** A generation's record by its schema, or why it cannot be read (reported by the caller). */
  private async readRecord(id: string): Promise<GenerationRecord | { why: string }> {
    let text: string;
    try {
      text = await readFile(pathInside(this.folder(id), 'generation.json'), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { why: code === 'ENOENT' ? 'no generation.json' : `unreadable: ${String(error)}` };
    }
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch (error) {
      return { why: `generation.json is not JSON (${String(error)})` };
    }
    const parsed = generationRecordSchema.safeParse(json);
    if (!parsed.success) return { why: `generation.json is damaged (${whyInvalid(parsed.error)})` };
    if (parsed.data.id !== id) return { why: `generation.json names another generation (${parsed.data.id})` };
    return parsed.data;
  }

  /** The record, or undefined when it cannot be read: then it is skipped, noted in the catalog and said. */
  private async read(id: string): Promise<GenerationRecord | undefined> {
    const record = await this.readRecord(id);
    if (!('why' in record)) return record;
    const known = (await this.catalog.damagedIds()).get(id);
    if (known === undefined) this.warn(`Library: ${id}: ${record.why}; skipped.`);
    await this.catalog.damaged(id, record.why);
    return undefined;
  }

  /**
   * Said with the history while some generations could not be read: how many, and where they
   * are (left in place for a person to look at or restore).
   */
  async damagedNotice(): Promise<string | undefined> {
    const ids = [...(await this.catalog.damagedIds()).keys()];
    if (ids.length === 0) return undefined;
    const some = ids.slice(0, 3).join(', ');
    return `${ids.length === 1 ? '1 generation' : `${ids.length} generations`} of this computer's library could not be read and ${ids.length === 1 ? 'is' : 'are'} not shown (a damaged or missing generation.json). ${ids.length === 1 ? 'It is' : 'They are'} in ${this.dir}: ${some}${ids.length > 3 ? ' …' : ''}.`;
  }

  /** Newest first. `cursor` is the last generation ID of the previous page. */
  async list(limit: number, cursor?: string): Promise<RecordPage> {
    const ids = await this.catalog.ids();
    return this.pageOf(ids, cursor ? firstOlder(ids, cursor) : 0, limit);
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
