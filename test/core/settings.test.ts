import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStudioError } from '../../src-main/core/errors';
import { JsonFileSettingsBackend, SettingsService } from '../../src-main/core/settings';
import { defaultSettings } from '../../src-shared/settings';
import type { SettingsPatch } from '../../src-shared/settings';
import { call, callError, startCore, tempDataDir } from '../support/core';

const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'studio-settings-')), 'settings.json');

const fieldsOf = (service: SettingsService, input: unknown): Record<string, string> => {
  try {
    service.save(input);
  } catch (error) {
    if (isStudioError(error) && error.code === 'settings.invalid') return error.fields ?? {};
    throw error;
  }
  throw new Error('save() accepted invalid settings');
};

const model = { modelId: 'sdxl', modelName: 'SDXL 1.0', endpointName: 'sdxl-endpoint' };

describe('settings validation', () => {
  it('starts from sensible defaults', () => {
    const s = new SettingsService(new JsonFileSettingsBackend(tempFile())).get();
    expect(s).toMatchObject({
      region: 'us-east-1',
      credentialsMode: 'profile',
      profile: 'default',
      concurrency: 4,
      models: [],
    });
    expect(s.storeGeneratedImages).toBe(false);
  });

  it('gives field-level messages and saves nothing', () => {
    const path = tempFile();
    const service = new SettingsService(new JsonFileSettingsBackend(path));
    const fields = fieldsOf(service, {
      ...defaultSettings(),
      region: 'mars-north-1',
      models: [model, { ...model, endpointName: '' }, { modelId: 'x', endpointName: '-bad-' }],
    });
    expect(fields.region).toBe('Unknown AWS region');
    expect(fields['models.1.endpointName']).toBe('Endpoint name is required');
    expect(fields['models.1.modelId']).toMatch(/Duplicate model ID/);
    expect(fields['models.2.endpointName']).toMatch(/Letters, digits and hyphens/);
    expect(() => readFileSync(path)).toThrow();
    expect(service.get().models).toEqual([]);
  });

  it('requires a region:GUID Identity Pool ID in Cognito mode', () => {
    const service = new SettingsService(new JsonFileSettingsBackend(tempFile()));
    const base = { ...defaultSettings(), credentialsMode: 'cognito', models: [model] };
    expect(fieldsOf(service, { ...base, identityPoolId: 'not-a-pool' }).identityPoolId).toMatch(/looks like/);
    expect(
      fieldsOf(service, { ...base, identityPoolId: 'xx-nowhere-9:6a1f9a7e-1c3b-4a6f-9f53-0f6c1b2a3d4e' })
        .identityPoolId,
    ).toMatch(/Unknown region/);
    const saved = service.save({ ...base, identityPoolId: 'eu-west-1:6a1f9a7e-1c3b-4a6f-9f53-0f6c1b2a3d4e' });
    expect(saved.identityPoolId).toBe('eu-west-1:6a1f9a7e-1c3b-4a6f-9f53-0f6c1b2a3d4e');
  });

  it('sign-in mode needs a user pool ID with a known region, an app client ID, an Identity Pool ID and a well-formed domain', () => {
    const service = new SettingsService(new JsonFileSettingsBackend(tempFile()));
    const base = {
      ...defaultSettings(),
      credentialsMode: 'signIn',
      models: [model],
      identityPoolId: 'eu-west-1:6a1f9a7e-1c3b-4a6f-9f53-0f6c1b2a3d4e',
      userPoolId: 'eu-west-1_AbC123',
      userPoolClientId: '4abc5def6ghi7jkl8mno9pqr0s',
    };
    const empty = fieldsOf(service, { ...base, userPoolId: '', userPoolClientId: '', identityPoolId: '' });
    expect(empty.userPoolId).toMatch(/looks like us-east-1_/);
    expect(empty.userPoolClientId).toBe('App client ID is required (the user pool → App clients)');
    expect(empty.identityPoolId).toMatch(/looks like/);
    expect(fieldsOf(service, { ...base, userPoolId: 'xx-nowhere-9_AbC123' }).userPoolId).toMatch(/Unknown region/);
    expect(fieldsOf(service, { ...base, userPoolClientId: 'has space' }).userPoolClientId).toMatch(/only letters/);
    expect(fieldsOf(service, { ...base, userPoolDomain: 'not a domain' }).userPoolDomain).toMatch(/looks like/);
    expect(fieldsOf(service, { ...base, signInLoopbackPort: 80 }).signInLoopbackPort).toMatch(/1024 to 65535/);
    const saved = service.save({ ...base, userPoolDomain: 'https://my-studio.auth.eu-west-1.amazoncognito.com/' });
    expect(saved).toMatchObject({ credentialsMode: 'signIn', userPoolId: 'eu-west-1_AbC123', rememberSignIn: false });
  });

  it('reads a settings file from before sign-in existed as valid, with sign-in off', () => {
    const path = tempFile();
    const old: Record<string, unknown> = { ...defaultSettings(), models: [model] };
    for (const key of ['userPoolId', 'userPoolClientId', 'userPoolDomain', 'rememberSignIn', 'signInLoopbackPort'])
      delete old[key];
    old.endpointOverrides = { sagemakerRuntime: '', sagemaker: '', cognitoIdentity: '', sts: '', s3: '', dynamodb: '' };
    writeFileSync(path, JSON.stringify(old));
    const service = new SettingsService(new JsonFileSettingsBackend(path));
    expect(service.recovery).toBeUndefined();
    expect(service.get()).toMatchObject({ userPoolId: '', rememberSignIn: false, signInLoopbackPort: 47615 });
    expect(service.get().endpointOverrides.userPoolIssuer).toBe('');
  });

  it('persists and notifies on save', () => {
    const path = tempFile();
    const service = new SettingsService(new JsonFileSettingsBackend(path));
    const seen: string[] = [];
    service.onChange((next) => seen.push(next.models[0]?.modelId ?? ''));
    service.save({ ...defaultSettings(), models: [model] });
    expect(seen).toEqual(['sdxl']);
    const reloaded = new SettingsService(new JsonFileSettingsBackend(path));
    expect(reloaded.get().models[0]).toEqual({ ...model, format: 'stability', inputLimit: 512 });
    expect(reloaded.recovery).toBeUndefined();
  });
});

