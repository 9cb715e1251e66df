import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { decode as decodeJpeg } from 'jpeg-js';
import { testCredentials } from './fakes/keys.js';
import { jpegSize, pngSize, renderJpeg, renderPng } from './fakes/png.js';
import { startFakeSageMaker, type FakeSageMaker, type FaultMode } from './fakes/sagemaker-endpoint.js';

const JS = 'sd21';
const HF = 'hf-sd';

interface JumpStartAnswer {
  generated_images: string[];
  prompt: string;
}

function text(body: Uint8Array): string {
  return Buffer.from(body).toString('utf8');
}

async function modelError(p: Promise<unknown>): Promise<ModelError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('expected a ModelError');
}

describe('payload formats of the fake endpoint', () => {
  let fake: FakeSageMaker;
  let client: SageMakerRuntimeClient;

  const invoke = (endpoint: string, body: string, accept: string | undefined, contentType = 'application/json') =>
    client.send(
      new InvokeEndpointCommand({
        EndpointName: endpoint,
        Body: body,
        ContentType: contentType,
        ...(accept !== undefined ? { Accept: accept } : {}),
      }),
    );

  beforeAll(async () => {
    fake = await startFakeSageMaker({
      endpoints: {
        [JS]: { status: 'InService', format: 'jumpstart-sd' },
        [HF]: { status: 'InService', format: 'hf-diffusers' },
        sdxl: { status: 'InService' },
      },
    });
    client = new SageMakerRuntimeClient({
      endpoint: fake.url,
      region: 'us-east-1',
      credentials: testCredentials,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  describe('jumpstart-sd', () => {
    it('answers base64 JPEGs of the requested size, one per image, seeds recorded', async () => {
      const request = {
        prompt: 'a castle on a hill',
        negative_prompt: 'fog',
        width: 768,
        height: 512,
        num_inference_steps: 30,
        guidance_scale: 7.5,
        seed: 42,
        num_images_per_prompt: 2,
      };
      const out = await invoke(JS, JSON.stringify(request), 'application/json;jpeg');
      expect(out.ContentType).toBe('application/json');
      const answer = JSON.parse(text(out.Body)) as JumpStartAnswer;
      expect(answer.prompt).toBe('a castle on a hill');
      expect(answer.generated_images).toHaveLength(2);
      const [a, b] = answer.generated_images.map((s) => Buffer.from(s, 'base64'));
      if (!a || !b) throw new Error('missing images');
      expect([...a.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      expect(jpegSize(a)).toEqual({ width: 768, height: 512 });
      const decoded = decodeJpeg(a, { useTArray: true });
      expect([decoded.width, decoded.height]).toEqual([768, 512]);
      expect(a.equals(b)).toBe(false);
      expect(a.equals(renderJpeg(768, 512, 42))).toBe(true);

      const inv = fake.invocations[0];
      expect(inv?.format).toBe('jumpstart-sd');
      expect(inv?.body).toEqual(request);
      expect(inv?.seeds).toEqual([42, 43]);
      expect(inv?.status).toBe(200);
    });

    it('defaults to 512x512, picks and records a random seed, is deterministic for a seed', async () => {
      const out = await invoke(JS, JSON.stringify({ prompt: 'a boat' }), 'application/json;jpeg');
      const [img] = (JSON.parse(text(out.Body)) as JumpStartAnswer).generated_images;
      const bytes = Buffer.from(img ?? '', 'base64');
      expect(jpegSize(bytes)).toEqual({ width: 512, height: 512 });
      const seed = fake.invocations[0]?.seeds?.[0];
      expect(typeof seed).toBe('number');
      const again = await invoke(JS, JSON.stringify({ prompt: 'a boat', seed }), 'application/json;jpeg');
      const [img2] = (JSON.parse(text(again.Body)) as JumpStartAnswer).generated_images;
      expect(img2).toBe(img);
    });

    it('takes the bare prompt as application/x-text', async () => {
      const out = await invoke(JS, 'a lighthouse', 'application/json;jpeg', 'application/x-text');
      const answer = JSON.parse(text(out.Body)) as JumpStartAnswer;
      expect(answer.prompt).toBe('a lighthouse');
      expect(answer.generated_images).toHaveLength(1);
    });

    it('supports inpainting with image and mask_image', async () => {
      const image = renderPng(512, 512, 1).toString('base64');
      const mask = renderPng(512, 512, 2).toString('base64');
      const out = await invoke(
        JS,
        JSON.stringify({ prompt: 'a red door', image, mask_image: mask, seed: 3 }),
        'application/json;jpeg',
      );
      const [img] = (JSON.parse(text(out.Body)) as JumpStartAnswer).generated_images;
      expect(jpegSize(Buffer.from(img ?? '', 'base64'))).toEqual({ width: 512, height: 512 });
    });

    it.each([
      [{ prompt: 'x', width: 500 }, 'multiple of 8'],
      [{ prompt: 'x', height: 1088 }, 'between 256 and 1024'],
      [{ prompt: 'x', width: 128 }, 'between 256 and 1024'],
      [{ prompt: '' }, 'prompt'],
      [{ prompt: 'x', num_images_per_prompt: 0 }, 'num_images_per_prompt'],
    ])('refuses %j with a ModelError', async (request, expected) => {
      const err = await modelError(invoke(JS, JSON.stringify(request), 'application/json;jpeg'));
      expect(err.name).toBe('ModelError');
      expect(err.$metadata.httpStatusCode).toBe(424);
      expect(err.OriginalStatusCode).toBe(400);
      expect(err.OriginalMessage).toContain(expected);
    });

    it('refuses Accept application/json (pixel arrays) with a ModelError', async () => {
      const err = await modelError(invoke(JS, JSON.stringify({ prompt: 'x' }), 'application/json'));
      expect(err.OriginalMessage).toContain('unsupported accept');
      const none = await modelError(invoke(JS, JSON.stringify({ prompt: 'x' }), undefined));
      expect(none.OriginalMessage).toContain('unsupported accept');
    });
  });

  describe('hf-diffusers', () => {
    it('answers a raw PNG for Accept image/png', async () => {
      const request = {
        inputs: 'a fox in snow',
        parameters: { width: 640, height: 384, seed: 77, num_inference_steps: 25, guidance_scale: 7 },
      };
      const out = await invoke(HF, JSON.stringify(request), 'image/png');
      expect(out.ContentType).toBe('image/png');
      expect(pngSize(out.Body)).toEqual({ width: 640, height: 384 });
      expect(Buffer.from(out.Body).equals(renderPng(640, 384, 77))).toBe(true);
      expect(fake.invocations[0]?.format).toBe('hf-diffusers');
      expect(fake.invocations[0]?.seeds).toEqual([77]);
      expect(fake.invocations[0]?.body).toEqual(request);
    });

    it('answers {generated_image} for Accept application/json, 1024x1024 by default', async () => {
      const out = await invoke(HF, JSON.stringify({ inputs: 'a fox' }), 'application/json');
      expect(out.ContentType).toBe('application/json');
      const answer = JSON.parse(text(out.Body)) as { generated_image: string };
      expect(pngSize(Buffer.from(answer.generated_image, 'base64'))).toEqual({ width: 1024, height: 1024 });
      expect(typeof fake.invocations[0]?.seeds?.[0]).toBe('number');
    });

    it.each([
      [{ inputs: 'x', parameters: { width: 1030 } }, 'multiple of 8'],
      [{ inputs: 'x', parameters: { height: 2048 } }, 'between 64 and 1024'],
      [{ prompt: 'x' }, 'inputs'],
    ])('refuses %j with a ModelError', async (request, expected) => {
      const err = await modelError(invoke(HF, JSON.stringify(request), 'image/png'));
      expect(err.OriginalStatusCode).toBe(400);
      expect(err.OriginalMessage).toContain(expected);
    });
  });

  describe('faults in every format', () => {
    const requests: Record<string, { endpoint: string; body: string; accept: string }> = {
      stability: {
        endpoint: 'sdxl',
        body: JSON.stringify({ text_prompts: [{ text: 'x' }], seed: 1 }),
        accept: 'application/json;png',
      },
      'jumpstart-sd': { endpoint: JS, body: JSON.stringify({ prompt: 'x', seed: 1 }), accept: 'application/json;jpeg' },
      'hf-diffusers': {
        endpoint: HF,
        body: JSON.stringify({ inputs: 'x', parameters: { seed: 1, width: 256, height: 256 } }),
        accept: 'application/json',
      },
    };
    const formats = Object.keys(requests);

    it.each(formats)('%s: malformed-json answers JSON that does not parse', async (format) => {
      const r = requests[format];
      if (!r) throw new Error(format);
      fake.setBehaviour({ failNext: ['malformed-json'] });
      const out = await invoke(r.endpoint, r.body, r.accept);
      expect(() => JSON.parse(text(out.Body)) as unknown).toThrow();
    });

    it.each(formats)('%s: no-artifacts answers no image', async (format) => {
      const r = requests[format];
      if (!r) throw new Error(format);
      fake.setBehaviour({ failNext: ['no-artifacts'] });
      const out = await invoke(r.endpoint, r.body, r.accept);
      const parsed = JSON.parse(text(out.Body)) as Record<string, unknown>;
      const expected: Record<string, unknown> = {
        stability: { artifacts: [] },
        'jumpstart-sd': { generated_images: [], prompt: 'x' },
        'hf-diffusers': {},
      };
      expect(parsed).toEqual(expected[format]);
    });

    it.each(formats)('%s: bad-base64 answers something that is no image', async (format) => {
      const r = requests[format];
      if (!r) throw new Error(format);
      fake.setBehaviour({ failNext: ['bad-base64'] });
      const out = await invoke(r.endpoint, r.body, r.accept);
      const parsed = JSON.parse(text(out.Body)) as {
        artifacts?: Array<{ base64: string }>;
        generated_images?: string[];
        generated_image?: string;
      };
      const b64 = parsed.artifacts?.[0]?.base64 ?? parsed.generated_images?.[0] ?? parsed.generated_image ?? '';
      expect(b64).not.toBe('');
      const bytes = Buffer.from(b64, 'base64');
      expect(pngSize(bytes) ?? jpegSize(bytes)).toBeUndefined();
    });

    it('hf-diffusers raw PNG: bad-base64 and malformed-json answer bytes that are no valid PNG', async () => {
      const r = requests['hf-diffusers'];
      if (!r) throw new Error('hf');
      fake.setBehaviour({ failNext: ['bad-base64', 'malformed-json'] });
      const bad = await invoke(r.endpoint, r.body, 'image/png');
      expect(pngSize(bad.Body)).toBeUndefined();
      const truncated = await invoke(r.endpoint, r.body, 'image/png');
      expect(truncated.Body.length).toBeLessThan(100);
    });

    it.each(['jumpstart-sd', 'hf-diffusers'])('%s: content-filtered is a plain success', async (format) => {
      const r = requests[format];
      if (!r) throw new Error(format);
      fake.setBehaviour({ failNext: ['content-filtered'] });
      const out = await invoke(r.endpoint, r.body, r.accept);
      const parsed = JSON.parse(text(out.Body)) as { generated_images?: string[]; generated_image?: string };
      const b64 = parsed.generated_images?.[0] ?? parsed.generated_image ?? '';
      const bytes = Buffer.from(b64, 'base64');
      expect(pngSize(bytes) ?? jpegSize(bytes)).toBeDefined();
    });

    it.each(formats)('%s: SageMaker-level faults still apply', async (format) => {
      const r = requests[format];
      if (!r) throw new Error(format);
      const faults: FaultMode[] = ['ModelError'];
      fake.setBehaviour({ failNext: faults });
      const err = await modelError(invoke(r.endpoint, r.body, r.accept));
      expect(err.$metadata.httpStatusCode).toBe(424);
    });
  });
});
