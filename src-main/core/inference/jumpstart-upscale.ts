import type { GenerationInput } from '../../../src-shared/generation';
import { StudioError } from '../errors';
import { decodeGeneratedImages } from './jumpstart-sd';
import type { PayloadFormatCodec, RequestImages } from './types';

/** The upscaler's own default noise level (diffusers' StableDiffusionUpscalePipeline). */
export const defaultNoiseLevel = 20;

/**
 * JumpStart's Stable Diffusion x4 upscaler: a small image (base64) and a prompt (required) in,
 * `{generated_images: [base64 JPEG four times larger], prompt}` out.
 */
export const jumpstartUpscaleCodec: PayloadFormatCodec = {
  contentType: 'application/json;jpeg',
  accept: 'application/json;jpeg',

  encode(input: GenerationInput, seed: number, images: RequestImages = {}): string {
    if (!images.init) throw new StudioError('input.invalid', 'An upscaler needs an image to upscale.');
    const body: Record<string, unknown> = {
      prompt: input.prompt,
      image: images.init,
      num_inference_steps: input.steps,
      guidance_scale: input.cfgScale,
      seed,
      noise_level: input.noiseLevel ?? defaultNoiseLevel,
    };
    if (input.negativePrompt) body.negative_prompt = input.negativePrompt;
    return JSON.stringify(body);
  },

  decode: (body: Uint8Array) => decodeGeneratedImages(body),
};
