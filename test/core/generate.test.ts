import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { pngSize } from '../fakes/png';
import { testCredentials, unknownCredentials, wrongSecretCredentials } from '../fakes/keys';
import { useAwsProfiles } from '../support/aws-profile';
import { call, callError, configure, startCore } from '../support/core';

let fake: FakeSageMaker;

beforeAll(async () => {
  useAwsProfiles({ studio: testCredentials, wrong: wrongSecretCredentials, stranger: unknownCredentials });
  fake = await startFakeSageMaker();
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const model = { modelId: 'sdxl', modelName: 'SDXL 1.0', endpointName: 'sdxl-test' };
const ready = async (profile = 'studio', concurrency = 4) => {
  const core = startCore();
  await configure(core, {
    models: [model],
    profile,
    concurrency,
    endpointOverrides: { sagemakerRuntime: fake.url },
  });
  return core;
};
const input = { prompt: 'a castle on a hill', negativePrompt: 'blurry' };

describe('generate (real SDK against the fake endpoint)', () => {
  it('stores each image once as a PNG with the seed the endpoint reported', async () => {
    const core = await ready();
    const generation = await call(core, 'generate', { input, count: 2, clientId: 'c1' });
    expect(generation.status).toBe('done');
    expect(generation.images).toHaveLength(2);
    const reported = fake.invocations.flatMap((i) => i.seeds ?? []).sort();
    expect(generation.images.map((i) => i.seed).sort()).toEqual(reported);
    for (const image of generation.images) {
      expect(image.url).toBe(`/images/${generation.id}/${image.id}.png`);
      const bytes = readFileSync(join(core.dataDir, 'generations', generation.id, `${image.id}.png`));
      expect(pngSize(bytes)).toEqual({ width: 1024, height: 1024 });
    }
    const body = fake.invocations[0]?.body as Record<string, unknown>;
    expect(body.text_prompts).toEqual([
      { text: 'a castle on a hill', weight: 1 },
      { text: 'blurry', weight: -1 },
    ]);
    expect(fake.invocations[0]?.accept).toBe('application/json;png');
    expect(core.seen.map((e) => e.type)).toEqual([
      'generation.started',
      'image.ready',
      'image.ready',
      'generation.done',
    ]);
    expect(core.seen.every((e) => 'clientId' in e && e.clientId === 'c1')).toBe(true);
  });

  it('uses seed, seed+1, … when the user gives a seed', async () => {
    const core = await ready();
    const generation = await call(core, 'generate', { input: { ...input, seed: 42 }, count: 3 });
    expect(generation.images.map((i) => i.seed)).toEqual([42, 43, 44]);
  });

  it('keeps the history across a restart of the core', async () => {
    const first = await ready();
    const generation = await call(first, 'generate', { input, count: 2 });
    first.close();
    const second = startCore(first.dataDir);
    const page = await call(second, 'listGenerations', { limit: 10 });
    expect(page.generations.map((g) => g.id)).toEqual([generation.id]);
    expect(page.generations[0]?.images.map((i) => i.id)).toEqual(generation.images.map((i) => i.id));
    expect(page.generations[0]?.input.prompt).toBe('a castle on a hill');
  });

  it('reports a ModelError with the original message and log stream, and stores nothing', async () => {
    const core = await ready();
    fake.setBehaviour({ failAlways: 'ModelError' });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('sagemaker.model_error');
    expect(error.message).toMatch(/sdxl-test/);
    expect(error.hint).toMatch(/arn:aws:logs:/);
    expect(fake.invocations).toHaveLength(1); // ModelError is not retried
    expect((await call(core, 'listGenerations', { limit: 10 })).generations).toEqual([]);
  });

  it('keeps the images that succeeded when others fail', async () => {
    const core = await ready('studio', 1);
    fake.setBehaviour({ failNext: ['ModelError', 'content-filtered'] });
    const generation = await call(core, 'generate', { input, count: 3 });
    expect(generation.status).toBe('partial');
    expect(generation.images).toHaveLength(1);
    expect(generation.failures.map((f) => f.error.code).sort()).toEqual([
      'sagemaker.content_filtered',
      'sagemaker.model_error',
    ]);
    expect(generation.failures.find((f) => f.finishReason === 'CONTENT_FILTERED')).toBeDefined();
    const listed = (await call(core, 'listGenerations', { limit: 10 })).generations[0];
    expect(listed?.images).toHaveLength(1);
    expect(listed?.failures).toHaveLength(2);
  });

  it('retries throttling and then succeeds', async () => {
    const core = await ready();
    fake.setBehaviour({ failNext: ['ThrottlingException'] });
    const generation = await call(core, 'generate', { input, count: 1 });
    expect(generation.images).toHaveLength(1);
    expect(fake.invocations).toHaveLength(2);
  });

  it.each([
    ['malformed-json', /not JSON/],
    ['no-artifacts', /no artifacts/],
    ['bad-base64', /not base64/],
  ] as const)('maps a %s answer to sagemaker.bad_response with its first bytes', async (fault, pattern) => {
    const core = await ready();
    fake.setBehaviour({ failAlways: fault });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('sagemaker.bad_response');
    expect(error.message).toMatch(pattern);
    expect(error.message).toMatch(/began with: \S+/);
  });

  it('rejects a wrong secret through the signature check', async () => {
    const core = await ready('wrong');
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('aws.credentials.invalid');
    expect(fake.authFailures).toBeGreaterThan(0);
  });

  it('rejects an unknown access key', async () => {
    const core = await ready('stranger');
    expect((await callError(core, 'generate', { input, count: 1 })).code).toBe('aws.credentials.invalid');
  });

  it('says which profile is missing', async () => {
    const core = await ready('nobody');
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('aws.credentials.missing');
    expect(error.hint).toMatch(/nobody/);
    expect(fake.requests).toBe(0);
  });

  it('never runs more calls at once than the concurrency setting', async () => {
    const core = await ready('studio', 2);
    fake.setBehaviour({ latencyMs: 150 });
    const generation = await call(core, 'generate', { input, count: 5 });
    expect(generation.images).toHaveLength(5);
    expect(fake.maxInFlight).toBe(2);
  });

  it('cancels every in-flight call of a generation', async () => {
    const core = await ready();
    fake.setBehaviour({ latencyMs: 3000 });
    const pending = core.dispatch('generate', { input, count: 2, clientId: 'cancel-me' });
    await fake.waitFor(() => fake.inFlight === 2, 5000);
    expect(await call(core, 'cancelGeneration', { clientId: 'cancel-me' })).toBe(true);
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('cancelled');
    await fake.waitFor(() => fake.aborted === 2, 2000);
    expect((await call(core, 'listGenerations', { limit: 5 })).generations).toEqual([]);
  });

  it('asks for a model before generating', async () => {
    const core = startCore();
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('settings.no_model');
  });

  it('validates the request before any call', async () => {
    const core = await ready();
    const error = await callError(core, 'generate', { input: { ...input, prompt: '  ' }, count: 1 });
    expect(error.code).toBe('input.invalid');
    expect(error.fields?.['input.prompt']).toBe('Type a prompt first');
    expect(fake.requests).toBe(0);
  });
});
