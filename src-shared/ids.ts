import { z } from 'zod';

/**
 * The grammar of every ID that may end up in a file path or an S3 key. Checked by the
 * contract's schemas, and again where the main process builds a path (src-main/core/safe-path.ts).
 */

/** Ours: ULIDs (Crockford base32, 26 characters; they sort by creation time). */
export const ulidSource = '[0-9A-HJKMNP-TV-Z]{26}';
/** The StableStudio browser plugin's: random UUIDs, lower case (one spelling per ID, even on case-blind disks). */
export const uuidSource = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A generation or image ID: a ULID (ours) or a UUID (the browser plugin's). */
export const itemIdSource = `(?:${ulidSource}|${uuidSource})`;

const ulidPattern = new RegExp(`^${ulidSource}$`);
const itemIdPattern = new RegExp(`^${itemIdSource}$`);
/**
 * A project ID: one S3 key segment and one DynamoDB partition key. Letters, digits and `._:-`,
 * starting with a letter or digit (so never `.` or `..`), at most 128 characters. Cognito
 * identity IDs (`us-east-1:<uuid>`), which stand in for an empty project, fit.
 */
export const projectIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const isUlid = (value: unknown): value is string => typeof value === 'string' && ulidPattern.test(value);
export const isItemId = (value: unknown): value is string => typeof value === 'string' && itemIdPattern.test(value);
export const isProjectId = (value: unknown): value is string =>
  typeof value === 'string' && projectIdPattern.test(value);

const idMessage = 'Not a generation or image ID (a ULID or a UUID)';
export const ulidSchema = z.string().regex(ulidPattern, 'Not an ID of this app (a ULID)');
/** Generation and image IDs as they cross the boundary: ours or the browser plugin's, nothing else. */
export const itemIdSchema = z.string().regex(itemIdPattern, idMessage);
export const projectIdSchema = z
  .string()
  .max(128, 'Project ID is at most 128 characters')
  .regex(projectIdPattern, 'Letters, digits and . _ : - only, starting with a letter or digit');

/** The S3 key of an image: `<project>/<generationId>/<imageId>.<png|jpg>`, each part by its grammar. */
export const objectKeyPattern = new RegExp(
  `^([A-Za-z0-9][A-Za-z0-9._:-]{0,127})/(${itemIdSource})/(${itemIdSource})\\.(png|jpg)$`,
);
export interface ParsedObjectKey {
  project: string;
  generationId: string;
  imageId: string;
  ext: 'png' | 'jpg';
}
export const parseObjectKey = (key: unknown): ParsedObjectKey | undefined => {
  if (typeof key !== 'string') return undefined;
  const m = objectKeyPattern.exec(key);
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return undefined;
  return { project: m[1], generationId: m[2], imageId: m[3], ext: m[4] === 'jpg' ? 'jpg' : 'png' };
};
