import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeRgba, maskedColour, maxDiff, rgbAt, splitMaskPng } from '../fakes/edit-pixels';
import type { Rgba } from '../fakes/edit-pixels';
import { testCredentials } from '../fakes/keys';
import { encodeRgbPng, renderRgb } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, callError, configure, startCore } from '../support/core';

/** A dream box's result kept as an editor layer: through the real SDK to the fake endpoint, then acceptEditorResult. */

let fake: FakeSageMaker;

beforeAll(async () => {
  useAwsProfiles({ studio: testCredentials });
  fake = await startFakeSageMaker({
    endpoints: {
      'sdxl-edit': { status: 'InService', format: 'stability' },
      'sd2-inpaint': { status: 'InService', format: 'jumpstart-inpaint' },
    },
  });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const models = [
  { modelId: 'sdxl', modelName: 'SDXL 1.0', endpointName: 'sdxl-edit', format: 'stability' as const },
  {
    modelId: 'inpaint',
    modelName: 'SD 2 inpainting',
    endpointName: 'sd2-inpaint',
    format: 'jumpstart-inpaint' as const,
  },
];

const ready = async () => {
  const core = startCore();
  await configure(core, { models, profile: 'studio', endpointOverrides: { sagemakerRuntime: fake.url } });
  return core;
};
type TestCore = Awaited<ReturnType<typeof ready>>;

const upload = async (core: TestCore, png: Buffer): Promise<string> =>
  (await call(core, 'uploadInitImage', { bytes: new Uint8Array(png), name: 'box.png' })).id;

const pixels = (bytes: Buffer): Rgba => {
  const decoded = decodeRgba(bytes);
  if (!decoded) throw new Error('not an image');
  return decoded;
};

const layerImage = (core: TestCore, imageId: string): Rgba =>
  pixels(readFileSync(join(core.dataDir, 'editor', `${imageId}.png`)));

describe('accepting a dream box’s result', () => {
  it('lays a JPEG inpainting into the source only inside the mask: outside it, byte for byte the source', async () => {
    const core = await ready();
    const [width, height, split] = [512, 512, 200];
    const rgb = renderRgb(width, height, 5);
    const sourceId = await upload(core, encodeRgbPng(width, height, rgb));
    const maskId = await upload(core, splitMaskPng(width, height, split));
    const generation = await call(core, 'generate', {
      input: {
        prompt: 'a red door',
        seed: 42,
        kind: 'inpaint',
        modelId: 'inpaint',
        width,
        height,
        initImage: { kind: 'upload', id: sourceId },
        maskImage: { kind: 'upload', id: maskId },
      },
      count: 2,
    });
    expect(generation.status).toBe('done');
    const [first, second] = generation.images;
    if (!first || !second) throw new Error('two images expected');

    // The endpoint's JPEG changes kept pixels a little: the accepted layer must not.
    const answer = pixels(
      readFileSync(join(core.dataDir, 'generations', generation.id, first.url.split('/').pop() ?? '')),
    );
    expect(maxDiff(answer, split, width, rgbAt(rgb, width))).toBeGreaterThan(0);

    const accepted = await call(core, 'acceptEditorResult', {
      generationId: generation.id,
      imageId: second.id,
      sourceUploadId: sourceId,
      maskUploadId: maskId,
    });
    expect(accepted).toMatchObject({ width, height, url: `/images/editor/${accepted.imageId}.png` });
    const kept = layerImage(core, accepted.imageId);
    expect(maxDiff(kept, split, width, rgbAt(rgb, width))).toBe(0);
    expect(maxDiff(kept, 0, split, () => maskedColour(second.seed))).toBeLessThanOrEqual(8);
    // The layer image is one the editor document may name.
    const saved = await call(core, 'saveEditorDocument', {
      version: 1,
      layers: [
        {
          id: accepted.imageId,
          kind: 'image',
          name: 'Dream',
          imageId: accepted.imageId,
          width,
          height,
          x: 0,
          y: 0,
          scaleX: 1,
          scaleY: 1,
          visible: true,
          locked: false,
        },
      ],
    });
    expect(saved).toEqual({ layers: 1 });
  });

  it('keeps an image-to-image result as it came, at the source’s size', async () => {
    const core = await ready();
    const size = 1024;
    const sourceId = await upload(core, encodeRgbPng(size, size, renderRgb(size, size, 3)));
    const generation = await call(core, 'generate', {
      input: {
        prompt: 'a red door',
        kind: 'img2img',
        modelId: 'sdxl',
        width: size,
        height: size,
        initImage: { kind: 'upload', id: sourceId },
      },
      count: 1,
    });
    const [image] = generation.images;
    if (!image) throw new Error('an image expected');
    const accepted = await call(core, 'acceptEditorResult', {
      generationId: generation.id,
      imageId: image.id,
      sourceUploadId: sourceId,
    });
    const answer = pixels(
      readFileSync(join(core.dataDir, 'generations', generation.id, image.url.split('/').pop() ?? '')),
    );
    const kept = layerImage(core, accepted.imageId);
    expect([kept.width, kept.height]).toEqual([size, size]);
    expect(kept.data.equals(answer.data)).toBe(true);
  });

  it('says so when the result, the source or the mask is gone, and refuses IDs that are not ours', async () => {
    const core = await ready();
    const sourceId = await upload(core, encodeRgbPng(64, 64, renderRgb(64, 64, 1)));
    const missing = '01JAAAAAAAAAAAAAAAAAAAAAAA';
    const noResult = await callError(core, 'acceptEditorResult', {
      generationId: missing,
      imageId: missing,
      sourceUploadId: sourceId,
    });
    expect(noResult.code).toBe('library.not_found');
    expect(noResult.message).toMatch(/result is gone/);
    const hostile = await callError(core, 'acceptEditorResult', {
      generationId: '../..',
      imageId: missing,
      sourceUploadId: '../x',
    });
    expect(hostile.code).toBe('input.invalid');
  });
});
