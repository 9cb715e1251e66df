import { isAbsolute, relative, resolve } from 'node:path';
import { isItemId } from '../../src-shared/ids';
import { StudioError } from './errors';

/**
 * The one way an ID becomes a path. Every name must be a plain file name (no separator, not
 * `.` or `..`, no NUL), and the result must resolve inside `root`; anything else is refused with
 * an error, never joined. IDs from IPC/HTTP, DynamoDB, S3 keys, generation.json and outbox jobs
 * all reach the disk through here.
 */
export const pathInside = (root: string, ...names: string[]): string => {
  for (const name of names) {
    if (!isPlainName(name)) throw refused(name);
  }
  const base = resolve(root);
  const full = resolve(base, ...names);
  const rel = relative(base, full);
  if (rel === '' || rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel))
    throw refused(names.join('/'));
  return full;
};

const isPlainName = (name: string): boolean =>
  name.length > 0 &&
  name.length <= 255 &&
  name !== '.' &&
  name !== '..' &&
  !name.includes('/') &&
  !name.includes('\\') &&
  !name.includes('\0') &&
  !/^[a-zA-Z]:/.test(name);

const refused = (name: string): StudioError =>
  new StudioError(
    'input.invalid',
    `Refused a path outside the app's data folder (${JSON.stringify(name.slice(0, 80))}).`,
  );

/** `<root>/<generationId>`, for a generation or image ID of a known grammar only (ULID or UUID). */
export const idFolder = (root: string, id: string): string => {
  if (!isItemId(id)) throw refused(id);
  return pathInside(root, id);
};

/** The file names a generation folder may hold: `<imageId>.png|jpg|thumb.webp`. */
const imageFilePattern = /^(.+)\.(png|jpg|thumb\.webp)$/;

/** `<root>/<generationId>/<imageId>.<png|jpg|thumb.webp>`, every part checked. */
export const imageFileIn = (root: string, generationId: string, file: string): string => {
  const match = imageFilePattern.exec(file);
  if (!match?.[1] || !isItemId(match[1])) throw refused(file);
  return pathInside(idFolder(root, generationId), file);
};

/** True when `file` is an image file name of the library (`<imageId>.png|jpg`). */
export const isImageFileName = (file: string): boolean => {
  const match = /^(.+)\.(png|jpg)$/.exec(file);
  return match?.[1] !== undefined && isItemId(match[1]);
};
