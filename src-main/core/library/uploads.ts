import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { StudioError } from '../errors';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic';
import { pathInside } from '../safe-path';
import { isUlid, newId } from './ids';

/** Images the user brings to start from: `<dataDir>/uploads/<id>.png`, normalised to PNG. */
export class Uploads {
  readonly dir: string;

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
    const id = newId();
    await mkdirPrivate(this.dir);
    await writeFileAtomic(pathInside(this.dir, `${id}.png`), png);
    return { id, width, height };
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
