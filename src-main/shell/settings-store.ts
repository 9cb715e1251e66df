import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Store from 'electron-store';
import type { Schema } from 'electron-store';
import type { Settings } from '../../src-shared/settings';
import { privateFileMode } from '../core/fs-atomic';
import { settingsFileName } from '../core/paths';
import type { SettingsBackend } from '../core/settings';
import { settingsJsonSchemaProperties } from '../core/settings-schema-json';

type StoredSettings = Record<string, unknown>;

/**
 * Settings in electron-store (`<userData>/settings.json`, the same file web mode uses),
 * validated by a JSON schema derived from the zod schema.
 */
export class ElectronStoreBackend implements SettingsBackend {
  private store: Store<StoredSettings> | undefined;

  constructor(private readonly dir: string) {}

  private open(): Store<StoredSettings> {
    this.store ??= new Store<StoredSettings>({
      cwd: this.dir,
      name: settingsFileName.replace(/\.json$/, ''),
      schema: settingsJsonSchemaProperties() as Schema<StoredSettings>,
      clearInvalidConfig: false,
      // Private to the user, like every file of the data folder.
      configFileMode: privateFileMode,
    });
    return this.store;
  }

  read(): unknown {
    let stored: StoredSettings;
    try {
      stored = this.open().store;
    } catch (error) {
      // electron-store refuses a file its schema rejects (values an older version accepted, a hand
      // edit); the core decides what of it to keep. A file that is not JSON stays unreadable.
      const path = join(this.dir, settingsFileName);
      if (!existsSync(path)) throw error;
      return JSON.parse(readFileSync(path, 'utf8')) as unknown;
    }
    return Object.keys(stored).length === 0 ? undefined : stored;
  }

  write(settings: Settings): void {
    this.open().store = { ...settings };
  }

  backup(): string | undefined {
    this.store = undefined;
    const path = join(this.dir, settingsFileName);
    if (!existsSync(path)) return undefined;
    const target = `${path}.corrupt-${Date.now()}`;
    renameSync(path, target);
    return target;
  }
}
