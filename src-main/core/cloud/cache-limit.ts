import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { log } from '../log';

/** How much disk the cloud cache's full-size images may take before the oldest go: 2 GiB. */
export const defaultCloudCacheBytes = 2 * 1024 ** 3;

/** A trim leaves this share of the limit, so it does not run again after every fetch. */
const trimTarget = 0.8;

const isThumbnail = (name: string): boolean => name.endsWith('.thumb.webp');

/**
 * Keeps the cloud cache (`cloud-cache/<generationId>/<imageId>.png|jpg`) within a size limit.
 * Full-size images fetched from S3 are only a cache: the least recently used go first when the
 * limit is passed, and come back from S3 when opened again. Thumbnails (about 10 kB each, what
 * the grid shows) stay. "Used" is the file's modification time, set again on every read.
 */
export class CacheLimit {
  private timer: NodeJS.Timeout | undefined;
  private trimming: Promise<number> | undefined;

  constructor(
    private readonly dir: string,
    readonly maxBytes = defaultCloudCacheBytes,
  ) {}

  /** A cached image was read: it becomes the most recently used. Never fails. */
  used(path: string): Promise<void> {
    const now = new Date();
    return utimes(path, now, now).catch(() => undefined);
  }

  /** An image was added (or the app started): trim a little later, one pass for a burst of fetches. */
  soon(delayMs = 2_000): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.trim().catch((error: unknown) => log.warn('Cloud cache: trimming failed', error));
    }, delayMs);
    this.timer.unref();
  }

  /** Removes the least recently used full-size images while the cache is over its limit. Returns the bytes freed. */
  trim(): Promise<number> {
    this.trimming ??= this.pass().finally(() => (this.trimming = undefined));
    return this.trimming;
  }

  private async pass(): Promise<number> {
    const files: Array<{ path: string; size: number; used: number }> = [];
    let folders: string[];
    try {
      folders = await readdir(this.dir);
    } catch {
      return 0; // no cache yet
    }
    for (const folder of folders) {
      let names: string[];
      try {
        names = await readdir(join(this.dir, folder));
      } catch {
        continue; // a file, or removed meanwhile
      }
      for (const name of names) {
        if (isThumbnail(name) || name.endsWith('.tmp')) continue;
        const path = join(this.dir, folder, name);
        try {
          const info = await stat(path);
          files.push({ path, size: info.size, used: info.mtimeMs });
        } catch {
          // removed meanwhile
        }
      }
    }
    let total = files.reduce((sum, f) => sum + f.size, 0);
    if (total <= this.maxBytes) return 0;
    const goal = this.maxBytes * trimTarget;
    let freed = 0;
    for (const file of files.sort((a, b) => a.used - b.used)) {
      if (total <= goal) break;
      await rm(file.path, { force: true });
      total -= file.size;
      freed += file.size;
    }
    return freed;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
