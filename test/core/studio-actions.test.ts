import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseImagePath } from '../../src-main/core/policy';
import { startServer } from '../../src-main/server/server';
import { testCredentials } from '../fakes/keys';
import { pngSize, renderPng } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, callError, configure, imagePath, startCore } from '../support/core';
import { openSession } from '../support/web-session';

let fake: FakeSageMaker;
beforeAll(async () => {
  useAwsProfiles({ default: testCredentials });
  fake = await startFakeSageMaker({
    endpoints: {
      sdxl: { status: 'InService', format: 'stability' },
      sd21: { status: 'InService', format: 'jumpstart-sd' },
    },
  });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const ready = async () => {
  const core = startCore();
  await configure(core, {
    models: [
      { modelId: 'sdxl', endpointName: 'sdxl' },
      { modelId: 'sd21', endpointName: 'sd21', format: 'jumpstart-sd' },
    ],
    endpointOverrides: { sagemakerRuntime: fake.url },
  });
  return core;
};

/** A PNG chunk reader written for the test, independent of the app's own code. */
const textChunks = (png: Buffer): Record<string, string> => {
  const out: Record<string, string> = {};
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'tEXt') {
      const nul = data.indexOf(0);
      out[data.toString('latin1', 0, nul)] = data.toString('latin1', nul + 1);
    } else if (type === 'iTXt') {
      const nul = data.indexOf(0);
      const keyword = data.toString('latin1', 0, nul);
      const compressed = data[nul + 1] === 1;
      let rest = data.subarray(nul + 3);
      rest = rest.subarray(rest.indexOf(0) + 1); // language tag
      rest = rest.subarray(rest.indexOf(0) + 1); // translated keyword
      out[keyword] = (compressed ? inflateSync(rest) : rest).toString('utf8');
    }
    at += 12 + length;
  }
  return out;
};

describe('image to image', () => {
  it('sends an uploaded image, resized to the output size, with the strength', async () => {
    const core = await ready();
    const upload = await call(core, 'uploadInitImage', {
      bytes: new Uint8Array(renderPng(300, 200, 5)),
      name: 'sketch.png',
    });
    expect(upload).toMatchObject({ width: 300, height: 200, url: `/images/uploads/${upload.id}.png` });
    const g = await call(core, 'generate', {
      input: {
        prompt: 'a cat',
        initImage: { kind: 'upload', id: upload.id },
        imageStrength: 0.6,
        width: 1216,
        height: 832,
      },
      count: 2,
    });
    expect(g.images).toHaveLength(2);
    expect(fake.invocations).toHaveLength(2);
    const body = fake.invocations[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ init_image_mode: 'IMAGE_STRENGTH', image_strength: 0.6 });
    expect(pngSize(Buffer.from(String(body.init_image), 'base64'))).toEqual({ width: 1216, height: 832 });
    expect(fake.invocations[1]?.body).toMatchObject({ init_image: body.init_image });
    // The upload's preview is served, and so is its thumbnail.
    expect(await imagePath(core, parseImagePath(upload.url.replace('/images', ''))!)).toMatch(/uploads/);
  });

  it('starts from an image of the library (variations)', async () => {
    const core = await ready();
    const first = await call(core, 'generate', { input: { prompt: 'a dog' }, count: 1 });
    const image = first.images[0]!;
    await call(core, 'generate', {
      input: { prompt: 'a dog', initImage: { kind: 'library', generationId: first.id, imageId: image.id } },
      count: 1,
    });
    const body = fake.invocations[1]?.body as Record<string, unknown>;
    expect(
      Buffer.from(String(body.init_image), 'base64').equals(
        readFileSync(join(core.dataDir, 'generations', first.id, `${image.id}.png`)),
      ),
    ).toBe(true);
  });

  it('keeps an uploaded PNG byte for byte, re-encodes other formats, and refuses a PNG cut short', async () => {
    const core = await ready();
    const png = renderPng(120, 80, 3);
    const kept = await call(core, 'uploadInitImage', { bytes: new Uint8Array(png) });
    expect(kept).toMatchObject({ width: 120, height: 80 });
    expect(readFileSync(join(core.dataDir, 'uploads', `${kept.id}.png`)).equals(png)).toBe(true);

    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    const converted = await call(core, 'uploadInitImage', { bytes: new Uint8Array(jpeg) });
    expect(converted).toMatchObject({ width: 64, height: 48 });
    const stored = readFileSync(join(core.dataDir, 'uploads', `${converted.id}.png`));
    expect(stored.subarray(1, 4).toString('latin1')).toBe('PNG');

    const cut = await callError(core, 'uploadInitImage', { bytes: new Uint8Array(png.subarray(0, png.length - 40)) });
    expect(cut.code).toBe('input.invalid');
  });

  it('refuses what cannot work, before calling the endpoint', async () => {
    const core = await ready();
    expect(
      (await callError(core, 'uploadInitImage', { bytes: new Uint8Array(Buffer.from('not an image')) })).code,
    ).toBe('input.invalid');
    const missing = await callError(core, 'generate', {
      input: { prompt: 'x', initImage: { kind: 'upload', id: '01JDZ7Q0M0A6W5Y3G3V6Q7N8PZ' } },
      count: 1,
    });
    expect(missing.code).toBe('library.not_found');
    const upload = await call(core, 'uploadInitImage', { bytes: new Uint8Array(renderPng(64, 64, 1)) });
    const sd21 = await callError(core, 'generate', {
      input: { prompt: 'x', modelId: 'sd21', width: 768, height: 768, initImage: { kind: 'upload', id: upload.id } },
      count: 1,
    });
    expect(sd21).toMatchObject({ code: 'input.invalid', message: expect.stringMatching(/do not take an image/) });
    expect(fake.requests).toBe(0);
  });
});

