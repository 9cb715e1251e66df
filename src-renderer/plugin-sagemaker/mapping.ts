import type {
  StableDiffusionImage,
  StableDiffusionImages,
  StableDiffusionInput,
  StableDiffusionInputImage,
  StableDiffusionModel,
  StableDiffusionSync,
} from '@stability/stablestudio-plugin';
import { PluginError, negativePromptOf, promptOf, toPrompts } from '@stability/stablestudio-plugin';
import { samplerName } from '../../src-shared/formats';
import type {
  Generation,
  GenerationInput,
  ImageFailure,
  ModelInfo,
  StoredImage,
  SyncInfo,
} from '../../src-shared/generation';

export { unwrap } from '@stability/stablestudio-plugin';

export const toModel = (model: ModelInfo): StableDiffusionModel => ({
  id: model.id,
  name: model.name || model.id,
  description: model.endpointName,
  sizes: model.sizes,
  format: model.format,
});

/** What `generate` accepts as input (defaults may be omitted). */
export type GenerationRequestInput = Partial<GenerationInput> & { prompt: string };

/** Stores image bytes where the studio can use them; answers the upload's ID. */
export type UploadImage = (bytes: Uint8Array<ArrayBuffer>, name: string) => Promise<string>;

/**
 * StableStudio carries images as blobs (`initialImage.blob`, `maskImage.blob`): each is uploaded
 * first and carried on by reference, so the request never holds image bytes. A mask needs an
 * initial image to apply to; it is refused before anything is uploaded.
 */
export const uploadInputImages = async (
  input: StableDiffusionInput,
  upload: UploadImage,
): Promise<StableDiffusionInput> => {
  const hasInitial = Boolean(input.initialImage?.blob ?? input.initialImage?.ref);
  if ((input.maskImage?.blob ?? input.maskImage?.ref) && !hasInitial) {
    throw new PluginError({
      code: 'input.invalid',
      message: 'A mask needs an initial image: give initialImage with the maskImage.',
    });
  }
  const uploaded = async (image: StableDiffusionInputImage | undefined, name: string) => {
    if (!image?.blob || image.ref) return image;
    const bytes = new Uint8Array(await image.blob.arrayBuffer());
    const { blob: _sent, ...rest } = image;
    return { ...rest, ref: { kind: 'upload' as const, id: await upload(bytes, name) } };
  };
  const initialImage = await uploaded(input.initialImage, 'initial image');
  const maskImage = await uploaded(input.maskImage, 'mask');
  return { ...input, ...(initialImage ? { initialImage } : {}), ...(maskImage ? { maskImage } : {}) };
};

/**
 * StableStudio input → contract input, the one conversion at the edge: positive prompts joined,
 * negative weights become the negative prompt. Images go by reference (see `uploadInputImages`);
 * a mask makes it an inpainting unless the input says which kind.
 */
export const toGenerationInput = (input: StableDiffusionInput): GenerationRequestInput => {
  if ((input.initialImage?.blob && !input.initialImage.ref) || (input.maskImage?.blob && !input.maskImage.ref)) {
    throw new PluginError({
      code: 'input.invalid',
      message: 'Upload the images first: the studio takes an initial image and a mask by reference.',
    });
  }
  const mask = input.maskImage?.ref;
  if (mask && mask.kind !== 'upload') {
    throw new PluginError({ code: 'input.invalid', message: 'A mask must be an uploaded image (maskImage.blob).' });
  }
  if (mask && !input.initialImage?.ref) {
    throw new PluginError({
      code: 'input.invalid',
      message: 'A mask needs an initial image: give initialImage with the maskImage.',
    });
  }
  const out: GenerationRequestInput = { prompt: promptOf(input), negativePrompt: negativePromptOf(input) };
  if (input.model !== undefined) out.modelId = input.model;
  if (input.sampler !== undefined) out.sampler = input.sampler.id;
  if (input.style !== undefined) out.stylePreset = input.style;
  if (input.cfgScale !== undefined) out.cfgScale = input.cfgScale;
  if (input.steps !== undefined) out.steps = input.steps;
  if (input.seed !== undefined) out.seed = input.seed;
  if (input.width !== undefined) out.width = input.width;
  if (input.height !== undefined) out.height = input.height;
  if (input.initialImage?.ref) out.initImage = input.initialImage.ref;
  if (input.initialImage?.weight !== undefined) out.imageStrength = input.initialImage.weight;
  if (mask) out.maskImage = mask;
  if (input.kind !== undefined) out.kind = input.kind;
  else if (mask) out.kind = 'inpaint';
  if (input.noiseLevel !== undefined) out.noiseLevel = input.noiseLevel;
  if (input.box !== undefined) out.box = input.box;
  return out;
};

