import type { GenerationInput } from '../../../src-shared/generation';
import { StudioError } from '../errors';
import { decodeGeneratedImages } from './jumpstart-sd';
import type { PayloadFormatCodec, RequestImages } from './types';

/**
 * JumpStart's Stable Diffusion 2 inpainting model: the image and its mask (white = repaint,
 * black = keep) as base64, flat JSON parameters; the size is the image's. Base64 JPEGs out.
 */
export const jumpstartInpaintCodec: PayloadFormatCodec = {
  contentType: 'application/json;jpeg',
  accept: 'application/json;jpeg',

  encode(input: GenerationInput, seed: number, images: RequestImages = {}): string {
    if (!images.init || !images.mask)
      throw new StudioError('input.invalid', 'An inpainting model needs an image and a mask.');
    const body: Record<string, unknown> = {
      prompt: input.prompt,
      image: images.init,
      mask_image: images.mask,
      num_inference_steps: input.steps,
      guidance_scale: input.cfgScale,
      seed,
      num_images_per_prompt: 1,
    };
    if (input.negativePrompt) body.negative_prompt = input.negativePrompt;
    return JSON.stringify(body);
  },

  decode: (body: Uint8Array) => decodeGeneratedImages(body),
};
