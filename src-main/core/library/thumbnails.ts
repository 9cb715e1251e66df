import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../fs-atomic';

/**
 * Grid thumbnails: 320 px wide WebP, about 10 kB instead of megabytes. Small enough to
 * travel inside the DynamoDB item, so a cloud history page needs no S3 request to show.
 */
export const thumbnailWidth = 320;

const inFlight = new Map<string, Promise<void>>();

/** Makes `target` from `source` once; concurrent requests for the same thumbnail share the work. */
export const ensureThumbnail = async (source: string, target: string): Promise<void> => {
  if (existsSync(target)) return;
  let job = inFlight.get(target);
  if (!job) {
    job = sharp(source)
      .resize({ width: thumbnailWidth, withoutEnlargement: true })
      .webp({ quality: 65 })
      .toBuffer()
      .then((bytes) => writeFileAtomic(target, bytes))
      .finally(() => inFlight.delete(target));
    inFlight.set(target, job);
  }
  await job;
};

/**
 * Waits for every thumbnail still being written into `folder`, so a delete that follows
 * does not race a rename into the folder it is removing (ENOTEMPTY) or leave a stray file.
 */
export const thumbnailsSettled = async (folder: string): Promise<void> => {
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  const pending = [...inFlight].filter(([target]) => target.startsWith(prefix)).map(([, job]) => job);
  await Promise.allSettled(pending);
};
