import { describe, expect, it } from 'vitest';
import { PluginError, negativePromptOf, promptOf, toPrompts } from '@stability/stablestudio-plugin';
import { generationInputSchema } from '../../src-shared/generation';
import type { AppError } from '../../src-shared/errors';
import type { Generation, StoredImage } from '../../src-shared/generation';
import {
  toGenerationInput,
  toImages,
  toPluginInput,
  unwrap,
  uploadInputImages,
} from '../../src-renderer/plugin-sagemaker/mapping';
import type { UploadImage } from '../../src-renderer/plugin-sagemaker/mapping';

const input = generationInputSchema.parse({
  prompt: 'a red fox in snow',
  negativePrompt: 'blurry',
  modelId: 'sdxl',
  sampler: 'K_EULER',
  stylePreset: 'photographic',
  cfgScale: 9,
  steps: 25,
  seed: 77,
  width: 1152,
  height: 896,
});

const image = (index: number, seed: number): StoredImage => ({
  id: `img${index}`,
  generationId: 'G',
  finishReason: 'SUCCESS',
  index,
  seed,
  width: 1152,
  height: 896,
  url: `/images/G/img${index}.png`,
  thumbUrl: `/images/G/img${index}.thumb.webp`,
  contentType: 'image/png',
});

describe('StableStudio input ↔ contract input', () => {
  it('joins positive prompts, turns negative weights into the negative prompt, and drops empty ones', () => {
    expect(
      toGenerationInput({
        prompts: [
          { text: ' castle ', weight: 1 },
          { text: '', weight: 1 },
          { text: 'fog', weight: -1 },
          { text: 'sunset', weight: 0.5 },
          { text: 'text', weight: -0.3 },
        ],
      }),
    ).toEqual({ prompt: 'castle, sunset', negativePrompt: 'fog, text' });
  });

  it('goes there and back without losing a field, init image included', () => {
    const withInit = {
      ...input,
      initImage: { kind: 'upload' as const, id: '01J0000000000000000000000A' },
      imageStrength: 0.6,
    };
    const back = toGenerationInput(toPluginInput(withInit));
    expect(generationInputSchema.parse(back)).toEqual(withInit);
  });

  it('keeps an edit’s kind and an upscale’s noise level both ways', () => {
    const upscale = {
      ...input,
      kind: 'upscale' as const,
      noiseLevel: 30,
      initImage: {
        kind: 'library' as const,
        generationId: '01J0000000000000000000000A',
        imageId: '01J0000000000000000000000B',
      },
    };
    expect(toPluginInput(upscale)).toMatchObject({ kind: 'upscale', noiseLevel: 30 });
    expect(generationInputSchema.parse(toGenerationInput(toPluginInput(upscale)))).toEqual(upscale);
    expect(toPluginInput(input).kind).toBeUndefined();
  });

  it('has one reading of a prompt: what the UI shows is what the plugin sends', () => {
    const shown = toPluginInput(input);
    expect([promptOf(shown), negativePromptOf(shown)]).toEqual(['a red fox in snow', 'blurry']);
    const typed = { prompts: toPrompts(' a red fox in snow ', '  ') };
    expect(typed.prompts).toEqual([{ text: 'a red fox in snow', weight: 1 }]);
    expect(toGenerationInput(typed)).toEqual({ prompt: promptOf(typed), negativePrompt: '' });
  });

  it('names the sampler as people know it (the viewer shows the name)', () => {
    expect(toPluginInput(input).sampler).toEqual({ id: 'K_EULER', name: 'Euler' });
    expect(toPluginInput({ ...input, sampler: 'K_DPMPP_2M' }).sampler).toEqual({ id: 'K_DPMPP_2M', name: 'DPM++ 2M' });
    expect(toPluginInput({ ...input, sampler: '' }).sampler).toEqual({ id: '', name: '' });
  });

  it('refuses image bytes not uploaded yet: the studio takes images by reference', () => {
    const blob = new Blob([new Uint8Array(4)]);
    for (const bad of [{ initialImage: { blob } }, { maskImage: { blob } }]) {
      expect(() => toGenerationInput({ prompts: [{ text: 'x' }], ...bad })).toThrow(PluginError);
    }
  });
});

