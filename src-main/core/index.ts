import { createDispatcher } from './dispatch';
import type { Dispatch } from './dispatch';
import { LocalLibrary } from './library/local-library';
import { SettingsService } from './settings';
import type { SettingsBackend } from './settings';
import { Studio } from './studio';

export interface CoreOptions {
  /** The user-data directory: the library lives in `<dataDir>/generations`. */
  dataDir: string;
  settingsBackend: SettingsBackend;
  imageUrl: (generationId: string, file: string) => string;
}

export interface Core {
  settings: SettingsService;
  library: LocalLibrary;
  studio: Studio;
  dispatch: Dispatch;
}

/** Wires the core the same way for Electron, web mode, tests and benchmarks. */
export const createCore = (options: CoreOptions): Core => {
  const settings = new SettingsService(options.settingsBackend);
  const library = new LocalLibrary(options.dataDir);
  const studio = new Studio({ settings, library, imageUrl: options.imageUrl });
  return { settings, library, studio, dispatch: createDispatcher(studio.handlers) };
};
