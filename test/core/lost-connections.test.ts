import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src-main/core/aws/clients';
import { invokeForImage } from '../../src-main/core/inference/invoke';
import { StateStore } from '../../src-main/core/state-store';
import { generationInputSchema } from '../../src-shared/generation';
import { settingsSchema } from '../../src-shared/settings';
import { startFlakyRuntime } from '../fakes/flaky-runtime';
import type { FlakyRuntime } from '../fakes/flaky-runtime';
import { testCredentials } from '../fakes/keys';
import { useAwsProfiles } from '../support/aws-profile';
import { call, callError, configure, startCore, tempDataDir } from '../support/core';

let runtime: FlakyRuntime;

beforeAll(async () => {
  useAwsProfiles({ studio: testCredentials });
  runtime = await startFlakyRuntime();
});
afterAll(async () => runtime.close());
beforeEach(() => runtime.reset());

const model = { modelId: 'sdxl', endpointName: 'sdxl-test' };
const input = { prompt: 'a lighthouse in a storm' };
const ready = async (invokeTimeoutMs?: number) => {
  const core = startCore(undefined, invokeTimeoutMs);
  await configure(core, { models: [model], profile: 'studio', endpointOverrides: { sagemakerRuntime: runtime.url } });
  return core;
};
const blamesTheModel = /steps|size|in time/i;

describe('a connection lost before the endpoint answered', () => {
  it('is sent again: a Dream on a keep-alive connection the server has just closed still gets its image', async () => {
    const core = await ready();
    expect((await call(core, 'generate', { input, count: 1 })).images).toHaveLength(1);
    runtime.plan({ next: ['drop'] });
    const second = await call(core, 'generate', { input, count: 1 });
    expect(second.status).toBe('done');
    expect(second.images).toHaveLength(1);
    expect(runtime.requests).toEqual([
      { action: 'answer', reused: false },
      { action: 'drop', reused: true },
      { action: 'answer', reused: false },
    ]);
  });

  it('says the connection was lost, not that the model was slow, when every attempt is lost', async () => {
    const core = await ready();
    runtime.plan({ always: 'drop' });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('aws.unreachable');
    expect(error.message).toBe('The connection to endpoint "sdxl-test" was lost before it answered (ECONNRESET).');
    expect(error.hint).toMatch(/^It was sent 4 times\. /);
    expect(`${error.message} ${error.hint}`).not.toMatch(blamesTheModel);
    expect(runtime.requests).toHaveLength(4);
  });

  it('says an answer was cut short on the way, not that the model was slow', async () => {
    const core = await ready();
    runtime.plan({ always: 'cut' });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('aws.unreachable');
    expect(error.message).toMatch(/^The connection to endpoint "sdxl-test" was lost while its answer was arriving/);
    expect(`${error.message} ${error.hint}`).not.toMatch(blamesTheModel);
    expect(runtime.requests).toHaveLength(4);
  });
});

describe('an endpoint that does not answer within the request timeout', () => {
  it('did not answer in time (with the 60 s hint), and the request is not sent again', async () => {
    const core = await ready(200);
    runtime.plan({ always: 'hang' });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('sagemaker.timeout');
    expect(error.message).toBe('Endpoint "sdxl-test" did not answer in time.');
    expect(error.hint).toMatch(/60 seconds; try fewer steps or a smaller size/);
    expect(runtime.requests).toEqual([{ action: 'hang', reused: false }]);
  });
});

describe('the runtime client’s keep-alive connections', () => {
  it('are closed by the client once idle, before a server’s usual 5 s', async () => {
    const settings = settingsSchema.parse({
      profile: 'studio',
      endpointOverrides: { sagemakerRuntime: runtime.url },
    });
    const clients = new AwsClients(settings, new StateStore(join(tempDataDir(), 'state.json')), undefined, 50);
    const artifacts = await invokeForImage(clients.sagemakerRuntime(), {
      endpointName: model.endpointName,
      format: 'stability',
      input: generationInputSchema.parse(input),
      seed: 1,
    });
    expect(artifacts).toHaveLength(1);
    // The fake keeps idle connections for 10 minutes (and says so in its Keep-Alive header).
    await runtime.waitFor(() => runtime.closedByClient === 1);
    clients.reset();
  });
});
