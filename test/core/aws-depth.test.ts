import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invokeForImage } from '../../src-main/core/inference/invoke';
import { StudioError } from '../../src-main/core/errors';
import { startFakeCognito, TEST_IDENTITY_POOL_ID, TEST_UNAUTH_ROLE_ARN } from '../fakes/cognito-identity';
import type { FakeCognito } from '../fakes/cognito-identity';
import { testCredentials, wrongSecretCredentials } from '../fakes/keys';
import { jpegSize, pngSize } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { startFakeSts } from '../fakes/sts';
import type { FakeSts } from '../fakes/sts';
import { useAwsProfiles } from '../support/aws-profile';
import { call, callError, configure, startCore } from '../support/core';

let fake: FakeSageMaker;
let sts: FakeSts;
let cognito: FakeCognito;

beforeAll(async () => {
  useAwsProfiles({ default: testCredentials, wrong: wrongSecretCredentials });
  [fake, sts, cognito] = await Promise.all([
    startFakeSageMaker({
      endpoints: {
        'sdxl-live': { status: 'InService', format: 'stability' },
        'sd21-live': { status: 'InService', format: 'jumpstart-sd' },
        'hf-live': { status: 'InService', format: 'hf-diffusers' },
        'sdxl-creating': 'Creating',
        'sdxl-failed': { status: 'Failed', failureReason: 'Image pull failed' },
      },
    }),
    startFakeSts(),
    startFakeCognito(),
  ]);
});
afterAll(async () => Promise.all([fake.close(), sts.close(), cognito.close()]));
beforeEach(() => fake.reset());

const overrides = () => ({
  sagemakerRuntime: fake.url,
  sagemaker: fake.url,
  sts: sts.url,
  cognitoIdentity: cognito.url,
});
const input = { prompt: 'a red kite over the sea' };

describe('payload formats round-trip through the fake', () => {
  it('jumpstart-sd: JPEGs stored exactly as received, with the seed that was sent', async () => {
    const core = startCore();
    await configure(core, {
      models: [{ modelId: 'sd21', endpointName: 'sd21-live', format: 'jumpstart-sd' }],
      endpointOverrides: overrides(),
    });
    const defaults = await call(core, 'getDefaultInput', { modelId: 'sd21' });
    expect(defaults).toMatchObject({ width: 768, height: 768, steps: 50, cfgScale: 7.5 });
    expect(await call(core, 'listSamplers', { modelId: 'sd21' })).toEqual([]);
    const g = await call(core, 'generate', { input: { ...input, width: 768, height: 512, seed: 7 }, count: 2 });
    expect(g.images.map((i) => [i.contentType, i.seed])).toEqual([
      ['image/jpeg', 7],
      ['image/jpeg', 8],
    ]);
    const body = fake.invocations[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      prompt: input.prompt,
      width: 768,
      height: 512,
      guidance_scale: 7,
      num_images_per_prompt: 1,
    });
    expect(fake.invocations[0]?.accept).toBe('application/json;jpeg');
    const file = readFileSync(join(core.dataDir, 'generations', g.id, `${g.images[0]?.id}.jpg`));
    expect(jpegSize(file)).toEqual({ width: 768, height: 512 });
  });

  it('hf-diffusers: inputs + parameters in, one image out', async () => {
    const core = startCore();
    await configure(core, {
      models: [{ modelId: 'hf', endpointName: 'hf-live', format: 'hf-diffusers' }],
      endpointOverrides: overrides(),
    });
    const g = await call(core, 'generate', { input: { ...input, negativePrompt: 'fog', seed: 99 }, count: 1 });
    expect(g.images[0]).toMatchObject({ contentType: 'image/png', seed: 99, width: 1024 });
    expect(fake.invocations[0]?.body).toMatchObject({
      inputs: input.prompt,
      parameters: { negative_prompt: 'fog', seed: 99 },
    });
    const file = readFileSync(join(core.dataDir, 'generations', g.id, `${g.images[0]?.id}.png`));
    expect(pngSize(file)).toEqual({ width: 1024, height: 1024 });
  });

  it('refuses a size the model cannot make before calling it', async () => {
    const core = startCore();
    await configure(core, { models: [{ modelId: 'sdxl', endpointName: 'sdxl-live' }], endpointOverrides: overrides() });
    const error = await callError(core, 'generate', { input: { ...input, width: 512, height: 512 }, count: 1 });
    expect(error.code).toBe('input.invalid');
    expect(error.hint).toContain('1024×1024');
    expect(fake.requests).toBe(0);
  });
});

