/**
 * The desktop app's settings store: the real electron-store (and Conf under it) with only
 * `electron`'s app paths replaced, driven by the core's SettingsService as the app drives it.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { JsonFileSettingsBackend, SettingsService } from '../../src-main/core/settings';
import { defaultSettings } from '../../src-shared/settings';

vi.mock('electron', () => {
  const electron = {
    app: { getPath: () => tmpdir(), getVersion: () => '0.0.0-test', getName: () => 'studio-test' },
    ipcMain: { on: () => undefined, handle: () => undefined },
    shell: {},
  };
  // electron-store imports the CommonJS module's default export.
  return { ...electron, default: electron };
});

const { ElectronStoreBackend } = await import('../../src-main/shell/settings-store');

const userData = (): string => mkdtempSync(join(tmpdir(), 'studio-userdata-'));

const configured = {
  ...defaultSettings(),
  region: 'eu-west-1' as const,
  models: [
    {
      modelId: 'sdxl',
      modelName: 'SDXL 1.0',
      endpointName: 'sdxl-prod',
      format: 'stability' as const,
      inputLimit: 512,
    },
  ],
  concurrency: 6,
};

describe('settings in electron-store', () => {
  it('keeps what was saved across a restart, in <userData>/settings.json', () => {
    const dir = userData();
    new SettingsService(new ElectronStoreBackend(dir)).save(configured);
    const again = new SettingsService(new ElectronStoreBackend(dir));
    expect(again.recovery).toBeUndefined();
    expect(again.get()).toEqual(configured);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ region: 'eu-west-1' });
  });

  it('reads a file saved before models had an input limit as it is, each model taking the default', () => {
    const dir = userData();
    const { inputLimit: _limit, ...model } = configured.models[0]!;
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...configured, models: [model] }));
    const service = new SettingsService(new ElectronStoreBackend(dir));
    expect(service.recovery).toBeUndefined();
    expect(service.get()).toEqual(configured);
  });

  it('writes the settings file readable by the user only (0600)', () => {
    if (process.platform === 'win32') return;
    const dir = userData();
    new SettingsService(new ElectronStoreBackend(dir)).save(configured);
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('reads the file web mode writes, and web mode reads what it writes', () => {
    const dir = userData();
    new SettingsService(new JsonFileSettingsBackend(join(dir, 'settings.json'))).save(configured);
    expect(new SettingsService(new ElectronStoreBackend(dir)).get()).toEqual(configured);
    const other = userData();
    new SettingsService(new ElectronStoreBackend(other)).save(configured);
    expect(new SettingsService(new JsonFileSettingsBackend(join(other, 'settings.json'))).get()).toEqual(configured);
  });

  it.each([
    ['not JSON', '{"region": "eu-'],
    ['against the schema', JSON.stringify({ concurrency: 'lots', models: 'none' })],
  ])('starts from defaults when the file is %s, and keeps the old file aside', (_label, content) => {
    const dir = userData();
    writeFileSync(join(dir, 'settings.json'), content);
    const service = new SettingsService(new ElectronStoreBackend(dir));
    expect(service.recovery).toMatch(/reset.*settings\.json\.corrupt-/);
    expect(service.get()).toEqual(defaultSettings());
    const aside = readdirSync(dir).find((n) => n.startsWith('settings.json.corrupt-'));
    expect(aside && readFileSync(join(dir, aside), 'utf8')).toBe(content);
    // The app goes on: the next save lands in a fresh file.
    service.save(configured);
    expect(new SettingsService(new ElectronStoreBackend(dir)).get()).toEqual(configured);
  });

  it('keeps what is still valid of a file its schema now refuses (an older version wrote it)', () => {
    const dir = userData();
    const old = {
      ...configured,
      // Past today's limits: electron-store's JSON schema refuses the file as a whole.
      models: [...configured.models, { modelId: 'long', modelName: 'n'.repeat(500), endpointName: 'sdxl-long' }],
      generationsBucket: 'Legacy_Bucket',
    };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(old));
    const service = new SettingsService(new ElectronStoreBackend(dir));
    expect(service.get()).toEqual(configured);
    expect(service.recovery).toMatch(
      /reset \(1 of the models, Generations bucket\); the others were kept.*settings\.json\.corrupt-/,
    );
    const again = new SettingsService(new ElectronStoreBackend(dir));
    expect(again.recovery).toBeUndefined();
    expect(again.get()).toEqual(configured);
  });
});
