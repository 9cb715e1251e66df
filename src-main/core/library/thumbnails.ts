import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { writeFileAtomic } from '../fs-atomic';

/** Grid thumbnails: 384 px wide WebP, a few tens of kB instead of megabytes. */
export const thumbnailWidth = 384;

const inFlight = new Map<string, Promise<void>>();

/** Makes `target` from `source` once; concurrent requests for the same thumbnail share the work. */
export const ensureThumbnail = async (source: string, target: string): Promise<void> => {
  if (existsSync(target)) return;
  let job = inFlight.get(target);
  if (!job) {
    job = sharp(source)
      .resize({ width: thumbnailWidth, withoutEnlargement: true })
      .webp({ quality: 72 })
      .toBuffer()
      .then((bytes) => writeFileAtomic(target, bytes))
      .finally(() => inFlight.delete(target));
    inFlight.set(target, job);
  }
  await job;
};