describe('errors people can act on', () => {
  const ready = async (invokeTimeoutMs?: number) => {
    const core = startCore(undefined, invokeTimeoutMs);
    await configure(core, { models: [{ modelId: 'sdxl', endpointName: 'sdxl-live' }], endpointOverrides: overrides() });
    return core;
  };

  it('shows a ModelError with the container’s own message, its status and its log stream', async () => {
    const core = await ready();
    fake.setBehaviour({ failAlways: 'ModelError' });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.message).toMatch(/returned an error \(400\): /);
    expect(error.message).not.toMatch(/\{"/);
    expect(error.hint).toContain('arn:aws:logs:');
  });

  it.each(['ServiceUnavailable', 'ModelNotReadyException', 'InternalFailure', 'ThrottlingException'] as const)(
    'retries %s with backoff and succeeds',
    async (fault) => {
      const core = await ready();
      fake.setBehaviour({ failNext: [fault, fault] });
      expect((await call(core, 'generate', { input, count: 1 })).images).toHaveLength(1);
      expect(fake.invocations).toHaveLength(3);
    },
  );

  it('gives up after a bounded number of attempts', async () => {
    const core = await ready();
    fake.setBehaviour({ failAlways: 'ServiceUnavailable' });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('sagemaker.unavailable');
    expect(fake.invocations).toHaveLength(4);
  });

  it('maps throttling that does not recover to sagemaker.throttled', async () => {
    const core = await ready();
    fake.setBehaviour({ failAlways: 'ThrottlingException' });
    expect((await callError(core, 'generate', { input, count: 1 })).code).toBe('sagemaker.throttled');
  });

  it('names SageMaker’s 60 s limit when the endpoint does not answer, and does not resend', async () => {
    const core = await ready(300);
    fake.setBehaviour({ latencyMs: 1500 });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('sagemaker.timeout');
    expect(error.hint).toMatch(/60 seconds/);
    expect(fake.invocations).toHaveLength(1);
  });

  it('says which endpoint is missing', async () => {
    const core = startCore();
    await configure(core, {
      models: [{ modelId: 'x', endpointName: 'no-such-endpoint' }],
      endpointOverrides: overrides(),
    });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('sagemaker.endpoint_not_found');
    expect(error.message).toContain('no-such-endpoint');
  });

  it('refuses a request body over SageMaker’s 6 MB limit before sending it', async () => {
    const client = new SageMakerRuntimeClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: testCredentials,
    });
    const huge = {
      ...input,
      prompt: 'x'.repeat(6 * 1024 * 1024 + 1),
      negativePrompt: '',
      modelId: '',
      sampler: '',
      stylePreset: '',
      cfgScale: 7,
      steps: 30,
      seed: 1,
      width: 1024,
      height: 1024,
      imageStrength: 0.35,
    };
    const attempt = invokeForImage(client, { endpointName: 'sdxl-live', format: 'stability', input: huge, seed: 1 });
    await expect(attempt).rejects.toBeInstanceOf(StudioError);
    await expect(attempt).rejects.toMatchObject({
      code: 'sagemaker.validation',
      message: expect.stringMatching(/at most 6 MB/),
    });
    expect(fake.requests).toBe(0);
  });
});

