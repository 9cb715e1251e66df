import { decodeTime } from 'ulid';
import { z } from 'zod';
import { generationInputSchema, maxSeed } from '../../../src-shared/generation';
import type { GenerationInput } from '../../../src-shared/generation';
import { fromPluginInput, pluginInput } from './plugin-input';
import { thumbSheetKey } from './thumb-sheet';
import { isUlid, itemIdSchema, parseObjectKey } from '../../../src-shared/ids';
import { imageFailureSchema, whyInvalid } from '../library/record';
import type { GenerationRecord, ImageRecord, RecordSources } from '../library/record';

/** One image in a DynamoDB item (our attribute `images`). */
export interface CloudImage {
  id: string;
  key: string;
  index: number;
  seed: number;
  width: number;
  height: number;
  content_type: 'image/png' | 'image/jpeg';
  finish_reason: 'SUCCESS';
  /** The grid thumbnail (WebP), as items written before thumbnail sheets carried it (read, never written). */
  thumb?: Uint8Array;
}

/**
 * A generation in DynamoDB, as this app writes it. `input_obj` and `s3_object_keys` are JSON
 * strings in the StableStudio browser plugin's shape (so it can still read what we write); the
 * rest is ours. Legacy items written by the plugin carry only project_id, generation_id,
 * input_obj, s3_object_keys. What is read back is untrusted: see `readItem`.
 */
export type CloudItem = {
  project_id: string;
  generation_id: string;
  input_obj?: string;
  s3_object_keys?: string;
  created_at?: string;
  model?: string;
  endpoint?: string;
  count?: number;
  status?: string;
  studio_input?: string;
  images?: CloudImage[];
  failures?: string;
  /** Indexes of images deleted since the generation was made (their places are gone, not missing). */
  deleted?: number[];
  /** The S3 key of the generation's thumbnail sheet (see thumb-sheet.ts), when it has one. */
  thumbs_key?: string;
  /** An edit's source image and mask (PNG), as sent: their S3 keys, beside the images (not in s3_object_keys). */
  sources?: { image: string; mask?: string };
};

/** The ID of a source file (`<ID>.png`). */
const sourceId = (file: string): string => file.replace(/\.png$/, '');

/** The S3 keys of a record's source image and mask, when it has them. */
export const sourceKeys = (project: string, r: Pick<GenerationRecord, 'id' | 'sources'>): string[] =>
  r.sources
    ? [r.sources.image, ...(r.sources.mask ? [r.sources.mask] : [])].map((file) =>
        objectKey(project, r.id, sourceId(file), 'image/png'),
      )
    : [];

export const objectKey = (project: string, generationId: string, imageId: string, contentType: string): string =>
  `${project}/${generationId}/${imageId}.${contentType === 'image/jpeg' ? 'jpg' : 'png'}`;

/** A record → its item. Thumbnails are not in it (a page reads items; see thumb-sheet.ts). */
export const toItem = (project: string, r: GenerationRecord, withThumbSheet = false): CloudItem => {
  const images: CloudImage[] = r.images.map((i) => ({
    id: i.id,
    key: objectKey(project, r.id, i.id, i.contentType),
    index: i.index,
    seed: i.seed,
    width: i.width,
    height: i.height,
    content_type: i.contentType,
    finish_reason: 'SUCCESS',
  }));
  return {
    project_id: project,
    generation_id: r.id,
    input_obj: JSON.stringify(pluginInput(r.input)),
    s3_object_keys: JSON.stringify(images.map((i) => i.key)),
    created_at: r.createdAt,
    model: r.modelId,
    endpoint: r.endpointName,
    count: r.count,
    status: r.status === 'running' ? 'partial' : r.status,
    studio_input: JSON.stringify(r.input),
    images,
    failures: JSON.stringify(r.failures),
    ...(r.deleted && r.deleted.length > 0 ? { deleted: r.deleted } : {}),
    ...(withThumbSheet ? { thumbs_key: thumbSheetKey(project, r.id) } : {}),
    ...(r.sources
      ? {
          sources: {
            image: objectKey(project, r.id, sourceId(r.sources.image), 'image/png'),
            ...(r.sources.mask ? { mask: objectKey(project, r.id, sourceId(r.sources.mask), 'image/png') } : {}),
          },
        }
      : {}),
  };
};

