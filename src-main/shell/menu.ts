import type { MenuItemConstructorOptions } from 'electron';

/** What the menu's own items do; the shell supplies them (and the tests record them). */
export interface MenuActions {
  openSettings(): void;
  importPng(): void;
  openDataFolder(): void;
  openReadme(): void;
  showLogs(): void;
  copyDiagnostics(): void;
  /** Absent where updates are off (development, builds without a release feed). */
  checkForUpdates?: () => void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  /** Development build: Reload and the developer tools are offered. */
  dev: boolean;
  productName: string;
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

/**
 * The application menu as a plain description (Electron's template), built the same way on
 * every start and tested without Electron. macOS gets its app menu (About, Settings…, Services,
 * Hide, Quit) and Window conventions; elsewhere Settings… and Quit live under File and About
 * under Help. Reload and the developer tools exist only in development.
 */
export const menuTemplate = (context: MenuContext, actions: MenuActions): MenuItemConstructorOptions[] => {
  const mac = context.platform === 'darwin';
  const settings: MenuItemConstructorOptions = {
    id: 'settings',
    label: 'Settings…',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.openSettings(),
  };
  const updates: MenuItemConstructorOptions[] = actions.checkForUpdates
    ? [{ id: 'check-updates', label: 'Check for Updates…', click: () => actions.checkForUpdates?.() }]
    : [];

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: context.productName,
          submenu: [
            { role: 'about' },
            ...updates,
            separator,
            settings,
            separator,
            { role: 'services' },
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            { role: 'quit' },
          ],
        },
      ]
    : [];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      ...(mac ? [] : [settings, separator]),
      { id: 'import-png', label: 'Import PNG…', accelerator: 'CmdOrCtrl+O', click: () => actions.importPng() },
      { id: 'open-data-folder', label: 'Open Data Folder', click: () => actions.openDataFolder() },
      separator,
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(context.dev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };

  const window: MenuItemConstructorOptions = {
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { id: 'readme', label: 'README', click: () => actions.openReadme() },
      { id: 'show-logs', label: 'Show Logs', click: () => actions.showLogs() },
      { id: 'copy-diagnostics', label: 'Copy Diagnostics', click: () => actions.copyDiagnostics() },
      ...(mac ? [] : [separator, ...updates, { role: 'about' } as const]),
    ],
  };

  return [...appMenu, file, edit, view, window, help];
};

/** The versions About shows: the app's and what it runs on. */
export const aboutVersions = (appVersion: string, versions: NodeJS.ProcessVersions): string =>
  `Version ${appVersion} (Electron ${versions.electron ?? '?'}, Chromium ${versions.chrome ?? '?'}, Node ${versions.node})`;
