import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { OpenedFiles } from '../../../src-shared/contract';
import { maxInitImageBytes, megabytes } from '../../../src-shared/limits';
import { StudioError } from '../errors';
import type { AreaHandlers } from '../handlers';
import type { ImageService } from '../images/service';

/** What only the desktop app can do with a file, provided by the Electron shell. */
export interface DesktopActions {
  reveal(path: string): void;
  startDrag(path: string): void;
  /** Paths the system asked the app to open since the last call (emptied by the call). */
  takeOpened?(): string[];
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG file's bytes, or why it cannot be imported (missing, too large, not a PNG). */
export const readOpenedPng = async (
  path: string,
): Promise<{ name: string; bytes: Uint8Array } | { problem: string }> => {
  const name = basename(path);
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      problem: `${name}: ${code === 'ENOENT' ? 'the file is not there' : `cannot be read (${code ?? String(error)})`}.`,
    };
  }
  try {
    const { size } = await file.stat();
    if (size > maxInitImageBytes) return { problem: `${name}: larger than ${megabytes(maxInitImageBytes)}.` };
    const bytes = new Uint8Array(size);
    const { bytesRead } = await file.read(bytes, 0, size, 0);
    if (bytesRead < pngSignature.length || !pngSignature.equals(bytes.subarray(0, pngSignature.length)))
      return { problem: `${name}: not a PNG file.` };
    return { name, bytes: bytes.subarray(0, bytesRead) };
  } finally {
    await file.close();
  }
};

/** Desktop actions on images: reveal in the file manager, drag out of the window. */
export class DesktopService {
  constructor(
    private readonly images: ImageService,
    private readonly desktop: DesktopActions | undefined,
  ) {}

  /** A file path for the desktop's reveal and drag actions. */
  private async pathOf(generationId: string, imageId: string): Promise<{ path: string; desktop: DesktopActions }> {
    if (!this.desktop) throw new StudioError('unsupported', 'This action needs the desktop app.');
    const found = await this.images.original(generationId, imageId);
    if ('problem' in found) throw new StudioError('library.not_found', found.problem);
    return { path: found.path, desktop: this.desktop };
  }

  readonly handlers: AreaHandlers<'getCapabilities' | 'revealImage' | 'startImageDrag' | 'takeOpenedFiles'> = {
    getCapabilities: async () => ({ desktop: this.desktop !== undefined }),
    revealImage: async ({ generationId, imageId }) => {
      const { path, desktop } = await this.pathOf(generationId, imageId);
      desktop.reveal(path);
      return true;
    },
    startImageDrag: async ({ generationId, imageId }) => {
      const { path, desktop } = await this.pathOf(generationId, imageId);
      desktop.startDrag(path);
      return true;
    },
    takeOpenedFiles: async () => {
      const opened: OpenedFiles = { files: [], problems: [] };
      for (const path of this.desktop?.takeOpened?.() ?? []) {
        const read = await readOpenedPng(path);
        if ('problem' in read) opened.problems.push(read.problem);
        else opened.files.push(read);
      }
      return opened;
    },
  };
}
