import type { GenerationInput } from '../../../src-shared/generation';
import { z } from 'zod';
import { decodeBase64Image, parseAnswer } from './bytes';
import type { Artifact, PayloadFormatCodec } from './types';

const answerSchema = z.object({ generated_images: z.array(z.unknown()).min(1) });

/** Older JumpStart Stable Diffusion 2.x text-to-image: flat JSON in, base64 JPEGs out. */
export const jumpstartSdCodec: PayloadFormatCodec = {
  contentType: 'application/json',
  accept: 'application/json;jpeg',

  encode(input: GenerationInput, seed: number): string {
    const body: Record<string, unknown> = {
      prompt: input.prompt,
      width: input.width,
      height: input.height,
      num_inference_steps: input.steps,
      guidance_scale: input.cfgScale,
      seed,
      num_images_per_prompt: 1,
    };
    if (input.negativePrompt) body.negative_prompt = input.negativePrompt;
    return JSON.stringify(body);
  },

  decode: (body: Uint8Array): Artifact[] => decodeGeneratedImages(body),
};

/** `{generated_images: [base64 JPEG, …]}`, the answer of JumpStart's Stable Diffusion models. */
export const decodeGeneratedImages = (body: Uint8Array): Artifact[] => {
  const images = parseAnswer(body, answerSchema, 'the answer has no generated_images').generated_images;
  // JPEGs are kept exactly as received: no lossy re-encode.
  return images.map((b64: unknown): Artifact => ({
    finishReason: 'SUCCESS',
    seed: undefined,
    ...decodeBase64Image(b64, body),
  }));
};
