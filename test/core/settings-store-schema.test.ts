import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import type { Schema } from 'conf';
import { describe, expect, it } from 'vitest';
import { settingsJsonSchemaProperties } from '../../src-main/core/settings-schema-json';
import { defaultSettings } from '../../src-shared/settings';

// electron-store is Conf plus Electron's paths: the schema the shell hands it is checked here with Conf itself.
type Stored = Record<string, unknown>;
const open = (cwd: string): Conf<Stored> =>
  new Conf<Stored>({
    cwd,
    configName: 'settings',
    projectName: 'studio-test',
    schema: settingsJsonSchemaProperties() as Schema<Stored>,
    clearInvalidConfig: false,
  });

describe('electron-store schema derived from zod', () => {
  it('accepts and stores valid settings', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'studio-conf-'));
    const store = open(cwd);
    const settings = {
      ...defaultSettings(),
      models: [{ modelId: 'a', modelName: 'A', endpointName: 'e', format: 'stability' }],
    };
    store.store = { ...settings };
    expect(open(cwd).store).toEqual(settings);
  });

  it('refuses a file whose values break the schema, so the core can back it up', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'studio-conf-'));
    writeFileSync(join(cwd, 'settings.json'), JSON.stringify({ concurrency: 'lots', models: 'none' }));
    expect(() => open(cwd)).toThrow(/schema/i);
  });
});