describe('Discover and Test connection', () => {
  it('lists every endpoint of the region across pages, newest first', async () => {
    const local = await startFakeSageMaker();
    const names = local.addEndpoints(250, 'bulk');
    const core = startCore();
    await configure(core, { endpointOverrides: { sagemaker: local.url, sts: sts.url } });
    const found = await call(core, 'discoverEndpoints');
    expect(found.map((e) => e.name)).toEqual([...names].reverse());
    expect(found[0]).toMatchObject({ status: 'InService', createdAt: expect.stringMatching(/^\d{4}-/) });
    expect(local.controlCalls.ListEndpoints).toBe(3);
    await local.close();
  });

  it('uses the dialog’s unsaved settings when given', async () => {
    const core = startCore();
    const unsaved = {
      ...(await call(core, 'getSettings')),
      endpointOverrides: { ...overrides(), s3: '', dynamodb: '' },
    };
    const found = await call(core, 'discoverEndpoints', unsaved);
    expect(found.map((e) => e.name).sort()).toEqual([
      'hf-live',
      'sd21-live',
      'sdxl-creating',
      'sdxl-failed',
      'sdxl-live',
    ]);
  });

  it('checks credentials and each endpoint, with a message per check', async () => {
    const core = startCore();
    await configure(core, {
      models: [
        { modelId: 'a', endpointName: 'sdxl-live' },
        { modelId: 'b', endpointName: 'sdxl-creating' },
        { modelId: 'c', endpointName: 'sdxl-failed' },
        { modelId: 'd', endpointName: 'gone' },
      ],
      endpointOverrides: overrides(),
    });
    const report = await call(core, 'testConnection');
    expect(report.ok).toBe(false);
    const byTarget = Object.fromEntries(report.checks.map((c) => [c.target, c]));
    expect(byTarget.credentials).toMatchObject({
      ok: true,
      message: expect.stringContaining('arn:aws:iam::123456789012:user/'),
    });
    expect(byTarget['endpoint:sdxl-live']).toMatchObject({ ok: true, status: 'InService' });
    expect(byTarget['endpoint:sdxl-creating']).toMatchObject({ ok: false, status: 'Creating' });
    expect(byTarget['endpoint:sdxl-failed']).toMatchObject({
      ok: false,
      status: 'Failed',
      message: expect.stringContaining('Image pull failed'),
    });
    expect(byTarget['endpoint:gone']).toMatchObject({ ok: false, status: 'missing' });
    const status = await call(core, 'getStatus');
    expect(status.indicator).toBe('warning');
    expect(status.text).toContain('sdxl-creating');
  });

  it('reports bad credentials first, and skips the endpoints', async () => {
    const core = startCore();
    await configure(core, {
      profile: 'wrong',
      models: [{ modelId: 'a', endpointName: 'sdxl-live' }],
      endpointOverrides: overrides(),
    });
    const report = await call(core, 'testConnection');
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]).toMatchObject({ target: 'credentials', ok: false });
    expect((await call(core, 'getStatus')).indicator).toBe('error');
  });

  it('explains that enhanced-flow guests cannot describe endpoints', async () => {
    const core = startCore();
    await configure(core, {
      credentialsMode: 'cognito',
      identityPoolId: TEST_IDENTITY_POOL_ID,
      models: [{ modelId: 'a', endpointName: 'sdxl-live' }],
      endpointOverrides: overrides(),
    });
    const report = await call(core, 'testConnection');
    expect(report.ok).toBe(true);
    expect(report.checks[1]).toMatchObject({ status: 'unchecked', message: expect.stringContaining('InvokeEndpoint') });
    expect((await call(core, 'generate', { input, count: 1 })).images).toHaveLength(1);
  });
});

describe('Cognito basic (classic) flow', () => {
  it('GetId → GetOpenIdToken → AssumeRoleWithWebIdentity, and those credentials reach the endpoint', async () => {
    const core = startCore();
    await configure(core, {
      credentialsMode: 'cognito',
      identityPoolId: TEST_IDENTITY_POOL_ID,
      cognitoClassicFlow: true,
      cognitoRoleArn: TEST_UNAUTH_ROLE_ARN,
      models: [{ modelId: 'a', endpointName: 'sdxl-live' }],
      endpointOverrides: overrides(),
    });
    const before = { ...sts.calls };
    expect((await call(core, 'generate', { input, count: 2 })).images).toHaveLength(2);
    expect(sts.calls.AssumeRoleWithWebIdentity - before.AssumeRoleWithWebIdentity).toBe(1);
    expect(cognito.calls.GetOpenIdToken).toBeGreaterThanOrEqual(1);
    const report = await call(core, 'testConnection');
    expect(report.checks.map((c) => c.ok)).toEqual([true, true]);
    expect(report.checks[1]?.status).toBe('InService');
  });

  it('needs the guest role ARN', async () => {
    const core = startCore();
    const error = await callError(core, 'saveSettings', {
      ...(await call(core, 'getSettings')),
      credentialsMode: 'cognito',
      identityPoolId: TEST_IDENTITY_POOL_ID,
      cognitoClassicFlow: true,
      cognitoRoleArn: 'admin',
    });
    expect(error.fields?.cognitoRoleArn).toMatch(/role ARN/);
  });
});
