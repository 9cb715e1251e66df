import { existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  defaultSettings,
  fieldErrors,
  modelConfigSchema,
  settingsLimits,
  settingsPatchSchema,
  settingsSchema,
} from '../../src-shared/settings';
import type { ModelConfig, SettingKey, Settings } from '../../src-shared/settings';
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
  private recovered: string | undefined;

  constructor(private readonly backend: SettingsBackend) {
    const { settings, recovery } = SettingsService.load(backend);
    this.current = settings;
    this.recovered = recovery;
  }

  /** Set when the stored settings could not be used and were reset, until the user saves settings again. */
  get recovery(): string | undefined {
    return this.recovered;
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
    // Values an older version accepted, or a hand edit: keep what is still valid, reset the rest.
    const { settings, reset, droppedModels } = salvageSettings(raw);
    const moved = backend.backup();
    const where = moved ? ` The old file is at ${moved}.` : '';
    const kept = isRecord(raw) && Object.keys(raw).some((key) => key in settings && !reset.includes(key as SettingKey));
    if (!kept) return { settings: defaultSettings(), recovery: `Stored settings were invalid and were reset.${where}` };
    try {
      backend.write(settings);
    } catch {
      // Kept for this session; the next save writes them.
    }
    const names = reset.map((key) =>
      key === 'models' && settings.models.length > 0 ? `${droppedModels} of the models` : settingLabels[key],
    );
    return {
      settings,
      recovery: `Some stored settings were not valid and were reset (${names.join(', ')}); the others were kept.${where}`,
    };
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /**
   * Merges `patch` (some settings; see `settingsPatchSchema`) over the stored settings, validates
   * the result as a whole and stores it. Invalid input throws `settings.invalid` with field
   * messages and stores nothing.
   */
  save(patch: unknown): Settings {
    const parsedPatch = settingsPatchSchema.safeParse(patch);
    if (!parsedPatch.success) throw invalidSettings(fieldErrors(parsedPatch.error));
    const changes = Object.fromEntries(Object.entries(parsedPatch.data).filter(([, value]) => value !== undefined));
    const parsed = settingsSchema.safeParse({ ...this.current, ...changes });
    if (!parsed.success) throw invalidSettings(fieldErrors(parsed.error));
    const previous = this.current;
    this.backend.write(parsed.data);
    this.current = parsed.data;
    // The user has seen and saved the settings: what was reset at start is no longer news.
    this.recovered = undefined;
    for (const listener of this.listeners) listener(this.get(), previous);
    return this.get();
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const invalidSettings = (fields: Record<string, string>): StudioError =>
  new StudioError('settings.invalid', 'Some settings are not valid; nothing was saved.', undefined, fields);

/** How the recovery notice names a setting (the dialog's labels). */
const settingLabels: Record<SettingKey, string> = {
  models: 'Models',
  region: 'Region',
  credentialsMode: 'Credentials',
  profile: 'Profile',
  identityPoolId: 'Identity Pool ID',
  cognitoClassicFlow: 'Use the classic flow',
  cognitoRoleArn: 'Guest role ARN',
  userPoolId: 'User pool ID',
  userPoolClientId: 'App client ID',
  userPoolDomain: 'Domain',
  rememberSignIn: 'Remember me on this computer',
  signInLoopbackPort: 'Loopback callback port',
  storeGeneratedImages: 'Store generated images',
  generationsTable: 'Generations table',
  generationsBucket: 'Generations bucket',
  projectId: 'Project ID',
  endpointOverrides: 'Endpoint URLs',
  concurrency: 'Concurrency',
};
const settingKeys = Object.keys(settingLabels) as SettingKey[];

/**
 * A setting that turns on what another needs: when the one it needs is reset, it is turned off
 * too (cloud storage without its bucket, the classic flow without its role), rather than the
 * whole file being thrown away.
 */
const switchFor: Partial<Record<SettingKey, SettingKey>> = {
  identityPoolId: 'credentialsMode',
  cognitoRoleArn: 'cognitoClassicFlow',
  userPoolId: 'credentialsMode',
  userPoolClientId: 'credentialsMode',
  userPoolDomain: 'credentialsMode',
  generationsBucket: 'storeGeneratedImages',
  generationsTable: 'storeGeneratedImages',
  // Another project would be another shared history: better no uploads than uploads elsewhere.
  projectId: 'storeGeneratedImages',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The model rows that are valid on their own, first of each model ID, at most the limit. */
const salvageModels = (rows: unknown): ModelConfig[] | undefined => {
  if (!Array.isArray(rows)) return undefined;
  const models: ModelConfig[] = [];
  for (const row of rows) {
    const parsed = modelConfigSchema.safeParse(row);
    if (parsed.success && !models.some((m) => m.modelId === parsed.data.modelId)) models.push(parsed.data);
  }
  return models.slice(0, settingsLimits.models);
};

/**
 * Stored settings that fail validation, made valid by resetting as little as possible: invalid
 * model rows are dropped, any other invalid setting takes its default (with the switch that
 * needs it turned off). Returns the settings and the keys that were reset.
 */
export const salvageSettings = (raw: unknown): { settings: Settings; reset: SettingKey[]; droppedModels: number } => {
  if (!isRecord(raw)) return { settings: defaultSettings(), reset: [...settingKeys], droppedModels: 0 };
  const defaults = defaultSettings();
  const candidate: Record<string, unknown> = {};
  const reset = new Set<SettingKey>();
  for (const key of settingKeys) if (key in raw) candidate[key] = raw[key];
  let droppedModels = 0;
  if ('models' in raw) {
    const models = salvageModels(raw.models);
    if (models === undefined) delete candidate.models;
    else candidate.models = models;
    droppedModels = Array.isArray(raw.models) ? raw.models.length - (models?.length ?? 0) : 0;
    if (models === undefined || droppedModels > 0) reset.add('models');
  }
  // Each round resets what the last one found wrong; a reset can only uncover a switch, so two rounds suffice.
  for (let round = 0; round < 3; round++) {
    const parsed = settingsSchema.safeParse(candidate);
    if (parsed.success)
      return { settings: parsed.data, reset: settingKeys.filter((key) => reset.has(key)), droppedModels };
    for (const issue of parsed.error.issues) {
      const key = settingKeys.find((k) => k === issue.path[0]);
      if (!key) continue;
      delete candidate[key];
      reset.add(key);
      const dependent = switchFor[key];
      if (dependent && dependent in candidate) {
        if (candidate[dependent] !== defaults[dependent]) reset.add(dependent);
        delete candidate[dependent];
      }
    }
  }
  return { settings: defaultSettings(), reset: [...settingKeys], droppedModels: 0 };
};

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
