import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStudioError } from '../../src-main/core/errors';
import { JsonFileSettingsBackend, SettingsService } from '../../src-main/core/settings';
import { defaultSettings } from '../../src-shared/settings';

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

  it('persists and notifies on save', () => {
    const path = tempFile();
    const service = new SettingsService(new JsonFileSettingsBackend(path));
    const seen: string[] = [];
    service.onChange((next) => seen.push(next.models[0]?.modelId ?? ''));
    service.save({ ...defaultSettings(), models: [model] });
    expect(seen).toEqual(['sdxl']);
    const reloaded = new SettingsService(new JsonFileSettingsBackend(path));
    expect(reloaded.get().models[0]).toEqual({ ...model, format: 'stability' });
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
  });
});