describe('damaged settings files', () => {
  it.each([
    ['unreadable JSON', '{"models": [oops'],
    ['invalid values', JSON.stringify({ region: 'nowhere', models: 'many' })],
  ])('backs up %s and starts from defaults', (_label, content) => {
    const path = tempFile();
    writeFileSync(path, content);
    const service = new SettingsService(new JsonFileSettingsBackend(path));
    expect(service.get()).toEqual(defaultSettings());
    expect(service.recovery).toMatch(/reset/);
    const dir = join(path, '..');
    const backups = readdirSync(dir).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, backups[0] ?? ''), 'utf8')).toBe(content);
    // Once the user saves settings again, the status no longer reports the reset.
    service.save({ region: 'eu-west-1' });
    expect(service.recovery).toBeUndefined();
  });
});

describe('limits, through the dispatcher', () => {
  const pool = 'eu-west-1:6a1f9a7e-1c3b-4a6f-9f53-0f6c1b2a3d4e';
  const cases: Array<[string, SettingsPatch, string, string | RegExp]> = [
    [
      'a 5 MB model name',
      { models: [{ ...model, modelName: 'x'.repeat(5 * 1024 * 1024) }] },
      'models.0.modelName',
      'Display name is at most 100 characters',
    ],
    [
      'a model ID past 128 characters',
      { models: [{ ...model, modelId: 'm'.repeat(129) }] },
      'models.0.modelId',
      'Model ID is at most 128 characters',
    ],
    [
      'a model name over two lines',
      { models: [{ ...model, modelName: 'SDXL\n1.0' }] },
      'models.0.modelName',
      /one line/,
    ],
    [
      '10,000 models',
      { models: Array.from({ length: 10_000 }, (_, i) => ({ ...model, modelId: `m${i}` })) },
      'models',
      'At most 100 models',
    ],
    ['a profile name past 128 characters', { profile: 'p'.repeat(129) }, 'profile', /at most 128/],
    [
      'an Identity Pool ID past 55 characters',
      { identityPoolId: `${pool}${'x'.repeat(10)}` },
      'identityPoolId',
      /at most 55/,
    ],
    [
      'a role ARN past 2048 characters',
      { cognitoRoleArn: `arn:aws:iam::123456789012:role/${'r'.repeat(2048)}` },
      'cognitoRoleArn',
      /at most 2048/,
    ],
    [
      'an endpoint URL past 2048 characters',
      { endpointOverrides: { s3: `https://s3.example.com/${'p'.repeat(2048)}` } },
      'endpointOverrides.s3',
      /at most 2048/,
    ],
    ['bucket ../../x', { generationsBucket: '../../x' }, 'generationsBucket', /lowercase letters, digits, dots/],
    ['table "a b"', { generationsTable: 'a b' }, 'generationsTable', /letters, digits, underscores/],
    ['project ID ../../..', { projectId: '../../..' }, 'projectId', /starting with a letter or digit/],
    ['a project ID past 128 characters', { projectId: 'p'.repeat(129) }, 'projectId', /at most 128/],
    ['a project ID with a slash', { projectId: 'team/a' }, 'projectId', /Letters, digits/],
    ['an unknown setting', { colour: 'blue' } as SettingsPatch, 'colour', 'Not a setting of this app'],
  ];

  it.each(cases)('refuses %s, with a message at the field', async (_label, patch, field, message) => {
    const core = startCore();
    const error = await callError(core, 'saveSettings', patch);
    expect(error.code).toBe('settings.invalid');
    expect(error.fields?.[field]).toMatch(message);
    expect(await call(core, 'getSettings')).toEqual(defaultSettings());
  });

  const bucketRules: Array<[string, RegExp]> = [
    ['ab', /3 to 63/],
    ['b'.repeat(64), /3 to 63/],
    ['My-Bucket', /lowercase letters/],
    ['my_bucket', /lowercase letters/],
    ['-bucket', /begin and end/],
    ['bucket.', /begin and end/],
    ['my..bucket', /two dots/],
    ['192.168.5.4', /IP address/],
    ['xn--bucket', /begin with "xn--"/],
    ['sthree-bucket', /begin with "sthree-"/],
    ['sthree-configurator-b', /begin with "sthree-"/],
    ['amzn-s3-demo-bucket', /begin with "amzn-s3-demo-"/],
    ['bucket-s3alias', /end with "-s3alias"/],
    ['bucket--ol-s3', /end with "--ol-s3"/],
    ['bucket.mrap', /end with ".mrap"/],
    ['bucket--usw2-az1--x-s3', /end with "--x-s3"/],
  ];
  it.each(bucketRules)('refuses bucket %s by S3’s naming rules', async (bucket, message) => {
    const error = await callError(startCore(), 'saveSettings', { generationsBucket: bucket });
    expect(error.fields?.generationsBucket).toMatch(message);
  });

  const tableRules: Array<[string, RegExp]> = [
    ['ab', /3 to 255/],
    ['t'.repeat(256), /3 to 255/],
    ['a b', /letters, digits/],
    ['tab/le', /letters, digits/],
  ];
  it.each(tableRules)('refuses table %s by DynamoDB’s naming rules', async (table, message) => {
    const error = await callError(startCore(), 'saveSettings', { generationsTable: table });
    expect(error.fields?.generationsTable).toMatch(message);
  });

  it('accepts names at the limits, and empty ones while cloud storage is off', async () => {
    const core = startCore();
    const saved = await call(core, 'saveSettings', {
      models: Array.from({ length: 100 }, (_, i) => ({
        modelId: `${i}`.padStart(128, 'm'),
        modelName: 'n'.repeat(100),
        endpointName: 'e'.repeat(63),
      })),
      generationsBucket: 'my-bucket.2024',
      generationsTable: 'Stable_Studio-generations.v2',
      projectId: pool,
      storeGeneratedImages: true,
    });
    expect(saved.models).toHaveLength(100);
    expect(saved.projectId).toBe(pool);
    const off = await call(core, 'saveSettings', {
      storeGeneratedImages: false,
      generationsBucket: '',
      generationsTable: '',
      projectId: '',
    });
    expect(off).toMatchObject({ generationsBucket: '', generationsTable: '', projectId: '' });
  });
});

