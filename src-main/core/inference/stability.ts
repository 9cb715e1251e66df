import type { GenerationInput } from '../../../src-shared/generation';
import { StudioError } from '../errors';
import type { Artifact, PayloadFormatCodec } from './types';

/** The stability payload format (SDXL 1.0 from JumpStart / Stability's model package). */
export const stabilityCodec: PayloadFormatCodec = {
  contentType: 'application/json',
  accept: 'application/json;png',

  encode(input: GenerationInput, seed: number): string {
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
    return JSON.stringify(body);
  },

  decode(body: Uint8Array): Artifact[] {
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw badResponse('the answer is not JSON', body);
    }
    const artifacts = (parsed as { artifacts?: unknown }).artifacts;
    if (!Array.isArray(artifacts) || artifacts.length === 0) {
      throw badResponse('the answer has no artifacts', body);
    }
    return artifacts.map((raw: unknown): Artifact => {
      const a = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const finishReason = a.finishReason === 'CONTENT_FILTERED' || a.finishReason === 'ERROR' ? a.finishReason : 'SUCCESS';
      const seed = typeof a.seed === 'number' ? a.seed : 0;
      if (finishReason !== 'SUCCESS') return { finishReason, seed, bytes: undefined, contentType: 'image/png' };
      if (typeof a.base64 !== 'string') throw badResponse('an artifact has no base64 image', body);
      // Decoded exactly once, straight to the bytes that are written to disk.
      const bytes = Buffer.from(a.base64, 'base64');
      if (!isPng(bytes)) throw badResponse('an artifact is not a PNG image', body);
      return { finishReason, seed, bytes, contentType: 'image/png' };
    });
  },
};

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const isPng = (bytes: Uint8Array): boolean =>
  bytes.length > 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(pngSignature);

export const badResponse = (what: string, body: Uint8Array): StudioError => {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 120))
    .toString('utf8')
    .replace(/[^\x20-\x7e]/g, '.');
  return new StudioError(
    'sagemaker.bad_response',
    `The endpoint answered, but ${what}. It began with: ${head || '(empty)'}`,
    'Check that the model speaks the payload format chosen for it in Settings.',
  );
};
