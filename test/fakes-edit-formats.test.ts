import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { decodeRgba, maskedColour, maxDiff, rgbAt, splitMaskPng, transparentLeftPng } from './fakes/edit-pixels.js';
import type { Rgba } from './fakes/edit-pixels.js';
import { testCredentials } from './fakes/keys.js';
import { encodeRgbPng, renderRgb } from './fakes/png.js';
import { startFakeSageMaker, type FakeSageMaker } from './fakes/sagemaker-endpoint.js';

/** The fake's edit formats, driven with the real SDK: what they check, and which pixels they change. */

const INPAINT = 'sd2-inpaint';
const UPSCALE = 'sd-x4';
const SDXL = 'sdxl';
const jpegJson = 'application/json;jpeg';

async function modelError(p: Promise<unknown>): Promise<ModelError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('expected a ModelError');
}

const image = (width: number, height: number, seed: number) => {
  const rgb = renderRgb(width, height, seed);
  return { rgb, png: encodeRgbPng(width, height, rgb), at: rgbAt(rgb, width) };
};
const b64 = (bytes: Buffer): string => bytes.toString('base64');

let fake: FakeSageMaker;
let client: SageMakerRuntimeClient;

const invoke = async (endpoint: string, body: unknown, accept: string, contentType = 'application/json') => {
  const out = await client.send(
    new InvokeEndpointCommand({
      EndpointName: endpoint,
      Body: JSON.stringify(body),
      ContentType: contentType,
      Accept: accept,
    }),
  );
  return JSON.parse(Buffer.from(out.Body ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>;
};
const pixelsOf = (base64: unknown): Rgba => {
  const pixels = decodeRgba(Buffer.from(String(base64), 'base64'));
  if (!pixels) throw new Error('the answer holds no image');
  return pixels;
};

beforeAll(async () => {
  fake = await startFakeSageMaker({
    endpoints: {
      [INPAINT]: { status: 'InService', format: 'jumpstart-inpaint' },
      [UPSCALE]: { status: 'InService', format: 'jumpstart-upscale-x4' },
      [SDXL]: { status: 'InService' },
    },
  });
  client = new SageMakerRuntimeClient({
    endpoint: fake.url,
    region: 'us-east-1',
    credentials: testCredentials,
    maxAttempts: 1,
  });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

describe('stability with a mask', () => {
  const size = 1024;
  const split = 384;
  const init = image(size, size, 7);
  const request = (extra: Record<string, unknown>) => ({
    text_prompts: [{ text: 'a red door', weight: 1 }],
    seed: 99,
    init_image: b64(init.png),
    init_image_mode: 'IMAGE_STRENGTH',
    image_strength: 0.35,
    ...extra,
  });

  it.each([
    ['MASK_IMAGE_WHITE', { mask_image: b64(splitMaskPng(size, size, split, true)) }],
    ['MASK_IMAGE_BLACK', { mask_image: b64(splitMaskPng(size, size, split, false)) }],
    ['INIT_IMAGE_ALPHA', { init_image: b64(transparentLeftPng(init.rgb, size, size, split)) }],
  ] as const)('%s: repaints exactly the masked columns and keeps every other pixel', async (source, fields) => {
    const answer = await invoke(SDXL, request({ mask_source: source, ...fields }), 'application/json;png');
    const artifacts = answer.artifacts as Array<{ base64: string; seed: number }>;
    expect(artifacts[0]?.seed).toBe(99);
    const out = pixelsOf(artifacts[0]?.base64);
    expect([out.width, out.height]).toEqual([size, size]);
    const colour = maskedColour(99);
    expect(maxDiff(out, 0, split, () => colour)).toBe(0);
    expect(maxDiff(out, split, size, init.at)).toBe(0);
    // The init image there is not already that colour: the check above can fail.
    expect(maxDiff(out, 0, split, init.at)).toBeGreaterThan(30);
  });

  it.each([
    ['a mask_source it does not know', { mask_source: 'MASK_IMAGE_GREEN' }, 'mask_source: must be one of'],
    ['a mask source without its mask', { mask_source: 'MASK_IMAGE_WHITE' }, 'mask_image: must be a base64'],
    [
      'a mask of another size',
      { mask_source: 'MASK_IMAGE_WHITE', mask_image: b64(splitMaskPng(512, 512, 100)) },
      'must match init_image dimensions 1024x1024',
    ],
    ['a mask without its source', { mask_image: b64(splitMaskPng(size, size, split)) }, 'mask_source: required'],
    [
      'an init image of a size SDXL does not make',
      { init_image: b64(image(512, 512, 1).png), mask_source: 'INIT_IMAGE_ALPHA' },
      'invalid dimensions 512x512',
    ],
  ])('refuses %s with a 400 from the container', async (_what, fields, expected) => {
    const err = await modelError(invoke(SDXL, request(fields), 'application/json;png'));
    expect(err.$metadata.httpStatusCode).toBe(424);
    expect(err.OriginalStatusCode).toBe(400);
    expect(err.OriginalMessage).toContain(expected);
  });
});

describe('jumpstart-inpaint', () => {
  const [width, height, split] = [512, 384, 200];
  const init = image(width, height, 3);
  const request = {
    prompt: 'a cat on the sofa',
    negative_prompt: 'blurry',
    image: b64(init.png),
    mask_image: b64(splitMaskPng(width, height, split)),
    num_inference_steps: 30,
    guidance_scale: 7.5,
    seed: 5,
    num_images_per_prompt: 2,
  };

  it('repaints the white of the mask and keeps the black (JPEG: within rounding)', async () => {
    const answer = await invoke(INPAINT, request, jpegJson, jpegJson);
    const images = answer.generated_images as string[];
    expect(images).toHaveLength(2);
    expect(fake.invocations[0]?.seeds).toEqual([5, 6]);
    for (const [i, base64] of images.entries()) {
      const out = pixelsOf(base64);
      expect([out.width, out.height]).toEqual([width, height]);
      const colour = maskedColour(5 + i);
      // Quality-100 JPEG: a rounding away from exact (the split falls on JPEG's 8×8 blocks).
      expect(maxDiff(out, 0, split, () => colour)).toBeLessThanOrEqual(3);
      expect(maxDiff(out, split, width, init.at)).toBeLessThanOrEqual(6);
      expect(maxDiff(out, 0, split, init.at)).toBeGreaterThan(30);
    }
  });

  it.each([
    ['no mask', { mask_image: undefined }, 'mask_image: required'],
    ['a mask of another size', { mask_image: b64(splitMaskPng(256, 256, 10)) }, 'must match image dimensions 512x384'],
    ['no prompt', { prompt: ' ' }, 'prompt: must be a non-empty string'],
    ['an image that is no multiple of 8', { image: b64(image(500, 384, 1).png) }, 'multiples of 8'],
    ['a mask that is not an image', { mask_image: b64(Buffer.from('no image here')) }, 'mask_image: could not decode'],
  ])('refuses %s', async (_what, fields, expected) => {
    const err = await modelError(invoke(INPAINT, { ...request, ...fields }, jpegJson, jpegJson));
    expect(err.OriginalStatusCode).toBe(400);
    expect(err.OriginalMessage).toContain(expected);
  });

  it('answers only application/json;jpeg', async () => {
    const err = await modelError(invoke(INPAINT, request, 'application/json;png', jpegJson));
    expect(err.OriginalMessage).toContain('unsupported accept');
  });
});

describe('jumpstart-upscale-x4', () => {
  const [width, height] = [128, 96];
  const low = image(width, height, 11);
  const request = { prompt: 'a sharp photo', image: b64(low.png), noise_level: 20, seed: 3, num_inference_steps: 20 };

  it('answers the image four times larger, each pixel a 4×4 block, and the prompt', async () => {
    const answer = await invoke(UPSCALE, request, jpegJson, jpegJson);
    expect(answer.prompt).toBe('a sharp photo');
    const out = pixelsOf((answer.generated_images as string[])[0]);
    expect([out.width, out.height]).toEqual([width * 4, height * 4]);
    // Quality-100 JPEG: a rounding away from exact.
    const blocks = (x: number, y: number) => low.at(Math.floor(x / 4), Math.floor(y / 4));
    expect(maxDiff(out, 0, out.width, blocks)).toBeLessThanOrEqual(6);
    expect(
      maxDiff(out, 0, out.width, (x, y) => low.at(Math.min(Math.floor(x / 4) + 1, width - 1), Math.floor(y / 4))),
    ).toBeGreaterThan(30);
  });

  it.each([
    ['no prompt', { prompt: undefined }, 'prompt: must be a non-empty string'],
    ['no image', { image: undefined }, 'image: required'],
    ['an image over 512 px', { image: b64(image(520, 96, 1).png) }, 'between 64 and 512'],
    ['a noise level over 350', { noise_level: 400 }, 'noise_level: must be an integer between 0 and 350'],
  ])('refuses %s', async (_what, fields, expected) => {
    const err = await modelError(invoke(UPSCALE, { ...request, ...fields }, jpegJson, jpegJson));
    expect(err.OriginalStatusCode).toBe(400);
    expect(err.OriginalMessage).toContain(expected);
  });
});
