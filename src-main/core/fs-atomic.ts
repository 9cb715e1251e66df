import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Everything the app writes is private to the user: folders 0700, files 0600 (settings, the
 * Cognito identity in state.json, the outbox, the library). Windows ignores the modes; its
 * per-user profile folder already keeps other users out.
 */
export const privateFileMode = 0o600;
export const privateDirMode = 0o700;

const tempName = (path: string): string => `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/** Temp files of an atomic write: `<name>.<pid>.<8 hex>.tmp`. */
export const tempFilePattern = /^(.+)\.\d+\.[0-9a-f]{8}\.tmp$/;

/** Writes via a temp file and rename, so a reader never sees half a file. */
export const writeFileAtomic = async (path: string, data: string | Uint8Array): Promise<void> => {
  const temp = tempName(path);
  try {
    await writeFile(temp, data, { mode: privateFileMode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
};

export const writeFileAtomicSync = (path: string, data: string | Uint8Array): void => {
  const temp = tempName(path);
  try {
    writeFileSync(temp, data, { mode: privateFileMode });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
};

/** Creates a folder (and missing parents) readable by the user only. */
export const mkdirPrivate = async (path: string): Promise<void> => {
  await mkdir(path, { recursive: true, mode: privateDirMode });
};

export const mkdirPrivateSync = (path: string): void => {
  mkdirSync(path, { recursive: true, mode: privateDirMode });
};

/**
 * The data folder itself: created private, and made private if an earlier version left it open
 * (then nothing inside can be reached by other users, whatever its own mode).
 */
export const ensurePrivateRoot = (path: string): void => {
  mkdirPrivateSync(path);
  if (process.platform !== 'win32') chmodSync(path, privateDirMode);
};
