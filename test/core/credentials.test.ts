import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCognito, TEST_IDENTITY_POOL_ID } from '../fakes/cognito-identity';
import type { FakeCognito } from '../fakes/cognito-identity';
import { testCredentials } from '../fakes/keys';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { call, callError, configure, startCore } from '../support/core';

let fake: FakeSageMaker;
let cognito: FakeCognito;
const home = mkdtempSync(join(tmpdir(), 'studio-home-'));
const aws = join(home, '.aws');
const startUrl = 'https://example.awsapps.com/start';

const writeConfig = (config: string, credentials = ''): void => {
  writeFileSync(join(aws, 'config'), config);
  writeFileSync(join(aws, 'credentials'), credentials);
};

/** An SSO token cache entry as `aws sso login` leaves it, named by the SHA-1 of the session name. */
const writeSsoToken = (session: string, expiresInMs: number): void => {
  mkdirSync(join(aws, 'sso', 'cache'), { recursive: true });
  const file = join(aws, 'sso', 'cache', `${createHash('sha1').update(session).digest('hex')}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      accessToken: 'token',
      expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
      region: 'us-east-1',
      startUrl,
    }),
  );
};

const ssoConfig = `[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = SageMakerUser
region = eu-west-1

[sso-session corp]
sso_start_url = ${startUrl}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile builder]
role_arn = arn:aws:iam::123456789012:role/Builder
source_profile = keys

[profile tool]
credential_process = /usr/bin/true
`;

beforeAll(async () => {
  mkdirSync(aws, { recursive: true });
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    delete process.env[key];
  process.env.HOME = home;
  process.env.AWS_CONFIG_FILE = join(aws, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(aws, 'credentials');
  fake = await startFakeSageMaker();
  cognito = await startFakeCognito();
});
afterAll(async () => {
  await fake.close();
  await cognito.close();
});

const model = { modelId: 'sdxl', endpointName: 'sdxl-test' };
const input = { prompt: 'a fox' };

describe('profiles', () => {
  it('lists the profiles of AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE with kind and region', async () => {
    writeConfig(ssoConfig, `[keys]\naws_access_key_id = A\naws_secret_access_key = B\n`);
    const core = startCore();
    const list = await call(core, 'listProfiles');
    expect(list.configFile).toBe(join(aws, 'config'));
    expect(list.profiles).toEqual([
      { name: 'builder', kind: 'assume-role' },
      { name: 'dev', kind: 'sso', region: 'eu-west-1' },
      { name: 'keys', kind: 'static' },
      { name: 'tool', kind: 'process' },
    ]);
  });
});

describe('SSO', () => {
  it.each([
    ['expired', -3_600_000],
    ['missing', undefined],
  ])('maps an %s SSO token to aws.credentials.expired with the login command', async (_label, expiresIn) => {
    writeConfig(ssoConfig);
    if (expiresIn !== undefined) writeSsoToken('corp', expiresIn);
    const core = startCore();
    await configure(core, { models: [model], profile: 'dev', endpointOverrides: { sagemakerRuntime: fake.url } });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('aws.credentials.expired');
    expect(error.hint).toBe('Run: aws sso login --profile dev');
  });

  it('works on the next call once the profile is fixed, without a restart', async () => {
    writeConfig(ssoConfig);
    writeSsoToken('corp', -1000);
    const core = startCore();
    await configure(core, { models: [model], profile: 'dev', endpointOverrides: { sagemakerRuntime: fake.url } });
    expect((await callError(core, 'generate', { input, count: 1 })).code).toBe('aws.credentials.expired');
    // The user fixes their credentials outside the app (here: static keys for the same profile).
    writeConfig(
      '[profile dev]\nregion = eu-west-1\n',
      `[dev]\naws_access_key_id = ${testCredentials.accessKeyId}\naws_secret_access_key = ${testCredentials.secretAccessKey}\n`,
    );
    const generation = await call(core, 'generate', { input, count: 1 });
    expect(generation.images).toHaveLength(1);
  });
});

describe('Cognito guest access (enhanced flow)', () => {
  const cognitoSettings = {
    models: [model],
    credentialsMode: 'cognito' as const,
    identityPoolId: TEST_IDENTITY_POOL_ID,
    endpointOverrides: { sagemakerRuntime: fake?.url ?? '', cognitoIdentity: '' },
  };

  it('generates with guest credentials and keeps the identity across a restart', async () => {
    const first = startCore();
    await configure(first, {
      ...cognitoSettings,
      endpointOverrides: { sagemakerRuntime: fake.url, cognitoIdentity: cognito.url },
    });
    expect((await call(first, 'generate', { input, count: 2 })).images).toHaveLength(2);
    expect(cognito.calls.GetId).toBe(1);
    const identity = [...cognito.identities.keys()][0];
    const stored = JSON.parse(readFileSync(join(first.dataDir, 'state.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(stored)).toEqual([identity]);
    // The identity never reaches the renderer.
    expect(JSON.stringify(await call(first, 'getSettings'))).not.toContain(identity);
    first.close();

    const second = startCore(first.dataDir);
    expect((await call(second, 'generate', { input, count: 1 })).images).toHaveLength(1);
    expect(cognito.calls.GetId).toBe(1);
    expect(cognito.identities.size).toBe(1);
    expect(cognito.issued.at(-1)?.identityId).toBe(identity);
  });

  it('keeps the identity through a failed call, and replaces it only when Cognito says it is gone', async () => {
    const core = startCore();
    await configure(core, {
      ...cognitoSettings,
      endpointOverrides: { sagemakerRuntime: fake.url, cognitoIdentity: cognito.url },
    });
    await call(core, 'generate', { input, count: 1 });
    const before = Object.values(
      JSON.parse(readFileSync(join(core.dataDir, 'state.json'), 'utf8')) as Record<string, string>,
    );
    cognito.setBehaviour({
      failNext: [
        'InternalErrorException',
        'InternalErrorException',
        'InternalErrorException',
        'InternalErrorException',
      ],
    });
    await call(core, 'saveSettings', { ...(await call(core, 'getSettings')), concurrency: 3 }); // fresh clients, fresh credentials
    await core.dispatch('generate', { input, count: 1 });
    const during = Object.values(
      JSON.parse(readFileSync(join(core.dataDir, 'state.json'), 'utf8')) as Record<string, string>,
    );
    expect(during).toEqual(before);

    cognito.setBehaviour({ failNext: [] });
    cognito.deleteIdentity(before[0] ?? '');
    await call(core, 'saveSettings', { ...(await call(core, 'getSettings')), concurrency: 4 });
    await core.dispatch('generate', { input, count: 1 });
    const after = Object.values(
      JSON.parse(readFileSync(join(core.dataDir, 'state.json'), 'utf8')) as Record<string, string>,
    );
    expect(after).toEqual([]);
    expect((await call(core, 'generate', { input, count: 1 })).images).toHaveLength(1);
    const renewed = Object.values(
      JSON.parse(readFileSync(join(core.dataDir, 'state.json'), 'utf8')) as Record<string, string>,
    );
    expect(renewed).toHaveLength(1);
    expect(renewed[0]).not.toBe(before[0]);
  });
});
