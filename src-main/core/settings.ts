import { existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultSettings, fieldErrors, settingsSchema } from '../../src-shared/settings';
import type { Settings } from '../../src-shared/settings';
import { StudioError } from './errors';
import { mkdirPrivateSync, writeFileAtomicSync } from './fs-atomic';

/** Where settings persist: electron-store in the desktop app, a JSON file in web mode and tests. */
export interface SettingsBackend {
  /** The raw stored value, or undefined when nothing is stored yet. Throws when unreadable. */
  read(): unknown;
  write(settings: Settings): void;
  /** Moves the unreadable/invalid store aside; returns where it went. */
  backup(): string | undefined;
}

export type SettingsListener = (next: Settings, previous: Settings) => void;

export class SettingsService {
  private current: Settings;
  private readonly listeners = new Set<SettingsListener>();
  /** Set when the stored settings could not be used and were reset. */
  readonly recovery: string | undefined;

  constructor(private readonly backend: SettingsBackend) {
    const { settings, recovery } = SettingsService.load(backend);
    this.current = settings;
    this.recovery = recovery;
  }

  private static load(backend: SettingsBackend): { settings: Settings; recovery?: string } {
    let raw: unknown;
    try {
      raw = backend.read();
    } catch (error) {
      const moved = backend.backup();
      return {
        settings: defaultSettings(),
        recovery: `Settings could not be read (${String(error)}); they were reset${moved ? `, the old file is at ${moved}` : ''}.`,
      };
    }
    if (raw === undefined) return { settings: defaultSettings() };
    const parsed = settingsSchema.safeParse(raw);
    if (parsed.success) return { settings: parsed.data };
    const moved = backend.backup();
    return {
      settings: defaultSettings(),
      recovery: `Stored settings were invalid and were reset${moved ? `; the old file is at ${moved}` : ''}.`,
    };
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /** Validates and stores; invalid input throws `settings.invalid` with field messages and stores nothing. */
  save(input: unknown): Settings {
    const parsed = settingsSchema.safeParse(input);
    if (!parsed.success) {
      throw new StudioError(
        'settings.invalid',
        'Some settings are not valid; nothing was saved.',
        undefined,
        fieldErrors(parsed.error),
      );
    }
    const previous = this.current;
    this.backend.write(parsed.data);
    this.current = parsed.data;
    for (const listener of this.listeners) listener(this.get(), previous);
    return this.get();
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Settings in a JSON file, for web mode and tests. */
export class JsonFileSettingsBackend implements SettingsBackend {
  constructor(private readonly path: string) {}

  read(): unknown {
    if (!existsSync(this.path)) return undefined;
    return JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
  }

  write(settings: Settings): void {
    mkdirPrivateSync(dirname(this.path));
    writeFileAtomicSync(this.path, `${JSON.stringify(settings, null, 2)}\n`);
  }

  backup(): string | undefined {
    if (!existsSync(this.path)) return undefined;
    const target = `${this.path}.corrupt-${Date.now()}`;
    renameSync(this.path, target);
    return target;
  }
}
