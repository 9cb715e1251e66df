import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../fs-atomic';
import { log } from '../log';

/**
 * Grid thumbnails: 320 px wide WebP, about 10 kB instead of megabytes. Small enough to
 * travel inside the DynamoDB item, so a cloud history page needs no S3 request to show.
 *
 * They are made one at a time, on one libvips thread, so that on a two-core machine they
 * never take both cores from a generation still receiving its images: a Dream queues its
 * thumbnails once it is done, and a thumbnail asked for before it exists goes to the front.
 */
export const thumbnailWidth = 320;

// Process-wide: sharp's other work (an init image, a Save as PNG) is one picture the user waits
// for, where more threads gain little; many threads would let thumbnails compete with receiving.
sharp.concurrency(1);

/** A thumbnail that was not made because its generation folder was being removed. */
export class ThumbnailDropped extends Error {
  constructor(target: string) {
    super(`The thumbnail ${target} was not made: its generation is being removed.`);
    this.name = 'ThumbnailDropped';
  }
}

interface Job {
  source: string;
  target: string;
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Jobs waiting or running, by target; `waiting` in the order they will run. */
const jobs = new Map<string, Job>();
const waiting: Job[] = [];
let running: Job | undefined;
let idleWaiters: Array<() => void> = [];

const make = async (source: string, target: string): Promise<void> => {
  if (existsSync(target)) return;
  const bytes = await sharp(source)
    .resize({ width: thumbnailWidth, withoutEnlargement: true })
    .webp({ quality: 65 })
    .toBuffer();
  await writeFileAtomic(target, bytes);
};

const next = (): void => {
  if (running) return;
  const job = waiting.shift();
  if (!job) {
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
    return;
  }
  running = job;
  make(job.source, job.target)
    .then(job.resolve, job.reject)
    .finally(() => {
      jobs.delete(job.target);
      running = undefined;
      next();
    });
};

const enqueue = (source: string, target: string, urgent: boolean): Promise<void> => {
  if (existsSync(target)) return Promise.resolve();
  const known = jobs.get(target);
  if (known) {
    const at = waiting.indexOf(known);
    if (urgent && at > 0) waiting.unshift(...waiting.splice(at, 1));
    return known.done;
  }
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const job: Job = { source, target, done, resolve, reject };
  jobs.set(target, job);
  if (urgent) waiting.unshift(job);
  else waiting.push(job);
  next();
  return done;
};

/**
 * Makes `target` from `source` now (ahead of the queue, after the one being made): someone is
 * waiting to show it. Requests for the same thumbnail share the work.
 */
export const ensureThumbnail = (source: string, target: string): Promise<void> => enqueue(source, target, true);

/**
 * Makes `target` from `source` in the background, after the thumbnails already queued. Failures
 * are reported here; the thumbnail is then made on demand when it is asked for.
 */
export const queueThumbnail = (source: string, target: string): void => {
  enqueue(source, target, false).catch((error: unknown) => {
    if (!(error instanceof ThumbnailDropped)) log.warn(`Thumbnail ${target} failed: ${String(error)}`);
  });
};

/**
 * Clears `folder` of thumbnail work before it is removed: the ones still waiting are dropped
 * (made on demand later if still wanted), the one being written is waited for, so the removal
 * does not race a rename into the folder (ENOTEMPTY) or leave a stray file.
 */
export const thumbnailsSettled = async (folder: string): Promise<void> => {
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  for (const job of waiting.filter((j) => j.target.startsWith(prefix))) {
    waiting.splice(waiting.indexOf(job), 1);
    jobs.delete(job.target);
    job.reject(new ThumbnailDropped(job.target));
  }
  if (running?.target.startsWith(prefix)) await running.done.catch(() => undefined);
};

/** Resolves once no thumbnail is waiting or being made (benchmarks and tests). */
export const thumbnailsIdle = (): Promise<void> =>
  running || waiting.length > 0 ? new Promise((resolve) => idleWaiters.push(resolve)) : Promise.resolve();
