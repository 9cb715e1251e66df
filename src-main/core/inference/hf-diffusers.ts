import type { GenerationInput } from '../../../src-shared/generation';
import { z } from 'zod';
import { asBuffer, badResponse, decodeBase64Image, isImageField, parseJson, sniffImage } from './bytes';
import type { Artifact, PayloadFormatCodec } from './types';

/** The JSON shapes custom handlers commonly answer with; whichever holds a string is the image. */
const answerSchema = z.object({
  generated_image: z.unknown().optional(),
  image: z.unknown().optional(),
  generated_images: z.array(z.unknown()).optional(),
});

/**
 * A diffusers pipeline behind the Hugging Face inference toolkit (task text-to-image).
 * Asks for the image itself; also reads the JSON shapes custom handlers commonly answer with.
 */
export const hfDiffusersCodec: PayloadFormatCodec = {
  contentType: 'application/json',
  accept: 'image/png',

  encode(input: GenerationInput, seed: number): string {
    const parameters: Record<string, unknown> = {
      num_inference_steps: input.steps,
      guidance_scale: input.cfgScale,
      width: input.width,
      height: input.height,
      seed,
    };
    if (input.negativePrompt) parameters.negative_prompt = input.negativePrompt;
    return JSON.stringify({ inputs: input.prompt, parameters });
  },

  decode(body: Uint8Array, contentType: string | undefined): Artifact[] {
    const raw = sniffImage(body);
    if (raw) return [{ finishReason: 'SUCCESS', seed: undefined, bytes: asBuffer(body), contentType: raw }];
    if (contentType?.startsWith('image/')) throw badResponse('its image is not a PNG or JPEG', body);
    const json = answerSchema.safeParse(parseJson(body));
    const candidates = json.success
      ? [json.data.generated_image, json.data.image, json.data.generated_images?.[0]]
      : [];
    const base64 = candidates.find(isImageField);
    if (base64 === undefined) throw badResponse('the answer holds no image', body);
    return [{ finishReason: 'SUCCESS', seed: undefined, ...decodeBase64Image(base64, body) }];
  },
};
