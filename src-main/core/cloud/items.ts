import { decodeTime } from 'ulid';
import type { GenerationInput, ImageFailure } from '../../../src-shared/generation';
import { generationInputSchema } from '../../../src-shared/generation';
import { isUlid } from '../library/ids';
import type { GenerationRecord, ImageRecord } from '../library/local-library';

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
  /** The grid thumbnail (WebP), kept in the item so history pages need no S3 request. */
  thumb?: Uint8Array;
}

/**
 * A generation in DynamoDB. `input_obj` and `s3_object_keys` are JSON strings in the
 * StableStudio browser plugin's shape (so it can still read what we write); the rest is ours.
 * Legacy items written by the plugin carry only project_id, generation_id, input_obj, s3_object_keys.
 */
export interface CloudItem {
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
}

export const objectKey = (project: string, generationId: string, imageId: string, contentType: string): string =>
  `${project}/${generationId}/${imageId}.${contentType === 'image/jpeg' ? 'jpg' : 'png'}`;

/** Our input in the browser plugin's StableDiffusionInput shape. */
const pluginInput = (input: GenerationInput): Record<string, unknown> => ({
  prompts: [
    { text: input.prompt, weight: 1 },
    ...(input.negativePrompt ? [{ text: input.negativePrompt, weight: -1 }] : []),
  ],
  model: input.modelId,
  sampler: input.sampler ? { id: input.sampler, name: input.sampler } : undefined,
  style: input.stylePreset || undefined,
  width: input.width,
  height: input.height,
  cfgScale: input.cfgScale,
  steps: input.steps,
  seed: input.seed,
});

export const toItem = (
  project: string,
  r: GenerationRecord,
  thumbs: Map<string, Uint8Array> = new Map(),
): CloudItem => {
  const images: CloudImage[] = r.images.map((i) => ({
    ...(thumbs.has(i.id) ? { thumb: thumbs.get(i.id) } : {}),
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

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** The browser plugin's input_obj → our input, tolerating anything missing. */
const fromPluginInput = (raw: unknown): GenerationInput => {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const prompts = Array.isArray(o.prompts) ? (o.prompts as Array<Record<string, unknown>>) : [];
  const text = (p: Record<string, unknown> | undefined): string => (typeof p?.text === 'string' ? p.text : '');
  const positive = prompts.find((p) => num(p.weight, 1) >= 0);
  const negative = prompts.find((p) => num(p.weight, 1) < 0);
  const sampler = (o.sampler ?? {}) as Record<string, unknown>;
  const base = generationInputSchema.parse({ prompt: '-' });
  return {
    ...base,
    prompt: text(positive) || '(no prompt)',
    negativePrompt: text(negative),
    modelId: typeof o.model === 'string' ? o.model : '',
    sampler: typeof sampler.name === 'string' ? sampler.name : '',
    stylePreset: typeof o.style === 'string' ? o.style : '',
    cfgScale: num(o.cfgScale, base.cfgScale),
    steps: num(o.steps, base.steps),
    seed: num(o.seed, 0),
    width: num(o.width, base.width),
    height: num(o.height, base.height),
  };
};

/** When a generation was made: our created_at, the ULID's time, or (legacy) what the caller found in S3. */
export const createdAtOf = (
  item: Pick<CloudItem, 'generation_id' | 'created_at'>,
  fallback?: Date,
): string | undefined => {
  if (item.created_at) return item.created_at;
  if (isUlid(item.generation_id)) return new Date(decodeTime(item.generation_id)).toISOString();
  return fallback?.toISOString();
};

export interface CloudRecord {
  record: GenerationRecord;
  /** S3 key per image ID. */
  keys: Map<string, string>;
  /** Thumbnail bytes per image ID, when the item carries them. */
  thumbs: Map<string, Uint8Array>;
}

const basename = (key: string): string => key.slice(key.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');

/** The input an item was made with: ours in full, or rebuilt from the browser plugin's input_obj. */
export const inputOfItem = (item: Pick<CloudItem, 'studio_input' | 'input_obj'>): GenerationInput =>
  (parseJson(item.studio_input) as GenerationInput | undefined) ?? fromPluginInput(parseJson(item.input_obj));

/** A DynamoDB item (ours or the browser plugin's) → a library record. */
export const fromItem = (item: CloudItem, createdAt: string): CloudRecord => {
  const keys = new Map<string, string>();
  const thumbs = new Map<string, Uint8Array>();
  const input = inputOfItem(item);
  let images: ImageRecord[];
  if (Array.isArray(item.images)) {
    images = item.images.map((i) => {
      keys.set(i.id, i.key);
      if (i.thumb instanceof Uint8Array) thumbs.set(i.id, i.thumb);
      const contentType = i.content_type === 'image/jpeg' ? 'image/jpeg' : 'image/png';
      return {
        id: i.id,
        index: i.index,
        seed: i.seed,
        width: i.width,
        height: i.height,
        contentType,
        file: `${i.id}.${contentType === 'image/jpeg' ? 'jpg' : 'png'}`,
      };
    });
  } else {
    const legacyKeys = parseJson(item.s3_object_keys);
    images = (Array.isArray(legacyKeys) ? legacyKeys.filter((k): k is string => typeof k === 'string') : []).map(
      (key, index) => {
        const id = basename(key);
        keys.set(id, key);
        // The plugin asked for seed + i and did not keep the seed the endpoint reported.
        return {
          id,
          index,
          seed: input.seed + index,
          width: input.width,
          height: input.height,
          contentType: 'image/png',
          file: `${id}.png`,
        };
      },
    );
  }
  const failures = parseJson(item.failures);
  const status = item.status;
  return {
    keys,
    thumbs,
    record: {
      version: 1,
      id: item.generation_id,
      createdAt,
      input,
      count: num(item.count, images.length),
      modelId: item.model ?? input.modelId,
      endpointName: item.endpoint ?? '',
      status: status === 'partial' || status === 'cancelled' || status === 'failed' ? status : 'done',
      images,
      failures: Array.isArray(failures) ? (failures as ImageFailure[]) : [],
    },
  };
};
