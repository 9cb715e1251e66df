import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { StudioError } from '../errors';
import { mkdirPrivate, writeFileAtomic } from '../fs-atomic';
import { isUlid, newId } from '../library/ids';
import { pathInside } from '../safe-path';

/** The largest image a layer may hold, in pixels (sharp refuses larger inputs before decoding them). */
export const maxLayerPixels = 64 * 1024 * 1024;

/** A layer image file: `<ulid>.png`, and the thumbnail the layer list shows, `<ulid>.thumb.webp`. */
const layerFilePattern = /^([0-9A-HJKMNP-TV-Z]{26})\.(png|thumb\.webp)$/;

/** Layer images of the Edit tab: `<dataDir>/editor/<imageId>.png`, every name checked by safe-path. */
export class EditorImages {
  constructor(readonly dir: string) {}

  /** Stores image bytes (PNG, JPEG, WebP) as a PNG; refuses what is not an image, saying so. */
  async save(bytes: Uint8Array): Promise<{ imageId: string; width: number; height: number }> {
    let png: Buffer;
    let width: number;
    let height: number;
    try {
      const image = sharp(bytes, { limitInputPixels: maxLayerPixels }).rotate();
      const { data, info } = await image.png().toBuffer({ resolveWithObject: true });
      png = data;
      width = info.width;
      height = info.height;
    } catch (error) {
      throw new StudioError(
        'input.invalid',
        `That file is not an image the editor can read (${String(error)}).`,
        'Use a PNG, JPEG or WebP image of at most 64 megapixels.',
      );
    }
    const imageId = newId();
    await mkdirPrivate(this.dir);
    await writeFileAtomic(pathInside(this.dir, `${imageId}.png`), png);
    return { imageId, width, height };
  }

  /** The file of a layer image, when it exists. */
  path(imageId: string): string | undefined {
    if (!isUlid(imageId)) return undefined;
    const path = pathInside(this.dir, `${imageId}.png`);
    return existsSync(path) ? path : undefined;
  }

  /**
   * Removes layer images no layer names any more (deleted layers, images brought in and never
   * kept), once they are older than `olderThanMs`: an image added a moment ago may still be on
   * its way into a save.
   */
  async removeUnused(used: ReadonlySet<string>, olderThanMs: number, now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const id = layerFilePattern.exec(name)?.[1];
      if (!id || used.has(id)) continue;
      const path = pathInside(this.dir, name);
      try {
        if (now - (await stat(path)).mtimeMs < olderThanMs) continue;
        await rm(path, { force: true });
        removed++;
      } catch {
        // Gone already, or busy: the next look tries again.
      }
    }
    return removed;
  }
}