describe('StableStudio image blobs → uploads', () => {
  const ulid = (n: number): string => `01JD0000000000000000000${n}XY`.slice(0, 26);
  /** Keeps what it was given, as the studio's upload does, and answers a new ID each time. */
  const uploads = (): { upload: UploadImage; kept: Array<{ bytes: number[]; name: string }> } => {
    const kept: Array<{ bytes: number[]; name: string }> = [];
    return {
      kept,
      upload: async (bytes, name) => {
        kept.push({ bytes: [...bytes], name });
        return ulid(kept.length);
      },
    };
  };

  it('uploads the initial image and the mask, and makes it an inpainting', async () => {
    const { upload, kept } = uploads();
    const input = await uploadInputImages(
      {
        prompts: [{ text: 'a cat on the sofa' }],
        initialImage: { blob: new Blob([new Uint8Array([1, 2, 3])]), weight: 0.6 },
        maskImage: { blob: new Blob([new Uint8Array([9, 9])]), weight: 1 },
      },
      upload,
    );
    expect(kept).toEqual([
      { bytes: [1, 2, 3], name: 'initial image' },
      { bytes: [9, 9], name: 'mask' },
    ]);
    const request = toGenerationInput(input);
    expect(request).toMatchObject({
      prompt: 'a cat on the sofa',
      initImage: { kind: 'upload', id: ulid(1) },
      maskImage: { kind: 'upload', id: ulid(2) },
      imageStrength: 0.6,
      kind: 'inpaint',
    });
    // What the contract accepts as it is.
    expect(generationInputSchema.parse(request).kind).toBe('inpaint');
  });

  it('keeps a kind the caller gave (outpainting) and an initial image given by reference', async () => {
    const { upload, kept } = uploads();
    const ref = { kind: 'library' as const, generationId: ulid(7), imageId: ulid(8) };
    const input = await uploadInputImages(
      {
        prompts: [{ text: 'more sky' }],
        initialImage: { ref },
        maskImage: { blob: new Blob([new Uint8Array([0])]) },
        kind: 'outpaint',
      },
      upload,
    );
    expect(kept).toHaveLength(1);
    expect(toGenerationInput(input)).toMatchObject({ initImage: ref, maskImage: { id: ulid(1) }, kind: 'outpaint' });
  });

  it('refuses a mask without an initial image, before uploading anything', async () => {
    const { upload, kept } = uploads();
    await expect(
      uploadInputImages({ prompts: [{ text: 'x' }], maskImage: { blob: new Blob([new Uint8Array([0])]) } }, upload),
    ).rejects.toThrow(/initial image/);
    expect(kept).toEqual([]);
  });

  it('refuses a mask from the library: a mask is uploaded', () => {
    const ref = { kind: 'library' as const, generationId: ulid(7), imageId: ulid(8) };
    expect(() =>
      toGenerationInput({
        prompts: [{ text: 'x' }],
        initialImage: { ref: { kind: 'upload', id: ulid(1) } },
        maskImage: { ref },
      }),
    ).toThrow(/uploaded image/);
  });

  it('without a mask an uploaded initial image stays image-to-image', async () => {
    const { upload } = uploads();
    const input = await uploadInputImages(
      { prompts: [{ text: 'x' }], initialImage: { blob: new Blob([new Uint8Array([5])]) } },
      upload,
    );
    const request = toGenerationInput(input);
    expect(request.initImage).toEqual({ kind: 'upload', id: ulid(1) });
    expect(request.maskImage).toBeUndefined();
    expect(request.kind).toBeUndefined();
  });
});

describe('a generation → one StableStudio batch', () => {
  const generation: Generation = {
    id: 'G',
    createdAt: '2026-11-26T03:00:00.000Z',
    input,
    count: 4,
    modelId: 'sdxl',
    endpointName: 'e',
    status: 'partial',
    images: [image(2, 79), image(0, 77)],
    failures: [{ index: 1, error: { code: 'sagemaker.model_error', message: 'boom' }, finishReason: 'ERROR' }],
    sync: { state: 'pending', reason: 'S3 refused', attempts: 2, nextAttemptAt: '2026-11-26T03:05:00.000Z' },
  };

  it('keeps the slots in their order, with each image’s real seed and a failure in place', () => {
    const batch = toImages(generation, 'G');
    expect((batch.images ?? []).map((i) => [i.id, i.finishReason, i.input?.seed])).toEqual([
      ['img0', 'SUCCESS', 77],
      ['G:failed:1', 'ERROR', 77],
      ['img2', 'SUCCESS', 79],
    ]);
    expect(batch.images?.[1]?.error).toEqual({ code: 'sagemaker.model_error', message: 'boom' });
    expect(batch.exclusiveStartImageID).toBe('G');
    expect(batch.sync).toEqual({
      state: 'pending',
      reason: 'S3 refused',
      attempts: 2,
      nextAttemptAt: new Date('2026-11-26T03:05:00.000Z'),
    });
  });

  it('invents no slot the core did not report (a deleted image leaves no "missing" place)', () => {
    // The core accounts for every place (image, failure, or deleted); the renderer shows exactly that.
    const batch = toImages({ ...generation, failures: [], sync: undefined });
    expect((batch.images ?? []).map((i) => i.id)).toEqual(['img0', 'img2']);
    expect(batch.sync).toBeUndefined();
  });
});

describe('results', () => {
  it('unwraps a value, and throws a PluginError that keeps code, hint and field messages', () => {
    expect(unwrap({ ok: true, value: 3 })).toBe(3);
    const error: AppError = {
      code: 'settings.invalid',
      message: 'No',
      hint: 'Fix it',
      fields: { region: 'Unknown region' },
    };
    expect(() => unwrap({ ok: false, error })).toThrow(expect.objectContaining(error));
  });
});
