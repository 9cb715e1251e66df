import { readFile, rename, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { join } from 'node:path';
import { editorDocumentSchema, editorMadeSchema } from '../../../src-shared/editor';
import type {
  EditorBoxResults,
  EditorBoxResultsAnswer,
  EditorDocument,
  EditorDocumentAnswer,
  EditorImage,
  EditorMade,
} from '../../../src-shared/editor';
import { StudioError } from '../errors';
import { compositeInside } from '../generation/composite';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic';
import type { AreaHandlers } from '../handlers';
import type { ImageUrl } from '../history/view';
import type { ImageAnswer } from '../images/service';
import type { GenerationRecord } from '../library/record';
import { log } from '../log';
import { pathInside } from '../safe-path';
import { EditorImages } from './images';

/** A stored document larger than this is not read (a real one, 200 layers, is under 100 kB). */
export const maxDocumentBytes = 4 * 1024 * 1024;
/** Unused layer images are kept this long, so an image brought in just before a stop is not lost mid-save. */
export const unusedImageGraceMs = 24 * 60 * 60 * 1000;

export const emptyDocument = (): EditorDocument => ({ version: 1, layers: [] });

/** The URL prefix (generation part) under which layer images are served. */
export const editorImageFolder = 'editor';

export interface EditorServiceOptions {
  dataDir: string;
  imageUrl: ImageUrl;
  /** The original file of a history image (local library, cloud cache or S3). */
  original: (generationId: string, imageId: string) => Promise<ImageAnswer>;
  /** A generation's record (local library, else the cloud's cached listing), when there is one. */
  record: (generationId: string) => Promise<GenerationRecord | undefined>;
}

/** The Edit tab's document and its layer images, in `<dataDir>/editor/`. */
export class EditorService {
  readonly dir: string;
  readonly images: EditorImages;
  private readonly file: string;
  /** Saves run one after another, so the last one asked for is the one on disk. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: EditorServiceOptions) {
    this.dir = join(o.dataDir, 'editor');
    this.file = pathInside(this.dir, 'document.json');
    this.images = new EditorImages(this.dir);
  }

  /** The stored document; a damaged one is renamed aside (never deleted) and an empty one answered with a notice. */
  async read(): Promise<{ document: EditorDocument; notice?: string }> {
    let text: string;
    try {
      const size = (await stat(this.file)).size;
      if (size > maxDocumentBytes) return await this.setAside(`it is ${size} bytes, more than a document can be`);
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { document: emptyDocument() };
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return this.setAside(`it is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const checked = editorDocumentSchema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return this.setAside(`${where}${issue?.message ?? 'not a document'}`);
    }
    // A layer whose image file is gone cannot be drawn: it is left out, and the user told.
    const missing = checked.data.layers.filter((layer) => !this.images.path(layer.imageId));
    if (missing.length === 0) return { document: checked.data };
    const names = missing.map((layer) => `“${layer.name || 'Untitled'}”`).join(', ');
    return {
      document: { ...checked.data, layers: checked.data.layers.filter((layer) => !missing.includes(layer)) },
      notice: `${missing.length === 1 ? 'A layer was' : `${missing.length} layers were`} left out: the image of ${names} is no longer in the editor folder.`,
    };
  }

  private async setAside(reason: string): Promise<{ document: EditorDocument; notice: string }> {
    const aside = `document.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    await rename(this.file, pathInside(this.dir, aside));
    log.warn(`Editor: the document could not be read (${reason}); set aside as editor/${aside}.`);
    return {
      document: emptyDocument(),
      notice: `The editor's document could not be read (${reason}). It was set aside as editor/${aside} in the data folder, and the editor starts empty.`,
    };
  }

  /** Writes the document atomically, after every save asked for before it. */
  async save(document: EditorDocument): Promise<void> {
    for (const layer of document.layers) {
      if (!this.images.path(layer.imageId))
        throw new StudioError(
          'input.invalid',
          `The image of layer “${layer.name || 'Untitled'}” is not in the editor folder; nothing was saved.`,
          'Bring the image in again.',
        );
    }
    const text = `${JSON.stringify(document)}\n`;
    if (Buffer.byteLength(text) > maxDocumentBytes)
      throw new StudioError('input.invalid', 'The editor document is too large to save; nothing was saved.');
    const write = this.writing.then(async () => {
      await mkdirPrivate(this.dir);
      await writeFileAtomic(this.file, text);
    });
    // A failed save does not stop the next one.
    this.writing = write.catch(() => undefined);
    await write;
  }

  /**
   * What made an image of the history: its generation's parameters, the image's seed and the
   * model, as the document keeps them (checked; a record that does not fit gives none).
   */
  private async madeOf(generationId: string, imageId: string): Promise<EditorMade | undefined> {
    const record = await this.o.record(generationId).catch(() => undefined);
    const image = record?.images.find((i) => i.id === imageId);
    if (!record || !image) return undefined;
    const made = editorMadeSchema.safeParse({
      generationId,
      input: record.input,
      seed: image.seed,
      model: record.modelId,
    });
    if (!made.success) log.warn(`Editor: the parameters of ${generationId} do not fit a layer; it carries none.`);
    return made.success ? made.data : undefined;
  }

  /**
   * A box's kept results as the page needs them after a reload: the URL of each result still in
   * the history, and in words what is gone (results deleted there, the upload Accept lays them into).
   */
  private async resultsAnswer(kept: EditorBoxResults): Promise<EditorBoxResultsAnswer> {
    const urls: Record<string, string> = {};
    for (const { generationId, imageId } of kept.images) {
      const record = await this.o.record(generationId).catch(() => undefined);
      const image = record?.images.find((i) => i.id === imageId);
      if (image) urls[imageId] = this.o.imageUrl(generationId, image.file);
    }
    const problems: string[] = [];
    const gone = kept.images.length - Object.keys(urls).length;
    if (gone === kept.images.length) problems.push('This box’s results are no longer in the history (deleted there).');
    else if (gone > 0)
      problems.push(
        `${gone} of this box’s ${kept.images.length} results ${gone === 1 ? 'is' : 'are'} no longer in the history.`,
      );
    const uploads = [kept.sourceUploadId, ...(kept.maskUploadId ? [kept.maskUploadId] : [])];
    const missing = await Promise.all(uploads.map(async (id) => 'problem' in (await this.o.original('uploads', id))));
    const acceptable = !missing.includes(true);
    if (!acceptable && gone < kept.images.length)
      problems.push(
        `The ${missing[0] ? 'image' : 'mask'} this box sent is no longer in the uploads folder, so a result cannot be accepted: Dream again.`,
      );
    return { urls, acceptable, ...(problems.length > 0 ? { problem: problems.join(' ') } : {}) };
  }

  private answer(image: { imageId: string; width: number; height: number }): EditorImage {
    return { ...image, url: this.url(image.imageId) };
  }

  private url(imageId: string): string {
    return this.o.imageUrl(editorImageFolder, `${imageId}.png`);
  }

  readonly handlers: AreaHandlers<
    'getEditorDocument' | 'saveEditorDocument' | 'addEditorImage' | 'addEditorImageFromLibrary' | 'acceptEditorResult'
  > = {
    getEditorDocument: async () => {
      await this.writing;
      const { document, notice } = await this.read();
      const used = new Set(document.layers.map((layer) => layer.imageId));
      void this.images
        .removeUnused(used, unusedImageGraceMs)
        .catch((error: unknown) => log.warn('Editor: could not tidy unused layer images', error));
      const urls = Object.fromEntries([...used].map((id) => [id, this.url(id)]));
      const answer: EditorDocumentAnswer = { document, urls };
      if (notice) answer.notice = notice;
      const boxes = new Set(document.boxes?.map((box) => box.id));
      const kept = (document.results ?? []).filter((r) => boxes.has(r.boxId));
      if (kept.length > 0)
        answer.results = Object.fromEntries(
          await Promise.all(kept.map(async (r) => [r.boxId, await this.resultsAnswer(r)] as const)),
        );
      return answer;
    },
    saveEditorDocument: async (document) => {
      await this.save(document);
      return { layers: document.layers.length };
    },
    addEditorImage: async ({ bytes }) => this.answer(await this.images.save(bytes)),
    addEditorImageFromLibrary: async ({ generationId, imageId }) => {
      const found = await this.o.original(generationId, imageId);
      if ('problem' in found) throw new StudioError('library.not_found', found.problem);
      const made = await this.madeOf(generationId, imageId);
      const image = this.answer(await this.images.save(await readFile(found.path)));
      return made ? { ...image, made } : image;
    },
    acceptEditorResult: async ({ generationId, imageId, sourceUploadId, maskUploadId }) => {
      const file = async (g: string, i: string, what: string): Promise<Buffer> => {
        const found = await this.o.original(g, i);
        if ('problem' in found) throw new StudioError('library.not_found', `The ${what} is gone: ${found.problem}`);
        return readFile(found.path);
      };
      const result = await file(generationId, imageId, 'result');
      const source = await file('uploads', sourceUploadId, 'box’s source image');
      let kept: Buffer;
      if (maskUploadId) kept = await compositeInside(source, result, await file('uploads', maskUploadId, 'box’s mask'));
      else {
        const { width, height } = await sharp(source).metadata();
        kept = await sharp(result).resize(width, height, { fit: 'fill' }).png().toBuffer();
      }
      return this.answer(await this.images.save(kept));
    },
  };
}
