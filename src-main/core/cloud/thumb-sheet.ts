import { z } from 'zod';
import { itemIdSchema } from '../../../src-shared/ids';

/**
 * A generation's grid thumbnails in one S3 object next to its images,
 * `<project>/<generationId>/thumbnails.bin`: a one-line JSON header naming each thumbnail and
 * its size, then the WebP files one after another. One object per generation (not per image)
 * so a page of 50 generations is 50 small GETs, and the DynamoDB item stays small: a history
 * page reads items without thumbnails in them. The browser plugin never reads it (its items
 * name their images in s3_object_keys).
 */
export const thumbSheetKey = (project: string, generationId: string): string =>
  `${project}/${generationId}/thumbnails.bin`;

const headerSchema = z.object({
  version: z.literal(1),
  thumbs: z.array(z.object({ id: itemIdSchema, bytes: z.number().int().min(12).max(1_000_000) })).max(1000),
});

export const encodeThumbSheet = (thumbs: Map<string, Uint8Array>): Buffer => {
  const header = { version: 1, thumbs: [...thumbs].map(([id, bytes]) => ({ id, bytes: bytes.length })) };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...thumbs.values()]);
};

const isWebp = (b: Uint8Array): boolean =>
  Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' &&
  Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP';

/**
 * The thumbnails of a sheet (untrusted: anyone with access to the bucket may have written it),
 * each checked to be a WebP file of the size the header says; a sheet that does not add up is
 * refused whole.
 */
export const decodeThumbSheet = (body: Uint8Array): Map<string, Uint8Array> => {
  const bytes = Buffer.from(body);
  const end = bytes.indexOf(0x0a);
  if (end < 0 || end > 200_000) throw new Error('A thumbnail sheet without its header line.');
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.subarray(0, end).toString('utf8'));
  } catch {
    throw new Error('A thumbnail sheet whose header is not JSON.');
  }
  const header = headerSchema.parse(raw);
  const out = new Map<string, Uint8Array>();
  let at = end + 1;
  for (const { id, bytes: size } of header.thumbs) {
    const part = bytes.subarray(at, at + size);
    if (part.length !== size || !isWebp(part)) throw new Error(`Thumbnail ${id} of the sheet is not a WebP image.`);
    out.set(id, part);
    at += size;
  }
  if (at !== bytes.length) throw new Error('A thumbnail sheet with bytes its header does not name.');
  return out;
};
