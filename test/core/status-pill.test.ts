import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { statusPill } from '../../src-main/core/aws/health';
import { InvokeOutcomes } from '../../src-main/core/aws/invoke-outcomes';
import type { ConnectionCheck } from '../../src-shared/aws';
import { settingsSchema } from '../../src-shared/settings';
import { testCredentials } from '../fakes/keys';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { startFakeSts } from '../fakes/sts';
import type { FakeSts } from '../fakes/sts';
import { useAwsProfiles } from '../support/aws-profile';
import { call, callError, configure, startCore } from '../support/core';

let fake: FakeSageMaker;
let sts: FakeSts;

beforeAll(async () => {
  useAwsProfiles({ studio: testCredentials });
  [fake, sts] = await Promise.all([startFakeSageMaker(), startFakeSts()]);
});
afterAll(async () => Promise.all([fake.close(), sts.close()]));
beforeEach(() => fake.reset());

const model = { modelId: 'sdxl', endpointName: 'sdxl-test' };
const input = { prompt: 'a harbour at dawn' };
const ready = async (endpointOverrides: Record<string, string>) => {
  const core = startCore();
  await configure(core, { models: [model], profile: 'studio', endpointOverrides });
  return core;
};

describe('the status pill with only the SageMaker Runtime URL overridden (tests, emulators)', () => {
  it('names the check that failed before a Dream, and is healthy once a Dream has worked', async () => {
    // STS has no override: here its DNS name does not resolve (with a network, AWS refuses the test key).
    const core = await ready({ sagemakerRuntime: fake.url });
    const before = await call(core, 'getStatus');
    expect(before.indicator).toBe('error');
    expect(before.text).toMatch(
      /^Credentials check \(STS\): (Could not reach sts\.us-east-1\.amazonaws\.com \(ENOTFOUND\)|AWS rejected)/,
    );
    expect(before.text).not.toContain('Could not reach AWS');

    expect((await call(core, 'generate', { input, count: 1 })).images).toHaveLength(1);
    expect(await call(core, 'getStatus')).toEqual({ indicator: 'success', text: '1 model(s) ready in us-east-1' });
  });

  it('turns unhealthy again when a later Dream cannot reach the model, and healthy after the next that can', async () => {
    const core = await ready({ sagemakerRuntime: fake.url });
    await call(core, 'generate', { input, count: 1 });
    expect((await call(core, 'getStatus')).indicator).toBe('success');

    fake.setBehaviour({ failAlways: 'ServiceUnavailable' });
    expect((await callError(core, 'generate', { input, count: 1 })).code).toBe('sagemaker.unavailable');
    expect(await call(core, 'getStatus')).toEqual({
      indicator: 'warning',
      text: 'Endpoint sdxl-test (last Dream): SageMaker could not serve the request (ServiceUnavailable).',
    });

    fake.setBehaviour({ failAlways: null });
    await call(core, 'generate', { input, count: 1 });
    expect((await call(core, 'getStatus')).indicator).toBe('success');
  });

  it('a model error says nothing about the endpoint’s health', async () => {
    const core = await ready({ sagemakerRuntime: fake.url });
    await call(core, 'generate', { input, count: 1 });
    fake.setBehaviour({ failAlways: 'ModelError' });
    expect((await callError(core, 'generate', { input, count: 1 })).code).toBe('sagemaker.model_error');
    expect((await call(core, 'getStatus')).indicator).toBe('success');
  });
});