const parseJson = (text: string | undefined): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const dimension = z.number().int().min(1).max(16_384);
const isoTime = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'Not a date');
const jsonText = z.string().max(400_000);

const cloudImageSchema = z.looseObject({
  id: itemIdSchema,
  key: z.string().max(1024),
  index: z.number().int().min(0).max(999),
  seed: z.number().int().min(0).max(maxSeed),
  width: dimension,
  height: dimension,
  content_type: z.enum(['image/png', 'image/jpeg']),
  thumb: z.instanceof(Uint8Array).optional(),
});

/** A DynamoDB item as read: every attribute checked before anything uses it (others' attributes kept). */
const cloudItemSchema = z.looseObject({
  project_id: z.string().max(1024),
  generation_id: itemIdSchema,
  input_obj: jsonText.optional(),
  s3_object_keys: jsonText.optional(),
  created_at: isoTime.optional(),
  model: z.string().max(1000).optional(),
  endpoint: z.string().max(1000).optional(),
  count: z.number().int().min(0).max(1000).optional(),
  status: z.string().max(100).optional(),
  studio_input: jsonText.optional(),
  images: z.array(cloudImageSchema).max(1000).optional(),
  failures: jsonText.optional(),
  deleted: z.array(z.number().int().min(0).max(999)).max(1000).optional(),
  thumbs_key: z.string().max(1024).optional(),
  sources: z.looseObject({ image: z.string().max(1024), mask: z.string().max(1024).optional() }).optional(),
});

/** The keys-only view that orders a project's history (Query with a projection). */
const itemKeySchema = cloudItemSchema.pick({ generation_id: true, created_at: true, s3_object_keys: true });
export type ItemKey = z.output<typeof itemKeySchema>;

/** What a listing or a read found: usable, or unreadable with its key and why. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; key: string; reason: string };

/** A key as shown to a person: `<project>/<generation_id>`, whatever the item holds. */
const keyLabel = (project: string, raw: unknown): string => {
  const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).generation_id : undefined;
  return `${project}/${typeof id === 'string' ? JSON.stringify(id.slice(0, 80)).slice(1, -1) : '?'}`;
};

export const readItemKey = (project: string, raw: unknown): Parsed<ItemKey> => {
  const parsed = itemKeySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, key: keyLabel(project, raw), reason: whyInvalid(parsed.error) };
  return { ok: true, value: parsed.data };
};

/** The input an item was made with: ours in full (checked), or rebuilt from the browser plugin's input_obj. */
export const inputOfItem = (item: Pick<CloudItem, 'studio_input' | 'input_obj'>): GenerationInput => {
  const ours = generationInputSchema.safeParse(parseJson(item.studio_input));
  return ours.success ? ours.data : fromPluginInput(parseJson(item.input_obj));
};

/** When a generation was made: our created_at, the ULID's time, or (legacy) what the caller found in S3. */
export const createdAtOf = (
  item: Pick<CloudItem, 'generation_id' | 'created_at'>,
  fallback?: Date,
): string | undefined => {
  if (item.created_at) return new Date(Date.parse(item.created_at)).toISOString();
  if (isUlid(item.generation_id)) return new Date(decodeTime(item.generation_id)).toISOString();
  return fallback?.toISOString();
};

/** The S3 keys of an item's images (the browser plugin's attribute), each by the key grammar. */
export const legacyKeysOf = (item: Pick<CloudItem, 's3_object_keys'>): unknown[] => {
  const keys = parseJson(item.s3_object_keys);
  return Array.isArray(keys) ? (keys as unknown[]) : [];
};

/** An item as read, with what this app does not know of it kept (a rewrite must not drop it). */
export type ReadItem = z.output<typeof cloudItemSchema>;

export interface CloudRecord {
  record: GenerationRecord;
  item: ReadItem;
  /** S3 key per image ID; every one is `<project>/<generation>/<image>.<ext>` of this item. */
  keys: Map<string, string>;
  /** Thumbnail bytes per image ID, when the item carries them (written before thumbnail sheets). */
  thumbs: Map<string, Uint8Array>;
  /** The generation's thumbnail sheet in S3, when the item names one (only ever at its own key). */
  thumbSheet?: string;
}

/**
 * A DynamoDB item (ours or the browser plugin's, written by anyone with access to the table)
 * → a library record, or why it cannot be shown. Every ID and key is checked by its grammar,
 * and every key must point into this item's own project and generation.
 */
