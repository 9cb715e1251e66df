import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generationRecordSchema } from '../../src-main/core/library/record';
import type { GenerateRequest } from '../../src-shared/generation';
import { decodeRgba, rgbAt } from '../fakes/edit-pixels';
import type { Rgba } from '../fakes/edit-pixels';
import { testCredentials } from '../fakes/keys';
import { encodeRgbPng, renderRgb } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, configure, startCore } from '../support/core';

/** Upscale ×4 of images larger than the model takes: tiles through the real SDK to the fake upscaler, blended. */

let fake: FakeSageMaker;

beforeAll(async () => {
  useAwsProfiles({ studio: testCredentials });
  fake = await startFakeSageMaker({ endpoints: { 'sd-x4': { status: 'InService', format: 'jumpstart-upscale-x4' } } });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const ready = async (inputLimit?: number) => {
  const core = startCore();
  const model = {
    modelId: 'x4',
    modelName: 'x4 upscaler',
    endpointName: 'sd-x4',
    format: 'jumpstart-upscale-x4' as const,
  };
  await configure(core, {
    models: [inputLimit ? { ...model, inputLimit } : model],
    profile: 'studio',
    endpointOverrides: { sagemakerRuntime: fake.url },
  });
  return core;
};
type TestCore = Awaited<ReturnType<typeof ready>>;

const upscale = async (core: TestCore, size: number, clientId = '') => {
  const rgb = renderRgb(size, size, 5);
  const png = encodeRgbPng(size, size, rgb);
  const { id } = await call(core, 'uploadInitImage', { bytes: new Uint8Array(png), name: 'big.png' });
  const request: GenerateRequest = {
    input: {
      prompt: 'a lighthouse',
      kind: 'upscale',
      modelId: 'x4',
      width: size,
      height: size,
      seed: 7,
      initImage: { kind: 'upload', id },
    },
    count: 1,
    clientId,
  };
  return { request, at: rgbAt(rgb, size) };
};

const decoded = (bytes: Buffer): Rgba => {
  const image = decodeRgba(bytes);
  if (!image) throw new Error('not an image');
  return image;
};

/** Each pixel's largest channel difference from `expected`, over the output rows and columns `keep` picks. */
const worstDiff = (
  image: Rgba,
  expected: (x: number, y: number) => readonly number[],
  keep: (x: number, y: number) => boolean,
): number => {
  let worst = 0;
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++) {
      if (!keep(x, y)) continue;
      const want = expected(x, y);
      const at = (y * image.width + x) * 4;
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs((image.data[at + c] ?? 0) - (want[c] ?? 0)));
    }
  return worst;
};

