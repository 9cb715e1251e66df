import { z } from 'zod';
import { errorCodes } from '../../../src-shared/errors';
import { generationInputSchema, maxSeed } from '../../../src-shared/generation';
import { itemIdSchema, projectIdSchema } from '../../../src-shared/ids';

/**
 * What `generation.json` holds, as a schema: the file is parsed, never cast, so a damaged or
 * planted file cannot name a path outside its folder or reach the renderer half-read.
 */

const contentTypes = ['image/png', 'image/jpeg'] as const;
export type ImageContentType = (typeof contentTypes)[number];
export const extensionFor = (contentType: ImageContentType): 'png' | 'jpg' =>
  contentType === 'image/png' ? 'png' : 'jpg';

const dimension = z.number().int().min(1).max(16_384);

export const imageRecordSchema = z
  .object({
    id: itemIdSchema,
    /** Its place in the generation (0-based), kept when others are deleted. */
    index: z.number().int().min(0).max(999),
    seed: z.number().int().min(0).max(maxSeed),
    width: dimension,
    height: dimension,
    contentType: z.enum(contentTypes),
    /** Always `<id>.png` or `<id>.jpg`: the only names a generation folder's images may have. */
    file: z.string(),
  })
  .refine((i) => i.file === `${i.id}.${extensionFor(i.contentType)}`, {
    message: 'An image file is named <image ID>.png or .jpg',
    path: ['file'],
  });
export type ImageRecord = z.output<typeof imageRecordSchema>;

export const appErrorSchema = z.object({
  code: z.enum(errorCodes).catch('internal'),
  message: z.string().max(4000),
  hint: z.string().max(4000).optional(),
});

export const imageFailureSchema = z.object({
  index: z.number().int().min(0).max(999),
  error: appErrorSchema,
  finishReason: z.enum(['SUCCESS', 'CONTENT_FILTERED', 'ERROR']).optional(),
});

export const recordSyncSchema = z.object({
  state: z.enum(['pending', 'synced']),
  project: projectIdSchema,
  reason: z.string().max(4000).optional(),
  attempts: z.number().int().min(0).optional(),
  nextAttemptAt: z.string().max(64).optional(),
});
export type RecordSync = z.output<typeof recordSyncSchema>;

/** An image being written when the record was saved: what a restart needs to keep it if the app stopped. */
export const inflightImageSchema = z.object({
  id: itemIdSchema,
  index: z.number().int().min(0).max(999),
  seed: z.number().int().min(0).max(maxSeed),
  contentType: z.enum(contentTypes),
});
export type InflightImage = z.output<typeof inflightImageSchema>;

/** A file the generation's folder holds: `<item ID>.png`, nothing else. */
const pngFileName = z
  .string()
  .max(64)
  .refine((f) => f.endsWith('.png') && itemIdSchema.safeParse(f.slice(0, -4)).success, 'Not <ID>.png');

/**
 * An edit's inputs, copied into the generation's folder as they were sent: the image it started
 * from (`image`) and, for inpainting and outpainting, the mask (`mask`, white = generated).
 */
export const recordSourcesSchema = z.object({ image: pngFileName, mask: pngFileName.optional() });
export type RecordSources = z.output<typeof recordSourcesSchema>;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'Not a date');

/** What generation.json holds. `running` means the app stopped before the generation finished. */
export const generationRecordSchema = z.object({
  version: z.literal(1),
  id: itemIdSchema,
  createdAt: isoTime,
  input: generationInputSchema,
  count: z.number().int().min(1).max(1000),
  modelId: z.string().max(1000),
  endpointName: z.string().max(1000),
  status: z.enum(['done', 'partial', 'failed', 'cancelled', 'running']),
  images: z.array(imageRecordSchema).max(1000),
  failures: z.array(imageFailureSchema).max(1000),
  /** Indexes of images the user deleted: their places are gone, not missing. */
  deleted: z.array(z.number().int().min(0).max(999)).max(1000).optional(),
  /** Images whose bytes were being written (a stop here leaves them to recover at the next start). */
  inflight: z.array(inflightImageSchema).max(1000).optional(),
  /** Set when cloud storage was on at generation time: where it goes and whether it got there. */
  sync: recordSyncSchema.optional(),
  /** Edits (image-to-image, inpainting, outpainting, upscaling): the source image and mask as sent. */
  sources: recordSourcesSchema.optional(),
});
export type GenerationRecord = z.output<typeof generationRecordSchema>;

/** One line saying why a value did not match its schema (first few issues, with their paths). */
export const whyInvalid = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
