import { homedir } from 'node:os';
import { join } from 'node:path';

export const productName = 'StableStudio Desktop';
/** The installers' app ID (electron-builder.json), also Windows' AppUserModelID for notifications. */
export const appId = 'org.stablestudio.desktop';

/**
 * The same folder Electron's app.getPath('userData') gives, so web mode and the
 * desktop app share one library and one settings file.
 */
export const defaultDataDir = (): string => {
  if (process.env.STUDIO_DATA_DIR) return process.env.STUDIO_DATA_DIR;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', productName);
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), productName);
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), productName);
};

export const settingsFileName = 'settings.json';
