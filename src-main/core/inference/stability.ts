import type { GenerationInput } from '../../../src-shared/generation';
import { z } from 'zod';
import { decodeBase64Image, parseAnswer } from './bytes';
import type { Artifact, PayloadFormatCodec, RequestImages } from './types';

/** `{artifacts: [{base64, seed, finishReason}]}`; an artifact's fields are checked where they are used. */
const answerSchema = z.object({
  artifacts: z
    .array(
      z.object({ base64: z.unknown().optional(), seed: z.unknown().optional(), finishReason: z.unknown().optional() }),
    )
    .min(1),
});

/** The stability payload format (SDXL 1.0 from JumpStart / Stability's model package). */
export const stabilityCodec: PayloadFormatCodec = {
  contentType: 'application/json',
  accept: 'application/json;png',

  /**
   * A mask goes as MASK_IMAGE_WHITE: the studio's masks are white where pixels are generated
   * (the same convention as the JumpStart inpainting model), so one mask serves every format.
   */
  encode(input: GenerationInput, seed: number, images: RequestImages = {}): string {
    const textPrompts = [{ text: input.prompt, weight: 1 }];
    if (input.negativePrompt) textPrompts.push({ text: input.negativePrompt, weight: -1 });
    const body: Record<string, unknown> = {
      text_prompts: textPrompts,
      cfg_scale: input.cfgScale,
      steps: input.steps,
      seed,
      width: input.width,
      height: input.height,
      samples: 1,
    };
    if (input.sampler) body.sampler = input.sampler;
    if (input.stylePreset) body.style_preset = input.stylePreset;
    if (images.init) {
      body.init_image = images.init;
      body.init_image_mode = 'IMAGE_STRENGTH';
      body.image_strength = input.imageStrength;
      if (images.mask) {
        body.mask_source = 'MASK_IMAGE_WHITE';
        body.mask_image = images.mask;
      }
    }
    return JSON.stringify(body);
  },

  decode(body: Uint8Array): Artifact[] {
    const { artifacts } = parseAnswer(body, answerSchema, 'the answer has no artifacts');
    return artifacts.map((a): Artifact => {
      const finishReason =
        a.finishReason === 'CONTENT_FILTERED' || a.finishReason === 'ERROR' ? a.finishReason : 'SUCCESS';
      const seed = typeof a.seed === 'number' ? a.seed : undefined;
      if (finishReason !== 'SUCCESS') return { finishReason, seed, bytes: undefined, contentType: 'image/png' };
      return { finishReason, seed, ...decodeBase64Image(a.base64, body) };
    });
  },
};