export const toPluginInput = (input: GenerationInput): StableDiffusionInput => ({
  prompts: toPrompts(input.prompt, input.negativePrompt),
  model: input.modelId,
  sampler: { id: input.sampler, name: input.sampler ? samplerName(input.sampler) : '' },
  style: input.stylePreset,
  width: input.width,
  height: input.height,
  cfgScale: input.cfgScale,
  steps: input.steps,
  seed: input.seed,
  ...(input.initImage ? { initialImage: { ref: input.initImage, weight: input.imageStrength } } : {}),
  ...(input.kind ? { kind: input.kind } : {}),
  ...(input.noiseLevel !== undefined ? { noiseLevel: input.noiseLevel } : {}),
  ...(input.box ? { box: input.box } : {}),
});

/** Generation-level facts an image inherits; progress events do not carry them. */
export interface ImageContext {
  createdAt: string;
  input: GenerationInput;
}

export const toImage = (image: StoredImage, context?: ImageContext): StableDiffusionImage => ({
  id: image.id,
  src: image.url,
  thumbSrc: image.thumbUrl,
  finishReason: 'SUCCESS',
  ...(context
    ? {
        createdAt: new Date(context.createdAt),
        // Each image records the seed it was really made with.
        input: { ...toPluginInput(context.input), seed: image.seed, width: image.width, height: image.height },
      }
    : {}),
});

export const toFailedImage = (
  generationId: string,
  failure: ImageFailure,
  context?: ImageContext,
): StableDiffusionImage => ({
  id: `${generationId}:failed:${failure.index}`,
  ...(context ? { createdAt: new Date(context.createdAt), input: toPluginInput(context.input) } : {}),
  finishReason: failure.finishReason === 'CONTENT_FILTERED' ? 'CONTENT_FILTERED' : 'ERROR',
  error: {
    code: failure.error.code,
    message: failure.error.message,
    ...(failure.error.hint ? { hint: failure.error.hint } : {}),
  },
});

export const toSync = (sync: SyncInfo): StableDiffusionSync => ({
  state: sync.state,
  ...(sync.reason ? { reason: sync.reason } : {}),
  ...(sync.attempts !== undefined ? { attempts: sync.attempts } : {}),
  ...(sync.nextAttemptAt ? { nextAttemptAt: new Date(sync.nextAttemptAt) } : {}),
});

/** A generation → one StableStudio batch, images and failures in their original order. */
export const toImages = (generation: Generation, exclusiveStartImageID?: string): StableDiffusionImages => {
  const slots: Array<{ index: number; image: StableDiffusionImage }> = [
    ...generation.images.map((image) => ({
      index: image.index,
      image: toImage(image, generation),
    })),
    ...generation.failures.map((failure) => ({
      index: failure.index,
      image: toFailedImage(generation.id, failure, generation),
    })),
  ];
  // The core accounts for every place (an image, why it failed, or deleted): nothing is invented here.
  slots.sort((a, b) => a.index - b.index);
  return {
    id: generation.id,
    images: slots.map((slot) => slot.image),
    createdAt: new Date(generation.createdAt),
    ...(generation.sync ? { sync: toSync(generation.sync) } : {}),
    ...(generation.sources
      ? {
          sources: {
            src: generation.sources.imageUrl,
            ...(generation.sources.maskUrl ? { maskSrc: generation.sources.maskUrl } : {}),
          },
        }
      : {}),
    ...(exclusiveStartImageID ? { exclusiveStartImageID } : {}),
  };
};