describe('downloads with parameters', () => {
  it('embeds AUTOMATIC1111 parameters and our JSON, leaving the image intact', async () => {
    const core = await ready();
    const g = await call(core, 'generate', {
      input: {
        prompt: 'a red fox in snow',
        negativePrompt: 'blurry',
        steps: 25,
        cfgScale: 6.5,
        sampler: 'K_EULER',
        seed: 77,
      },
      count: 1,
    });
    const image = g.images[0]!;
    const exported = await core.images.export({ generationId: g.id, imageId: image.id, variant: 'params.png' });
    expect(exported?.filename).toBe('a-red-fox-in-snow-77.png');
    const chunks = textChunks(exported!.bytes);
    expect(chunks.parameters).toBe(
      'a red fox in snow\nNegative prompt: blurry\nSteps: 25, Sampler: Euler, CFG scale: 6.5, Seed: 77, Size: 1024x1024, Model: sdxl',
    );
    expect(JSON.parse(chunks.stablestudio ?? '{}')).toMatchObject({
      seed: 77,
      model: 'sdxl',
      input: { prompt: 'a red fox in snow' },
    });
    expect(pngSize(exported!.bytes)).toEqual({ width: 1024, height: 1024 });
  });

  it('uses iTXt for prompts outside Latin-1', async () => {
    const core = await ready();
    const g = await call(core, 'generate', { input: { prompt: '富士山の夜明け', seed: 3 }, count: 1 });
    const exported = await core.images.export({
      generationId: g.id,
      imageId: g.images[0]!.id,
      variant: 'params.png',
    });
    expect(textChunks(exported!.bytes).parameters).toMatch(/^富士山の夜明け\nSteps: 30/);
  });
});

describe('search and desktop actions', () => {
  it('finds generations by every word of the prompt, newest first, across pages', async () => {
    const core = await ready();
    const a = await call(core, 'generate', { input: { prompt: 'Red castle at dawn' }, count: 1 });
    await call(core, 'generate', { input: { prompt: 'blue lake' }, count: 1 });
    const c = await call(core, 'generate', {
      input: { prompt: 'a red castle, night', negativePrompt: 'fog' },
      count: 1,
    });
    expect((await call(core, 'searchGenerations', { query: 'castle red' })).generations.map((g) => g.id)).toEqual([
      c.id,
      a.id,
    ]);
    const first = await call(core, 'searchGenerations', { query: 'castle', limit: 1 });
    expect(first.generations.map((g) => g.id)).toEqual([c.id]);
    const second = await call(core, 'searchGenerations', { query: 'castle', limit: 1, cursor: first.nextCursor! });
    expect(second.generations.map((g) => g.id)).toEqual([a.id]);
    expect((await call(core, 'searchGenerations', { query: 'fog' })).generations.map((g) => g.id)).toEqual([c.id]);
    await call(core, 'deleteImages', { generationId: c.id });
    expect((await call(core, 'searchGenerations', { query: 'castle' })).generations.map((g) => g.id)).toEqual([a.id]);
  });

  it('says reveal and drag need the desktop app in web mode', async () => {
    const core = await ready();
    expect(await call(core, 'getCapabilities')).toEqual({ desktop: false });
    const g = await call(core, 'generate', { input: { prompt: 'x' }, count: 1 });
    expect((await callError(core, 'revealImage', { generationId: g.id, imageId: g.images[0]!.id })).code).toBe(
      'unsupported',
    );
  });
});

describe('web mode routes', () => {
  it('takes an init image as raw bytes and serves downloads with parameters', async () => {
    const core = await ready();
    const server = await startServer({ core, rendererDir: core.dataDir, port: 0 });
    const headers = { cookie: await openSession(server) };
    const upload = await fetch(`${server.url}/api/uploadInitImage`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'image/png', 'X-File-Name': encodeURIComponent('my sketch.png') },
      body: renderPng(80, 60, 9),
    });
    const result = (await upload.json()) as { ok: boolean; value: { width: number; url: string } };
    expect(result).toMatchObject({ ok: true, value: { width: 80 } });
    expect((await fetch(`${server.url}${result.value.url}`, { headers })).headers.get('content-type')).toBe(
      'image/png',
    );

    const g = await call(core, 'generate', { input: { prompt: 'download me', seed: 5 }, count: 1 });
    const answer = await fetch(`${server.url}${g.images[0]!.url.replace(/\.png$/, '.params.png')}`, { headers });
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="download-me-5.png"');
    expect(textChunks(Buffer.from(await answer.arrayBuffer())).parameters).toMatch(/^download me\n/);
    await server.close();
  });
});

describe('samplers', () => {
  it('are listed by the names people know them by, with the API’s IDs', async () => {
    const samplers = await call(await ready(), 'listSamplers', { modelId: 'sdxl' });
    expect(samplers.map((s) => s.name)).toEqual([
      'DDIM',
      'DDPM',
      'DPM++ SDE',
      'DPM++ 2M',
      'DPM++ 2S Ancestral',
      'DPM2',
      'DPM2 Ancestral',
      'Euler',
      'Euler Ancestral',
      'Heun',
      'LMS',
    ]);
    expect(samplers.find((s) => s.name === 'DPM++ 2M')?.id).toBe('K_DPMPP_2M');
  });
});