describe('saving some settings', () => {
  const team = {
    models: [model],
    region: 'eu-west-1',
    profile: 'studio',
    storeGeneratedImages: true,
    generationsBucket: 'team-bucket',
    generationsTable: 'team-table',
    projectId: 'team',
    endpointOverrides: { sagemakerRuntime: 'http://127.0.0.1:9' },
    concurrency: 2,
  } satisfies SettingsPatch;

  it('changes only what it names: the models alone keep every other setting', async () => {
    const core = startCore();
    const before = await call(core, 'saveSettings', team);
    const other = { modelId: 'sd21', modelName: 'SD 2.1', endpointName: 'sd21', format: 'jumpstart-sd' as const };
    const after = await call(core, 'saveSettings', { models: [other] });
    // A model saved without an input limit has the default one.
    expect(after).toEqual({ ...before, models: [{ ...other, inputLimit: 512 }] });
    // Stored, not only answered: a restart sees the same.
    const again = startCore(core.dataDir);
    expect(await call(again, 'getSettings')).toEqual(after);
    expect(again.settings.recovery).toBeUndefined();
  });

  it('refuses a model input limit outside 64–2048 px, naming the field', async () => {
    const core = startCore();
    const model = { modelId: 'x4', endpointName: 'sd-x4', format: 'jumpstart-upscale-x4' as const };
    const error = await callError(core, 'saveSettings', { models: [{ ...model, inputLimit: 32 }] });
    expect(error.fields).toEqual({ 'models.0.inputLimit': 'Input limit is at least 64 px' });
    const saved = await call(core, 'saveSettings', { models: [{ ...model, inputLimit: 768 }] });
    expect(saved.models[0]?.inputLimit).toBe(768);
  });

  it('checks the merged whole: turning cloud storage on needs the stored bucket and table', async () => {
    const core = startCore();
    const error = await callError(core, 'saveSettings', { storeGeneratedImages: true });
    expect(error.fields).toEqual({
      generationsBucket: 'Bucket is required for cloud storage',
      generationsTable: 'Table is required for cloud storage',
    });
    await call(core, 'saveSettings', { generationsBucket: 'team-bucket', generationsTable: 'team-table' });
    expect(await call(core, 'saveSettings', { storeGeneratedImages: true })).toMatchObject({
      storeGeneratedImages: true,
      generationsBucket: 'team-bucket',
    });
  });

  it('still takes the whole settings, and an empty patch changes nothing', async () => {
    const core = startCore();
    const saved = await call(core, 'saveSettings', { ...defaultSettings(), ...team });
    expect(saved).toMatchObject({ region: 'eu-west-1', concurrency: 2, projectId: 'team' });
    expect(await call(core, 'saveSettings', {})).toEqual(saved);
  });

  it('keeps a setting whose key is sent as undefined (IPC can carry undefined)', async () => {
    const core = startCore();
    await call(core, 'saveSettings', team);
    const after = await call(core, 'saveSettings', { models: undefined, concurrency: 3 });
    expect(after).toMatchObject({ models: [{ ...model, format: 'stability' }], concurrency: 3 });
  });
});