describe('the status pill names the service it could not ask', () => {
  it('the SageMaker API, by its address; a Dream that works makes the endpoint healthy all the same', async () => {
    const core = await ready({ sagemakerRuntime: fake.url, sts: sts.url, sagemaker: 'http://sagemaker.invalid' });
    expect(await call(core, 'getStatus')).toEqual({
      indicator: 'warning',
      text: 'Endpoint status of sdxl-test (SageMaker API): Could not reach sagemaker.invalid (ENOTFOUND).',
    });
    await call(core, 'generate', { input, count: 1 });
    expect((await call(core, 'getStatus')).indicator).toBe('success');
  });

  it('keeps the once-a-minute check: a Dream updates the pill without checking again', async () => {
    // Credentials allowed to InvokeEndpoint only (the README's least privilege): DescribeEndpoint is denied.
    const core = await ready({ sagemakerRuntime: fake.url, sts: sts.url, sagemaker: fake.url });
    fake.setBehaviour({ controlFailNext: ['AccessDeniedException'] });
    const before = await call(core, 'getStatus');
    expect(before.indicator).toBe('warning');
    expect(before.text).toMatch(/^Endpoint status of sdxl-test \(SageMaker API\): AWS denied access/);
    await call(core, 'generate', { input, count: 1 });
    expect((await call(core, 'getStatus')).indicator).toBe('success');
    expect(fake.controlCalls.DescribeEndpoint).toBe(1);
  });
});

describe('statusPill weighs the last Dream against the checks by what they know and when', () => {
  const s = settingsSchema.parse({ models: [model] });
  const credentialsUnreachable: ConnectionCheck = {
    target: 'credentials',
    label: 'AWS profile "default"',
    ok: false,
    code: 'aws.unreachable',
    message: 'Could not reach sts.us-east-1.amazonaws.com (ENOTFOUND).',
  };
  const credentialsExpired: ConnectionCheck = {
    ...credentialsUnreachable,
    code: 'aws.credentials.expired',
    message: 'Your AWS session has expired.',
    hint: 'Run: aws sso login --profile default',
  };
  const endpointFailed: ConnectionCheck = {
    target: 'endpoint:sdxl-test',
    label: 'Endpoint sdxl-test',
    ok: false,
    status: 'Failed',
    message: 'Failed: Image pull failed',
  };
  const pill = (checks: ConnectionCheck[], checkedAt: number, dreams: InvokeOutcomes) =>
    statusPill(s, { at: checkedAt, report: { ok: false, checks } }, dreams);
  const dreamed = (at: number): InvokeOutcomes => {
    const dreams = new InvokeOutcomes();
    dreams.succeeded(s, model.endpointName, at);
    return dreams;
  };

  it('a check that could not get its answer never outweighs a Dream that worked, even a newer check', () => {
    expect(pill([credentialsUnreachable], 2_000, dreamed(1_000)).indicator).toBe('success');
  });

  it('a newer check that got its answer outweighs an older Dream', () => {
    expect(pill([credentialsExpired], 2_000, dreamed(1_000))).toEqual({
      indicator: 'error',
      text: 'Credentials check (STS): Your AWS session has expired. Run: aws sso login --profile default',
    });
    expect(pill([{ ...credentialsUnreachable, ok: true }, endpointFailed], 2_000, dreamed(1_000))).toEqual({
      indicator: 'warning',
      text: 'Endpoint status of sdxl-test (SageMaker API): Failed: Image pull failed',
    });
  });

  it('a Dream that worked after the check outweighs it', () => {
    expect(pill([credentialsExpired], 1_000, dreamed(2_000)).indicator).toBe('success');
  });

  it('a Dream that failed after a good check outweighs it; an older failed Dream does not', () => {
    const dreams = new InvokeOutcomes();
    dreams.failed(s, model.endpointName, { code: 'aws.unreachable', message: 'Lost.' }, 2_000);
    const endpointOk: ConnectionCheck = { ...endpointFailed, ok: true, status: 'InService', message: 'InService.' };
    const credentialsOk: ConnectionCheck = { ...credentialsUnreachable, ok: true, message: 'Signed in.' };
    expect(pill([credentialsOk, endpointOk], 1_000, dreams)).toEqual({
      indicator: 'warning',
      text: 'Endpoint sdxl-test (last Dream): Lost.',
    });
    expect(pill([credentialsOk, endpointOk], 3_000, dreams).indicator).toBe('success');
  });

  it('a success proves nothing once the settings it was made with change', () => {
    const dreams = dreamed(1_000);
    const otherProfile = settingsSchema.parse({ models: [model], profile: 'other' });
    expect(
      statusPill(otherProfile, { at: 0, report: { ok: false, checks: [credentialsUnreachable] } }, dreams),
    ).toMatchObject({ indicator: 'error' });
  });
});
