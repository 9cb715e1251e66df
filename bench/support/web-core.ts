import { join } from 'node:path';
import { createCore } from '../../src-main/core';
import type { Core } from '../../src-main/core';
import { JsonFileSettingsBackend } from '../../src-main/core/settings';
import { defaultSettings } from '../../src-shared/settings';
import type { SettingsInput } from '../../src-shared/settings';

/** A core wired as web mode wires it (settings in a JSON file, images under /images), with `settings` saved. */
export const webModeCore = (dataDir: string, settings: SettingsInput): Core => {
  const core = createCore({
    dataDir,
    settingsBackend: new JsonFileSettingsBackend(join(dataDir, 'settings.json')),
    imageUrl: (g, f) => `/images/${g}/${f}`,
  });
  core.settings.save({ ...defaultSettings(), ...settings });
  return core;
};