describe('stored settings an older version accepted', () => {
  const stored = (content: unknown): string => {
    const dataDir = tempDataDir();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(content));
    return dataDir;
  };

  it('keeps what is still valid, resets the rest and says so', async () => {
    const dataDir = stored({
      ...defaultSettings(),
      region: 'eu-west-1',
      models: [model, { ...model, modelId: 'long', modelName: 'x'.repeat(500) }],
      // A legacy bucket name (upper case): cloud storage is turned off with it.
      storeGeneratedImages: true,
      generationsBucket: 'Old_Bucket',
      generationsTable: 'team-table',
      projectId: 'team',
      concurrency: 6,
    });
    const core = startCore(dataDir);
    const settings = await call(core, 'getSettings');
    expect(settings).toEqual({
      ...defaultSettings(),
      region: 'eu-west-1',
      models: [{ ...model, format: 'stability', inputLimit: 512 }],
      generationsTable: 'team-table',
      projectId: 'team',
      concurrency: 6,
    });
    const notice = core.settings.recovery ?? '';
    expect(notice).toMatch(/1 of the models, Store generated images, Generations bucket/);
    expect(notice).toMatch(/others were kept/);
    expect((await call(core, 'getStatus')).text).toBe(notice);
    // The old file is kept aside, and what was kept is stored: the next start has nothing to say.
    const backups = readdirSync(dataDir).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(notice).toContain(backups[0]);
    const again = startCore(dataDir);
    expect(again.settings.recovery).toBeUndefined();
    expect(await call(again, 'getSettings')).toEqual(settings);
  });

  it('turns the classic flow off when its role ARN is no longer valid', async () => {
    const dataDir = stored({
      ...defaultSettings(),
      credentialsMode: 'cognito',
      identityPoolId: 'eu-west-1:6a1f9a7e-1c3b-4a6f-9f53-0f6c1b2a3d4e',
      cognitoClassicFlow: true,
      cognitoRoleArn: `arn:aws:iam::123456789012:role/${'r'.repeat(3000)}`,
    });
    const settings = await call(startCore(dataDir), 'getSettings');
    expect(settings).toMatchObject({ credentialsMode: 'cognito', cognitoClassicFlow: false, cognitoRoleArn: '' });
  });
});
