import { maxCount, maxSeed } from '../../src-shared/sdxl';
import type { InitImageRef } from '../../src-shared/generation';
import type { GenerationForm } from './form';

/**
 * What may come back from the sidebar's localStorage, field by field: a bad field is dropped,
 * the rest is kept. Plain checks rather than zod: this runs before the first paint, and zod
 * stays off the start-up bundle (it loads with Settings and Import).
 */

type Read<T> = (value: unknown) => T | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text =
  (max: number): Read<string> =>
  (value) =>
    typeof value === 'string' && value.length <= max ? value : undefined;

const flag: Read<boolean> = (value) => (typeof value === 'boolean' ? value : undefined);

const number =
  (min: number, max: number, integer = false): Read<number> =>
  (value) =>
    typeof value === 'number' && value >= min && value <= max && (!integer || Number.isInteger(value))
      ? value
      : undefined;

const side = number(64, 4096, true);
const id = text(64);

const size: Read<GenerationForm['size']> = (value) => {
  if (!isRecord(value)) return undefined;
  const width = side(value.width);
  const height = side(value.height);
  return width !== undefined && height !== undefined ? { width, height } : undefined;
};

const initImageRef: Read<InitImageRef> = (value) => {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'upload') {
    const upload = id(value.id);
    return upload !== undefined ? { kind: 'upload', id: upload } : undefined;
  }
  if (value.kind === 'library') {
    const generationId = id(value.generationId);
    const imageId = id(value.imageId);
    return generationId !== undefined && imageId !== undefined ? { kind: 'library', generationId, imageId } : undefined;
  }
  return undefined;
};

const initImage: Read<NonNullable<GenerationForm['initImage']>> = (value) => {
  if (!isRecord(value)) return undefined;
  const ref = initImageRef(value.ref);
  const previewUrl = text(2000)(value.previewUrl);
  return ref && previewUrl !== undefined ? { ref, previewUrl } : undefined;
};

export type SavedForm = Partial<Omit<GenerationForm, 'promptError'>>;

const savedFields: { [K in keyof Required<SavedForm>]: Read<GenerationForm[K]> } = {
  prompt: text(2000),
  negativePrompt: text(2000),
  negativeOpen: flag,
  uploadOpen: flag,
  settingsOpen: flag,
  advancedOpen: flag,
  model: text(200),
  style: text(100),
  size,
  count: number(1, maxCount, true),
  sampler: text(100),
  cfgScale: number(0, 35),
  steps: number(1, 150, true),
  seed: number(0, maxSeed, true),
  seedLocked: flag,
  initImage,
  imageStrength: number(0, 1),
};

const savedKeys = Object.keys(savedFields) as Array<keyof SavedForm>;

export const readSaved = (value: unknown): SavedForm => {
  const out: Record<string, unknown> = {};
  if (!isRecord(value)) return out;
  for (const key of savedKeys) {
    const read = savedFields[key](value[key]);
    if (read !== undefined) out[key] = read;
  }
  return out as SavedForm;
};

export const formOf = (state: GenerationForm): SavedForm => {
  const out: Record<string, unknown> = {};
  for (const key of savedKeys) if (state[key] !== undefined) out[key] = state[key];
  return out as SavedForm;
};
