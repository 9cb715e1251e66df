import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { StudioError } from '../errors';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic';
import { pathInside } from '../safe-path';
import { isUlid, newId } from './ids';

/** An upload made from raw pixels, as encoded: what a request sends without reading it back. */
export interface FreshUpload {
  png: Buffer;
  width: number;
  height: number;
  channels: 1 | 3;
  /** Every pixel zero (a mask that marks nothing). */
  blank: boolean;
}

/** Where an edit's image is transparent, models see this grey (what lies under transparency is no picture). */
export const underTransparency = '#808080';

/** How many raw uploads stay in memory: an Edit box's init image and mask, and the box before it. */
const freshKept = 4;

/** Images the user brings to start from: `<dataDir>/uploads/<id>.png`, normalised to PNG. */
export class Uploads {
  readonly dir: string;
  /** The latest raw uploads, newest last: the request that follows them sends these bytes as they are. */
  private readonly recent = new Map<string, FreshUpload>();
  /** Raw uploads being encoded and written: a request (or a read of the file) waits for its own. */
  private readonly encoding = new Map<string, Promise<FreshUpload>>();
  private readonly writing = new Map<string, Promise<void>>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'uploads');
  }

  async save(bytes: Uint8Array): Promise<{ id: string; width: number; height: number }> {
    let png: Buffer;
    let width: number;
    let height: number;
    try {
      const limits = { limitInputPixels: 64 * 1024 * 1024 };
      const meta = await sharp(bytes, limits).metadata();
      if (meta.format === 'png' && (meta.orientation ?? 1) === 1) {
        // A PNG the right way up is kept as it came: decoded once to prove it whole, not re-encoded
        // (encoding is most of the cost, and an edit's init image and mask are 1024² PNGs).
        const { info } = await sharp(bytes, limits).raw().toBuffer({ resolveWithObject: true });
        png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        width = info.width;
        height = info.height;
      } else {
        const image = sharp(bytes, limits).rotate();
        const { data, info } = await image.png().toBuffer({ resolveWithObject: true });
        png = data;
        width = info.width;
        height = info.height;
      }
    } catch (error) {
      throw new StudioError(
        'input.invalid',
        `That file is not an image we can read (${String(error)}).`,
        'Use a PNG, JPEG or WebP image.',
      );
    }
    return { ...(await this.keep(png)), width, height };
  }

  /**
   * Raw pixels (grey, RGB or RGBA, row after row) encoded to PNG and kept (RGBA as RGB over grey). Answers the upload's ID at
   * once: the encoding and the file follow, and whatever needs them waits for them (`fresh`,
   * `settled`), so an Edit box's request is on its way while its init image is still encoded.
   * The encoding is tuned for time, as the user waits for it. A picture: zlib level 2 with PNG's
   * adaptive filters, 2–4 % larger than the default level 6 in ≈ 40 % less time on photographs (the
   * bytes go on to SageMaker, so not level 1: 20 % less time again, but 40 % more bytes to send).
   * A mask (large flat areas): no filters, a fifth of the time for a few kilobytes more.
   */
  saveRaw(
    bytes: Uint8Array,
    width: number,
    height: number,
    channels: 1 | 3 | 4,
  ): { id: string; width: number; height: number } {
    if (bytes.byteLength !== width * height * channels)
      throw new StudioError('input.invalid', 'The pixels are not width × height × channels bytes.');
    const id = newId();
    const encoded = (async (): Promise<FreshUpload> => {
      const raw = sharp(bytes, { raw: { width, height, channels } });
      // RGBA: what is transparent is no picture; models take RGB, so it is laid over neutral grey.
      const png = await (channels === 4 ? raw.flatten({ background: underTransparency }) : raw)
        .png(channels === 1 ? { compressionLevel: 6 } : { compressionLevel: 2, adaptiveFiltering: true })
        .toBuffer();
      const blank =
        channels === 1 &&
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(Buffer.alloc(bytes.byteLength));
      return { png, width, height, channels: channels === 1 ? 1 : 3, blank };
    })();
    const written = encoded.then(async (fresh) => {
      this.recent.set(id, fresh);
      for (const old of this.recent.keys()) if (this.recent.size > freshKept) this.recent.delete(old);
      await this.write(id, fresh.png);
    });
    this.encoding.set(id, encoded);
    this.writing.set(id, written);
    // Once on disk it is an upload like any other; a failure stays, for whoever waits on it to report.
    written.then(
      () => {
        this.encoding.delete(id);
        this.writing.delete(id);
      },
      () => undefined,
    );
    return { id, width, height };
  }

  /**
   * A raw upload still in memory (the last few), as encoded, once it is (its file may still be on
   * its way); undefined for any other. Throws why, when its encoding failed.
   */
  async fresh(id: string): Promise<FreshUpload | undefined> {
    const encoding = this.encoding.get(id);
    if (!encoding) return this.recent.get(id);
    try {
      return await encoding;
    } catch (error) {
      throw new StudioError('internal', `The box’s pixels could not be encoded as PNG (${String(error)}).`);
    }
  }

  /** Resolves once a raw upload's file is written (or failed); at once for any other. */
  async settled(id: string): Promise<void> {
    await this.writing.get(id)?.catch(() => undefined);
  }

  private async keep(png: Uint8Array): Promise<{ id: string }> {
    const id = newId();
    await this.write(id, png);
    return { id };
  }

  private async write(id: string, png: Uint8Array): Promise<void> {
    await mkdirPrivate(this.dir);
    await writeFileAtomic(pathInside(this.dir, `${id}.png`), png);
  }

  path(id: string): string | undefined {
    if (!isUlid(id)) return undefined;
    const path = pathInside(this.dir, `${id}.png`);
    return existsSync(path) ? path : undefined;
  }
}

/**
 * The init image at the size the model will draw, as PNG base64 (computed once per generation).
 * A PNG already at that size is sent exactly as it is; anything else is cropped to fill and re-encoded.
 */
export const initImageBase64 = async (path: string, width: number, height: number): Promise<string> => {
  const meta = await sharp(path).metadata();
  if (meta.format === 'png' && meta.width === width && meta.height === height)
    return (await readFile(path)).toString('base64');
  return (await sharp(path).resize(width, height, { fit: 'cover' }).png().toBuffer()).toString('base64');
};
