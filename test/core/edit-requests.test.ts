import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { generationRecordSchema } from '../../src-main/core/library/record';
import type { GenerateRequest } from '../../src-shared/generation';
import { decodeRgba, maskedColour, maxDiff, rgbAt, splitMaskPng } from '../fakes/edit-pixels';
import type { Rgba } from '../fakes/edit-pixels';
import { testCredentials } from '../fakes/keys';
import { encodeRgbPng, renderRgb } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, callError, configure, startCore } from '../support/core';

/** Edits through the whole core: uploads, the generate request, the real SDK over HTTP to the fake, the library. */

let fake: FakeSageMaker;

beforeAll(async () => {
  useAwsProfiles({ studio: testCredentials });
  fake = await startFakeSageMaker({
    endpoints: {
      'sdxl-edit': { status: 'InService', format: 'stability' },
      'sd2-inpaint': { status: 'InService', format: 'jumpstart-inpaint' },
      'sd-x4': { status: 'InService', format: 'jumpstart-upscale-x4' },
      'sd21-text': { status: 'InService', format: 'jumpstart-sd' },
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
  { modelId: 'x4', modelName: 'x4 upscaler', endpointName: 'sd-x4', format: 'jumpstart-upscale-x4' as const },
  { modelId: 'sd21', modelName: 'SD 2.1', endpointName: 'sd21-text', format: 'jumpstart-sd' as const },
];

const ready = async () => {
  const core = startCore();
  await configure(core, { models, profile: 'studio', endpointOverrides: { sagemakerRuntime: fake.url } });
  return core;
};
type TestCore = Awaited<ReturnType<typeof ready>>;

const upload = async (core: TestCore, png: Buffer): Promise<string> =>
  (await call(core, 'uploadInitImage', { bytes: new Uint8Array(png), name: 'box.png' })).id;

const picture = (width: number, height: number, seed: number) => {
  const rgb = renderRgb(width, height, seed);
  return { png: encodeRgbPng(width, height, rgb), at: rgbAt(rgb, width) };
};

const pixels = (bytes: Buffer): Rgba => {
  const decoded = decodeRgba(bytes);
  if (!decoded) throw new Error('not an image');
  return decoded;
};

/** The stored file of each image of a generation, decoded. */
const storedImages = (core: TestCore, generation: { id: string; images: Array<{ url: string }> }): Rgba[] =>
  generation.images.map((image) =>
    pixels(readFileSync(join(core.dataDir, 'generations', generation.id, image.url.split('/').pop() ?? ''))),
  );

const recordOf = (core: TestCore, id: string) =>
  generationRecordSchema.parse(
    JSON.parse(readFileSync(join(core.dataDir, 'generations', id, 'generation.json'), 'utf8')),
  );

const edit = (extra: Partial<GenerateRequest['input']>, count = 1): GenerateRequest => ({
  input: { prompt: 'a red door', seed: 42, ...extra },
  count,
});

describe('inpainting on SDXL (stability)', () => {
  const [size, split] = [1024, 400];
  const init = picture(size, size, 8);

  it.each([
    ['white where to paint', splitMaskPng(size, size, split)],
    [
      'white where to paint, transparent where to keep',
      (() => {
        const png = new PNG({ width: size, height: size, colorType: 6 });
        for (let i = 0; i < size * size; i++) png.data.fill(i % size < split ? 255 : 0, i * 4, i * 4 + 4);
        return PNG.sync.write(png, { colorType: 6 });
      })(),
    ],
  ])('mask %s: sends MASK_IMAGE_WHITE, keeps every other pixel, records the source and mask', async (_what, mask) => {
    const core = await ready();
    const [initId, maskId] = [await upload(core, init.png), await upload(core, mask)];
    const request = edit({
      kind: 'inpaint',
      modelId: 'sdxl',
      width: size,
      height: size,
      initImage: { kind: 'upload', id: initId },
      maskImage: { kind: 'upload', id: maskId },
    });
    const generation = await call(core, 'generate', { ...request, count: 2 });
    expect(generation.status).toBe('done');
    const body = fake.invocations[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ mask_source: 'MASK_IMAGE_WHITE', init_image_mode: 'IMAGE_STRENGTH' });
    for (const [i, out] of storedImages(core, generation).entries()) {
      const seed = generation.images[i]?.seed ?? 0;
      expect(maxDiff(out, 0, split, () => maskedColour(seed))).toBe(0);
      expect(maxDiff(out, split, size, init.at)).toBe(0);
    }
    const record = recordOf(core, generation.id);
    expect(record.input.kind).toBe('inpaint');
    const folder = join(core.dataDir, 'generations', generation.id);
    expect(record.sources?.image).toMatch(/^[0-9A-Z]{26}\.png$/);
    expect(maxDiff(pixels(readFileSync(join(folder, record.sources?.image ?? ''))), 0, size, init.at)).toBe(0);
    const sentMask = pixels(readFileSync(join(folder, record.sources?.mask ?? '')));
    expect(maxDiff(sentMask, 0, split, () => [255, 255, 255])).toBe(0);
    expect(maxDiff(sentMask, split, size, () => [0, 0, 0])).toBe(0);
    // What was sent is what was kept.
    expect(readFileSync(join(folder, record.sources?.mask ?? '')).toString('base64')).toBe(body.mask_image);
  });

  it('sends what is transparent in the image as neutral grey, and keeps the opaque pixels exactly', async () => {
    const core = await ready();
    const rgb = renderRgb(size, size, 9);
    const transparent = new PNG({ width: size, height: size, colorType: 6 });
    for (let i = 0; i < size * size; i++) {
      for (let c = 0; c < 3; c++) transparent.data[i * 4 + c] = rgb[i * 3 + c] ?? 0;
      transparent.data[i * 4 + 3] = i % size < split ? 0 : 255;
    }
    const initId = await upload(core, PNG.sync.write(transparent, { colorType: 6 }));
    const maskId = await upload(core, splitMaskPng(size, size, split));
    const generation = await call(
      core,
      'generate',
      edit({
        kind: 'outpaint',
        modelId: 'sdxl',
        initImage: { kind: 'upload', id: initId },
        maskImage: { kind: 'upload', id: maskId },
      }),
    );
    const sent = pixels(
      Buffer.from(String((fake.invocations[0]?.body as Record<string, unknown>).init_image), 'base64'),
    );
    expect(maxDiff(sent, 0, split, () => [128, 128, 128])).toBe(0);
    expect(maxDiff(sent, split, size, rgbAt(rgb, size))).toBe(0);
    const [out] = storedImages(core, generation);
    expect(maxDiff(out!, split, size, rgbAt(rgb, size))).toBe(0);
  });

  it('keeps the kind across a restart', async () => {
    const core = await ready();
    const mask = splitMaskPng(size, size, split);
    const [initId, maskId] = [await upload(core, init.png), await upload(core, mask)];
    const input = { kind: 'outpaint' as const, modelId: 'sdxl', width: size, height: size };
    const generation = await call(
      core,
      'generate',
      edit({ ...input, initImage: { kind: 'upload', id: initId }, maskImage: { kind: 'upload', id: maskId } }),
    );
    core.close();
    const again = startCore(core.dataDir);
    const listed = (await call(again, 'listGenerations', { limit: 5 })).generations;
    expect(listed.map((g) => [g.id, g.input.kind])).toEqual([[generation.id, 'outpaint']]);
    expect(recordOf(again, generation.id).sources?.mask).toBeDefined();
  });
});

describe('an Edit box’s raw pixels (uploadPixels)', () => {
  const [width, height, split] = [1024, 1024, 300];
  /** A grey mask, one byte a pixel: white left of the split, black right of it. */
  const greyMask = (w: number, h: number, at: number): Buffer => {
    const mask = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++) mask.fill(255, y * w, y * w + at);
    return mask;
  };
  /** An SDXL inpainting of the box's size from two uploads. */
  const inpaint = (initId: string, maskId: string): GenerateRequest =>
    edit({
      kind: 'inpaint',
      modelId: 'sdxl',
      width,
      height,
      initImage: { kind: 'upload', id: initId },
      maskImage: { kind: 'upload', id: maskId },
    });
  const uploadRaw = async (core: TestCore, bytes: Buffer, w: number, h: number, channels: 1 | 3 | 4) =>
    (await call(core, 'uploadPixels', { bytes: new Uint8Array(bytes), width: w, height: h, channels, name: 'box.png' }))
      .id;

  it('are kept as PNGs of exactly those pixels, sent as kept, and only masked pixels change', async () => {
    const core = await ready();
    const rgb = renderRgb(width, height, 5);
    const [initId, maskId] = await Promise.all([
      uploadRaw(core, rgb, width, height, 3),
      uploadRaw(core, greyMask(width, height, split), width, height, 1),
    ]);
    // The IDs are answered at once; the files follow the encoding (waited for, not assumed).
    const file = (id: string) => vi.waitFor(() => readFileSync(join(core.dataDir, 'uploads', `${id}.png`)));
    const [keptInit, keptMask] = [await file(initId), await file(maskId)];
    // Lossless: the kept init image decodes to the very pixels handed over.
    expect(maxDiff(pixels(keptInit), 0, width, rgbAt(rgb, width))).toBe(0);
    const generation = await call(core, 'generate', inpaint(initId, maskId));
    expect(generation.status).toBe('done');
    const body = fake.invocations[0]?.body as Record<string, unknown>;
    // The files as kept are the bytes sent: nothing was decoded and encoded again.
    expect(body.init_image).toBe(keptInit.toString('base64'));
    expect(body.mask_image).toBe(keptMask.toString('base64'));
    const [out] = storedImages(core, generation);
    if (!out) throw new Error('no image stored');
    const seed = generation.images[0]?.seed ?? 0;
    expect(maxDiff(out, 0, split, () => maskedColour(seed))).toBe(0);
    expect(maxDiff(out, split, width, rgbAt(rgb, width))).toBe(0);
  });

  it('RGBA (what the Edit tab sends): kept and sent as RGB, transparency over neutral grey, opaque pixels exact', async () => {
    const core = await ready();
    const rgb = renderRgb(width, height, 6);
    // Left of the split transparent, one column half so, the rest opaque: as an erased region leaves it.
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgb.copy(rgba, i * 4, i * 3, i * 3 + 3);
      const x = i % width;
      rgba[i * 4 + 3] = x < split ? 0 : x === split ? 128 : 255;
    }
    const [initId, maskId] = await Promise.all([
      uploadRaw(core, rgba, width, height, 4),
      uploadRaw(core, greyMask(width, height, split + 1), width, height, 1),
    ]);
    const generation = await call(core, 'generate', inpaint(initId, maskId));
    expect(generation.status).toBe('done');
    const body = fake.invocations[0]?.body as { init_image: string };
    const sent = await sharp(Buffer.from(body.init_image, 'base64')).raw().toBuffer({ resolveWithObject: true });
    expect(sent.info.channels).toBe(3);
    const sentRgba = pixels(Buffer.from(body.init_image, 'base64'));
    expect(maxDiff(sentRgba, 0, split, () => [128, 128, 128])).toBe(0);
    expect(maxDiff(sentRgba, split + 1, width, rgbAt(rgb, width))).toBe(0);
    // Half transparent: half the picture, half the grey (within rounding).
    const [r, g, b] = rgbAt(rgb, width)(split, 10);
    const half = sent.data.subarray((10 * width + split) * 3, (10 * width + split) * 3 + 3);
    for (const [i, c] of [r, g, b].entries())
      expect(Math.abs((half[i] ?? 0) - (c * 128 + 128 * 127) / 255)).toBeLessThanOrEqual(1);
    // What was sent is what was kept.
    const kept = await vi.waitFor(() => readFileSync(join(core.dataDir, 'uploads', `${initId}.png`)));
    expect(kept.toString('base64')).toBe(body.init_image);
  });

  it('still work after a restart (read back from the files) and at another size (scaled to fill)', async () => {
    const core = await ready();
    const rgb = renderRgb(512, 512, 9);
    const initId = await uploadRaw(core, rgb, 512, 512, 3);
    const maskId = await uploadRaw(core, greyMask(512, 512, 150), 512, 512, 1);
    // Once their files are written (the IDs are answered before), the app may stop and start again.
    for (const id of [initId, maskId]) await vi.waitFor(() => readFileSync(join(core.dataDir, 'uploads', `${id}.png`)));
    core.close();
    const again = startCore(core.dataDir);
    await configure(again, { models, profile: 'studio', endpointOverrides: { sagemakerRuntime: fake.url } });
    const generation = await call(again, 'generate', inpaint(initId, maskId));
    expect(generation.status).toBe('done');
    const body = fake.invocations[0]?.body as { init_image: string; mask_image: string };
    const sentMask = pixels(Buffer.from(body.mask_image, 'base64'));
    expect([sentMask.width, sentMask.height]).toEqual([width, height]);
    expect(maxDiff(sentMask, 0, 290, () => [255, 255, 255])).toBe(0);
    expect(maxDiff(sentMask, 310, width, () => [0, 0, 0])).toBe(0);
  });

  it('refuse pixels that are not width × height × channels bytes, and a mask that marks nothing', async () => {
    const core = await ready();
    const short = await callError(core, 'uploadPixels', {
      bytes: new Uint8Array(100 * 100 * 3 - 1),
      width: 100,
      height: 100,
      channels: 3,
    });
    expect(short.code).toBe('input.invalid');
    expect(JSON.stringify(short.fields)).toContain('width × height × channels');
    expect(
      // Two bytes a pixel (grey with alpha) is not a kind of raw pixels it takes; an untyped caller may still send it.
      (await callError(core, 'uploadPixels', { bytes: new Uint8Array(8), width: 2, height: 2, channels: 2 as 1 })).code,
    ).toBe('input.invalid');
    const initId = await uploadRaw(core, renderRgb(width, height, 2), width, height, 3);
    const maskId = await uploadRaw(core, Buffer.alloc(width * height), width, height, 1);
    const error = await callError(core, 'generate', inpaint(initId, maskId));
    expect(error).toMatchObject({ code: 'input.invalid', message: expect.stringContaining('black all over') });
    expect(fake.requests).toBe(0);
  });
});

describe('jumpstart-inpaint', () => {
  it('sends application/json;jpeg with white = repaint, and the kept pixels come back within JPEG rounding', async () => {
    const core = await ready();
    const [width, height, split] = [512, 512, 256];
    const init = picture(width, height, 4);
    const [initId, maskId] = [await upload(core, init.png), await upload(core, splitMaskPng(width, height, split))];
    const generation = await call(
      core,
      'generate',
      edit(
        {
          kind: 'inpaint',
          modelId: 'inpaint',
          width,
          height,
          negativePrompt: 'blurry',
          initImage: { kind: 'upload', id: initId },
          maskImage: { kind: 'upload', id: maskId },
        },
        2,
      ),
    );
    expect(generation.images.map((i) => [i.width, i.height, i.url.endsWith('.jpg')])).toEqual([
      [width, height, true],
      [width, height, true],
    ]);
    const invocation = fake.invocations[0];
    expect([invocation?.contentType, invocation?.accept]).toEqual(['application/json;jpeg', 'application/json;jpeg']);
    expect(invocation?.body).toMatchObject({
      prompt: 'a red door',
      negative_prompt: 'blurry',
      num_images_per_prompt: 1,
    });
    for (const [i, out] of storedImages(core, generation).entries()) {
      const seed = generation.images[i]?.seed ?? 0;
      expect(maxDiff(out, 0, split, () => maskedColour(seed))).toBeLessThanOrEqual(3);
      expect(maxDiff(out, split, width, init.at)).toBeLessThanOrEqual(6);
      expect(maxDiff(out, 0, split, init.at)).toBeGreaterThan(30);
    }
  });
});

describe('jumpstart-upscale-x4', () => {
  it('stores the answer four times larger, with its true size', async () => {
    const core = await ready();
    const low = picture(128, 96, 12);
    const initId = await upload(core, low.png);
    const generation = await call(
      core,
      'generate',
      edit({ kind: 'upscale', modelId: 'x4', width: 128, height: 96, initImage: { kind: 'upload', id: initId } }),
    );
    expect(generation.images.map((i) => [i.width, i.height])).toEqual([[512, 384]]);
    expect(fake.invocations[0]?.body).toMatchObject({ prompt: 'a red door', noise_level: 20, seed: 42 });
    const [out] = storedImages(core, generation);
    expect([out?.width, out?.height]).toEqual([512, 384]);
    expect(maxDiff(out!, 0, 512, (x, y) => low.at(Math.floor(x / 4), Math.floor(y / 4)))).toBeLessThanOrEqual(6);
    expect(recordOf(core, generation.id).sources?.mask).toBeUndefined();
  });
});

describe('what cannot work is refused with a clear message, before anything is sent', () => {
  it.each([
    ['a mask of another size than the image', 'sdxl', {}, 'is 512×512 but the image is 1024×1024'],
    ['inpainting without a mask', 'sdxl', { maskImage: undefined }, 'Inpainting needs a mask'],
    ['a text-only model asked to inpaint', 'sd21', { width: 768, height: 768 }, 'cannot inpaint'],
    ['an upscaler asked to inpaint', 'x4', { width: 512, height: 512 }, 'cannot inpaint'],
    [
      'an inpainting model asked for text-to-image',
      'inpaint',
      { kind: 'txt2img', width: 512, height: 512, initImage: undefined, maskImage: undefined },
      'cannot make images from text alone',
    ],
    ['a mask with img2img', 'sdxl', { kind: 'img2img' }, 'A mask only goes with inpainting or outpainting'],
  ] as const)('%s', async (_what, modelId, extra, message) => {
    const core = await ready();
    const initId = await upload(core, picture(1024, 1024, 1).png);
    const maskId = await upload(core, splitMaskPng(512, 512, 100));
    const error = await callError(
      core,
      'generate',
      edit({
        kind: 'inpaint',
        modelId,
        width: 1024,
        height: 1024,
        initImage: { kind: 'upload', id: initId },
        maskImage: { kind: 'upload', id: maskId },
        ...extra,
      }),
    );
    expect(error.code).toBe('input.invalid');
    expect(error.message).toContain(message);
    expect(fake.requests).toBe(0);
  });

  it('a mask that is gone, or named by anything but an upload ID', async () => {
    const core = await ready();
    const initId = await upload(core, picture(1024, 1024, 1).png);
    const request = (id: string) =>
      edit({
        kind: 'inpaint',
        modelId: 'sdxl',
        initImage: { kind: 'upload', id: initId },
        maskImage: { kind: 'upload', id },
      });
    const gone = await callError(core, 'generate', request('01JDZ7Q0M0A6W5Y3G3V6Q7N8PZ'));
    expect(gone).toMatchObject({ code: 'library.not_found', message: 'The mask is no longer in the library.' });
    for (const hostile of ['../../settings', '01JDZ7Q0M0A6W5Y3G3V6Q7N8PZ/..', ''])
      expect((await callError(core, 'generate', request(hostile))).code).toBe('input.invalid');
    expect(fake.requests).toBe(0);
  });

  it('a mask that keeps everything', async () => {
    const core = await ready();
    const initId = await upload(core, picture(1024, 1024, 1).png);
    const maskId = await upload(core, splitMaskPng(1024, 1024, 0));
    const error = await callError(
      core,
      'generate',
      edit({
        kind: 'inpaint',
        modelId: 'sdxl',
        initImage: { kind: 'upload', id: initId },
        maskImage: { kind: 'upload', id: maskId },
      }),
    );
    expect(error).toMatchObject({ code: 'input.invalid', message: expect.stringContaining('black all over') });
    expect(fake.requests).toBe(0);
  });

  it('a request over 6 MB: says how to shrink the box, sends nothing and stores nothing', async () => {
    const core = await ready();
    // Noise does not compress: a 1024² RGBA PNG of it is over 4 MB, over 5 MB as base64.
    const noise = new PNG({ width: 1024, height: 1024, colorType: 6 });
    noise.data = randomBytes(1024 * 1024 * 4);
    const initId = await upload(core, PNG.sync.write(noise, { colorType: 6 }));
    const maskNoise = new PNG({ width: 1024, height: 1024 });
    maskNoise.data = randomBytes(1024 * 1024 * 4);
    const maskId = await upload(core, PNG.sync.write(maskNoise));
    const error = await callError(
      core,
      'generate',
      edit({
        kind: 'inpaint',
        modelId: 'sdxl',
        initImage: { kind: 'upload', id: initId },
        maskImage: { kind: 'upload', id: maskId },
      }),
    );
    expect(error.code).toBe('sagemaker.validation');
    expect(error.message).toMatch(/The request would be [6-9]\.\d MB; SageMaker accepts at most 6 MB/);
    expect(error.hint).toMatch(/Make the box smaller \(it is 1024×1024/);
    expect(error.hint).toMatch(/the image and its mask take \d+\.\d MB/);
    expect(fake.requests).toBe(0);
    expect(core.seen).toEqual([]);
    expect((await call(core, 'listGenerations', { limit: 5 })).generations).toEqual([]);
  });

  it('the container’s own refusal reaches the user in its words', async () => {
    const core = await ready();
    // An SDXL model whose endpoint is really the upscaler: the container says what it lacks.
    await configure(core, {
      models: [{ modelId: 'wrong', endpointName: 'sd-x4', format: 'jumpstart-inpaint' }],
      profile: 'studio',
      endpointOverrides: { sagemakerRuntime: fake.url },
    });
    const initId = await upload(core, picture(1024, 1024, 1).png);
    const maskId = await upload(core, splitMaskPng(1024, 1024, 100));
    const error = await callError(
      core,
      'generate',
      edit({ kind: 'inpaint', initImage: { kind: 'upload', id: initId }, maskImage: { kind: 'upload', id: maskId } }),
    );
    expect(error.code).toBe('sagemaker.model_error');
    expect(error.message).toMatch(/"sd-x4" returned an error \(400\): .*between 64 and 512/);
  });
});

describe('a generation.json naming its sources', () => {
  const record = (sources: unknown) => ({
    version: 1,
    id: '01JDZ7Q0M0A6W5Y3G3V6Q7N8PZ',
    createdAt: '2026-12-05T10:00:00.000Z',
    input: { prompt: 'p', kind: 'inpaint' },
    count: 1,
    modelId: 'm',
    endpointName: 'e',
    status: 'done',
    images: [],
    failures: [],
    sources,
  });

  it('is read only when they are image files of the folder', () => {
    const ok = { image: '01JDZ7Q0M0A6W5Y3G3V6Q7N8Q0.png', mask: '01JDZ7Q0M0A6W5Y3G3V6Q7N8Q1.png' };
    expect(generationRecordSchema.safeParse(record(ok)).success).toBe(true);
    for (const planted of [
      { image: '../../settings.json' },
      { image: '01JDZ7Q0M0A6W5Y3G3V6Q7N8Q0.png', mask: '/etc/passwd' },
      { image: 'source.png' },
      { image: '01JDZ7Q0M0A6W5Y3G3V6Q7N8Q0.jpg' },
    ])
      expect(generationRecordSchema.safeParse(record(planted)).success).toBe(false);
  });
});
