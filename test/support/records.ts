import { generationInputSchema } from '../../src-shared/generation';
import type { GenerationRecord } from '../../src-main/core/library/local-library';

/** A finished generation record as the library stores it, inputs at the contract's defaults. */
export const recordFor = (id: string, prompt: string, createdAt = new Date()): GenerationRecord => ({
  version: 1,
  id,
  createdAt: createdAt.toISOString(),
  input: generationInputSchema.parse({ prompt, modelId: 'sdxl' }),
  count: 1,
  modelId: 'sdxl',
  endpointName: 'e',
  status: 'done',
  images: [],
  failures: [],
});

/** The record with one image (as the library stores it; its bytes are not written). */
export const withImage = (record: GenerationRecord, imageId: string): GenerationRecord => ({
  ...record,
  images: [
    { id: imageId, index: 0, seed: 1, width: 1024, height: 1024, contentType: 'image/png', file: `${imageId}.png` },
  ],
});
