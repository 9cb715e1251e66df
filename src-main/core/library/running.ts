import { open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { isUlid } from '../../../src-shared/ids';
import { mkdirPrivate, privateFileMode, tempFilePattern } from '../fs-atomic';
import { idFolder, imageFileIn, pathInside } from '../safe-path';
import type { LocalLibrary } from './local-library';
import { extensionFor } from './record';
import type { GenerationRecord, ImageContentType, ImageRecord } from './record';

/** True when the bytes end as a whole PNG (IEND chunk) or JPEG (EOI marker) does: nothing was cut off. */
const isCompleteImage = async (path: string, contentType: ImageContentType): Promise<boolean> => {
  let handle;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const tail = Buffer.alloc(Math.min(size, 12));
    await handle.read(tail, 0, tail.length, size - tail.length);
    return contentType === 'image/png'
      ? tail.length === 12 && tail.subarray(4, 8).toString('latin1') === 'IEND'
      : tail.length >= 2 && tail[tail.length - 2] === 0xff && tail[tail.length - 1] === 0xd9;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
};

/**
 * The size of a recovered image: its file's own, else what the generation makes (the input's
 * size, four times it for an upscale).
 */
const outputSizeOf = async (path: string, record: GenerationRecord): Promise<{ width: number; height: number }> => {
  try {
    const { width, height } = await sharp(path).metadata();
    if (width && height) return { width, height };
  } catch {
    // Unreadable header: fall back to what the generation asked for.
  }
  const factor = record.input.kind === 'upscale' ? 4 : 1;
  return { width: record.input.width * factor, height: record.input.height * factor };
};

/** True while the process that wrote a running marker is alive (web mode and the desktop app may share a library). */
const processAlive = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * `<root>/running/<generationId>`, one marker per generation being made, holding the maker's
 * process ID. A marker left by a process that is gone means the app stopped in the middle of
 * that generation: the next start finishes its record. Work is proportional to the generations
 * that were running, never to the library.
 */
export class RunningGenerations {
  private readonly dir: string;

  constructor(
    root: string,
    private readonly library: LocalLibrary,
  ) {
    this.dir = join(root, 'running');
  }

  /** A generation is being made by this process: if the process stops, the next start finishes its record. */
  async mark(generationId: string): Promise<void> {
    await mkdirPrivate(this.dir);
    await writeFile(idFolder(this.dir, generationId), String(process.pid), { mode: privateFileMode });
  }

  async finish(generationId: string): Promise<void> {
    await rm(idFolder(this.dir, generationId), { force: true });
  }

  /**
   * After a stop in the middle of a generation: images whose bytes were complete are kept
   * (a temp file the stop left is renamed into place), leftovers are removed, and the record
   * says it was interrupted. Work is proportional to the generations that were running,
   * not to the library. Returns the IDs of the records it finished.
   */
  async recover(): Promise<string[]> {
    let markers: string[];
    try {
      markers = (await readdir(this.dir)).filter(isUlid);
    } catch {
      return [];
    }
    const finished: string[] = [];
    for (const id of markers) {
      const marker = idFolder(this.dir, id);
      const pid = Number(await readFile(marker, 'utf8').catch(() => ''));
      if (processAlive(pid)) continue; // still being made, by this app in another window or web mode
      const record = await this.library.get(id);
      if (record) {
        await this.library.save(await this.recoverRecord(record));
        finished.push(id);
      }
      await rm(marker, { force: true });
    }
    return finished;
  }

  private async recoverRecord(record: GenerationRecord): Promise<GenerationRecord> {
    const folder = this.library.folderOf(record.id);
    let names: string[] = [];
    try {
      names = await readdir(folder);
    } catch {
      // no folder: nothing to recover
    }
    const images: ImageRecord[] = [...record.images];
    for (const pending of record.inflight ?? []) {
      if (images.some((i) => i.id === pending.id)) continue;
      const file = `${pending.id}.${extensionFor(pending.contentType)}`;
      const path = imageFileIn(this.library.dir, record.id, file);
      if (!(await isCompleteImage(path, pending.contentType))) {
        // The stop came between writing the bytes and renaming them into place.
        const temp = names.find((n) => tempFilePattern.exec(n)?.[1] === file);
        if (!temp || !(await isCompleteImage(pathInside(folder, temp), pending.contentType))) continue;
        await rename(pathInside(folder, temp), path);
      }
      images.push({
        id: pending.id,
        index: pending.index,
        seed: pending.seed,
        ...(await outputSizeOf(path, record)),
        contentType: pending.contentType,
        file,
      });
    }
    // What is left half-written is of no use to anyone.
    for (const name of names) {
      if (tempFilePattern.test(name)) await rm(pathInside(folder, name), { force: true });
    }
    const { inflight: _inflight, ...rest } = record;
    return {
      ...rest,
      images: images.sort((a, b) => a.index - b.index),
      status: record.status === 'running' ? (images.length >= record.count ? 'done' : 'partial') : record.status,
    };
  }
}