export const readItem = (project: string, raw: unknown, createdAt: string | undefined): Parsed<CloudRecord> => {
  const label = keyLabel(project, raw);
  const parsed = cloudItemSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, key: label, reason: whyInvalid(parsed.error) };
  const item = parsed.data;
  const unreadable = (reason: string): Parsed<CloudRecord> => ({ ok: false, key: label, reason });
  if (item.project_id !== project) return unreadable(`it belongs to project "${item.project_id.slice(0, 80)}"`);
  const keyOf = (raw: unknown): { key: string; imageId: string; ext: 'png' | 'jpg' } | string => {
    const key = parseObjectKey(raw);
    if (!key || key.project !== project || key.generationId !== item.generation_id)
      return `S3 key ${JSON.stringify(String(raw).slice(0, 120))} is not <project>/<generation>/<image>.png|jpg of this item`;
    return { key: String(raw), imageId: key.imageId, ext: key.ext };
  };
  const input = inputOfItem(item);
  const keys = new Map<string, string>();
  const thumbs = new Map<string, Uint8Array>();
  const images: ImageRecord[] = [];
  if (item.images) {
    for (const i of item.images) {
      const key = keyOf(i.key);
      if (typeof key === 'string') return unreadable(key);
      if (key.imageId !== i.id || key.ext !== (i.content_type === 'image/jpeg' ? 'jpg' : 'png'))
        return unreadable(`image ${i.id} has the S3 key of another image (${i.key.slice(0, 120)})`);
      keys.set(i.id, key.key);
      if (i.thumb) thumbs.set(i.id, i.thumb);
      images.push({
        id: i.id,
        index: i.index,
        seed: i.seed,
        width: i.width,
        height: i.height,
        contentType: i.content_type,
        file: `${i.id}.${key.ext}`,
      });
    }
  } else {
    for (const [index, raw] of legacyKeysOf(item).entries()) {
      const key = keyOf(raw);
      if (typeof key === 'string') return unreadable(key);
      keys.set(key.imageId, key.key);
      // The plugin asked for seed + i and did not keep the seed the endpoint reported.
      images.push({
        id: key.imageId,
        index,
        seed: Math.min(input.seed + index, maxSeed),
        width: input.width,
        height: input.height,
        contentType: key.ext === 'jpg' ? 'image/jpeg' : 'image/png',
        file: `${key.imageId}.${key.ext}`,
      });
    }
  }
  if (images.length === 0) return unreadable('it has no images');
  // An edit's source image and mask: PNGs of this very item, fetched like its images when asked for.
  let sources: RecordSources | undefined;
  if (item.sources) {
    const files: Partial<Record<'image' | 'mask', string>> = {};
    for (const role of ['image', 'mask'] as const) {
      const raw = item.sources[role];
      if (raw === undefined) continue;
      const key = keyOf(raw);
      if (typeof key === 'string') return unreadable(`source ${role}: ${key}`);
      if (key.ext !== 'png') return unreadable(`source ${role} is not a PNG (${raw.slice(0, 120)})`);
      keys.set(key.imageId, key.key);
      files[role] = `${key.imageId}.png`;
    }
    if (files.image) sources = { image: files.image, ...(files.mask ? { mask: files.mask } : {}) };
  }
  if (new Set(images.map((i) => i.id)).size !== images.length) return unreadable('it lists an image twice');
  const when = createdAtOf(item) ?? createdAt;
  if (!when) return unreadable('it has no creation time, and its first image has no upload time');
  const failures = z.array(imageFailureSchema).max(1000).safeParse(parseJson(item.failures));
  const status = item.status;
  // Only the sheet's own place is fetched, whatever else an item names.
  const sheet = thumbSheetKey(project, item.generation_id);
  return {
    ok: true,
    value: {
      item,
      keys,
      thumbs,
      ...(item.thumbs_key === sheet ? { thumbSheet: sheet } : {}),
      record: {
        version: 1,
        id: item.generation_id,
        createdAt: when,
        input,
        count: Math.max(item.count ?? images.length, images.length),
        modelId: item.model ?? input.modelId,
        endpointName: item.endpoint ?? '',
        status: status === 'partial' || status === 'cancelled' || status === 'failed' ? status : 'done',
        images,
        failures: failures.success ? failures.data : [],
        ...(item.deleted ? { deleted: item.deleted } : {}),
        ...(sources ? { sources } : {}),
      },
    },
  };
};