describe('Upscale ×4 in tiles', () => {
  it('a 1024² image under the default 512 px limit: nine tiles, one 4096² image, each 4×4 block its pixel', async () => {
    const core = await ready();
    const { request, at } = await upscale(core, 1024, 'tiles');
    const generation = await call(core, 'generate', request);
    expect(generation.status).toBe('done');
    expect(generation.images.map((i) => [i.width, i.height])).toEqual([[4096, 4096]]);

    // Nine requests, each a tile the upscaler takes, with the image's own prompt and the seed.
    expect(fake.invocations).toHaveLength(9);
    for (const invocation of fake.invocations) {
      const body = invocation.body as { image: string; prompt: string; seed: number };
      expect(body).toMatchObject({ prompt: 'a lighthouse', seed: 7 });
      const tile = decoded(Buffer.from(body.image, 'base64'));
      expect(Math.max(tile.width, tile.height)).toBeLessThanOrEqual(512);
    }

    // Progress per tile, in order, then blending.
    const progress = core.seen.flatMap((e) => (e.type === 'image.progress' ? [e.message] : []));
    expect(progress).toEqual([
      ...Array.from({ length: 9 }, (_, i) => `Upscaling tile ${i + 1} of 9`),
      'Blending 9 tiles',
    ]);

    const file = generation.images[0]?.url.split('/').pop() ?? '';
    const out = decoded(readFileSync(join(core.dataDir, 'generations', generation.id, file)));
    expect([out.width, out.height]).toEqual([4096, 4096]);
    const block = (x: number, y: number) => at(Math.floor(x / 4), Math.floor(y / 4));
    // Tiles of 376 px at 0, 324 and 648: overlaps over [324, 376) and [648, 700), ×4 in the output.
    const inSeam = (v: number) => (v >= 324 * 4 && v < 376 * 4) || (v >= 648 * 4 && v < 700 * 4);
    // Away from the seams, the answer of one tile: its pixel up to the fake's JPEG rounding.
    expect(worstDiff(out, block, (x, y) => !inSeam(x) && !inSeam(y))).toBeLessThanOrEqual(6);
    // In the seams, a blend of two tiles that agree: no edge, no step, still the pixel.
    expect(worstDiff(out, block, (x, y) => inSeam(x) || inSeam(y))).toBeLessThanOrEqual(6);
    // And the checks can fail: a picture shifted by one pixel is far from it.
    expect(
      worstDiff(
        out,
        (x, y) => at(Math.floor(x / 4) ^ 1, Math.floor(y / 4)),
        (x) => x < 400,
      ),
    ).toBeGreaterThan(30);

    // One generation of kind upscale, its source the original image.
    const record = generationRecordSchema.parse(
      JSON.parse(readFileSync(join(core.dataDir, 'generations', generation.id, 'generation.json'), 'utf8')),
    );
    expect(record.input.kind).toBe('upscale');
    expect(record.images).toHaveLength(1);
    const source = decoded(readFileSync(join(core.dataDir, 'generations', generation.id, record.sources?.image ?? '')));
    expect([source.width, source.height]).toEqual([1024, 1024]);
    expect(worstDiff(source, at, () => true)).toBe(0);
  }, 120_000);

  it('follows the model’s input limit', async () => {
    const core = await ready(256);
    const { request } = await upscale(core, 512);
    const generation = await call(core, 'generate', request);
    expect(generation.images.map((i) => [i.width, i.height])).toEqual([[2048, 2048]]);
    expect(fake.invocations).toHaveLength(9);
  }, 60_000);

  it('Cancel mid-way stops before the next tile, keeps nothing, and says how far it got', async () => {
    const core = await ready();
    const { request } = await upscale(core, 1024, 'cancel-tiles');
    // From the third tile on the upscaler is slow, so the cancel lands while a tile is in flight.
    core.events.subscribe((e) => {
      if (e.type === 'image.progress' && e.done === 2) fake.setBehaviour({ latencyMs: 30_000 });
    });
    const pending = core.dispatch('generate', request);
    await fake.waitFor(() => fake.invocations.length === 3 && fake.inFlight === 1, 20_000);
    expect(await call(core, 'cancelGeneration', { clientId: 'cancel-tiles' })).toBe(true);
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('cancelled');
      expect(result.error.message).toBe('Upscale cancelled after 2 of 9 tiles: nothing was kept.');
    }
    await fake.waitFor(() => fake.aborted === 1, 5000);
    expect(fake.invocations).toHaveLength(3);
    expect((await call(core, 'listGenerations', { limit: 5 })).generations).toEqual([]);
    const done = core.seen.find((e) => e.type === 'generation.done' && e.clientId === 'cancel-tiles');
    expect(done?.type === 'generation.done' && done.generation.status).toBe('cancelled');
  }, 60_000);
});

describe('with an upscaler listed first', () => {
  it('the defaults and an empty model ID are the first text model’s; an upscale without one goes to the upscaler', async () => {
    const core = startCore();
    await configure(core, {
      models: [
        { modelId: 'x4', endpointName: 'sd-x4', format: 'jumpstart-upscale-x4' },
        { modelId: 'sdxl', endpointName: 'sd-x4-is-not-this', format: 'stability' },
      ],
      profile: 'studio',
      endpointOverrides: { sagemakerRuntime: fake.url },
    });
    expect((await call(core, 'getDefaultInput', {})).modelId).toBe('sdxl');
    expect(await call(core, 'getDefaultCount')).toBe(4);
    const { request } = await upscale(core, 256);
    const generation = await call(core, 'generate', { ...request, input: { ...request.input, modelId: '' } });
    expect(generation.modelId).toBe('x4');
    expect(fake.invocations.map((i) => i.endpoint)).toEqual(['sd-x4']);
  });
});
