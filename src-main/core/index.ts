import { join } from 'node:path';
import { createDispatcher } from './dispatch';
import { ensurePrivateRoot } from './fs-atomic';
import type { Dispatch } from './dispatch';
import { LocalLibrary } from './library/local-library';
import { SettingsService } from './settings';
import type { SettingsBackend } from './settings';
import { StateStore } from './state-store';
import { Studio } from './studio';

export interface CoreOptions {
  /** The user-data directory: the library lives in `<dataDir>/generations`. */
  dataDir: string;
  settingsBackend: SettingsBackend;
  imageUrl: (generationId: string, file: string) => string;
  invokeTimeoutMs?: number;
  desktop?: { reveal(path: string): void; startDrag(path: string): void };
}

export interface Core {
  settings: SettingsService;
  library: LocalLibrary;
  studio: Studio;
  state: StateStore;
  dispatch: Dispatch;
}

/** Wires the core the same way for Electron, web mode, tests and benchmarks. */
export const createCore = (options: CoreOptions): Core => {
  // Settings, the Cognito identity and the library are the user's alone.
  ensurePrivateRoot(options.dataDir);
  const settings = new SettingsService(options.settingsBackend);
  const library = new LocalLibrary(options.dataDir);
  // Not settings, and never sent to the renderer: e.g. Cognito identity IDs.
  const state = new StateStore(join(options.dataDir, 'state.json'));
  const studio = new Studio({
    settings,
    library,
    state,
    dataDir: options.dataDir,
    imageUrl: options.imageUrl,
    ...(options.invokeTimeoutMs ? { invokeTimeoutMs: options.invokeTimeoutMs } : {}),
    ...(options.desktop ? { desktop: options.desktop } : {}),
  });
  return { settings, library, studio, state, dispatch: createDispatcher(studio.handlers) };
};
