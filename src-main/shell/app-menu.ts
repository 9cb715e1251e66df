import { mkdirSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { join } from 'node:path';
import { app, clipboard, Menu, shell } from 'electron';
import type { AppCommand } from '../../src-shared/generation';
import type { Core } from '../core';
import { recentProblems } from '../core/log';
import { productName } from '../core/paths';
import { diagnosticsText } from './diagnostics';
import { aboutVersions, menuTemplate } from './menu';

export interface AppMenuOptions {
  dataDir: string;
  dev: boolean;
  core: Promise<Core>;
  /** Asks the page to do something only it can (open Settings, Dream). */
  send: (command: AppCommand) => void;
  /** File → Import PNG…: the system's file dialog; the page imports what was chosen. */
  importPng: () => void;
  /** Absent where updates are off. */
  checkForUpdates?: () => void;
}

/** Installs the application menu (see `menu.ts`) with the shell's actions, and About's versions. */
export const installAppMenu = (o: AppMenuOptions): void => {
  const logs = join(o.dataDir, 'logs');
  app.setAboutPanelOptions({
    applicationName: productName,
    applicationVersion: app.getVersion(),
    version: aboutVersions(app.getVersion(), process.versions),
  });
  const template = menuTemplate(
    { platform: process.platform, dev: o.dev, productName },
    {
      ...(o.checkForUpdates ? { checkForUpdates: o.checkForUpdates } : {}),
      openSettings: () => o.send('openSettings'),
      importPng: o.importPng,
      openDataFolder: () => void shell.openPath(o.dataDir),
      openReadme: () => void shell.openPath(join(app.getAppPath(), 'README.md')),
      showLogs: () => {
        mkdirSync(logs, { recursive: true, mode: 0o700 });
        void shell.openPath(logs);
      },
      copyDiagnostics: () =>
        void o.core.then((core) =>
          clipboard.writeText(
            diagnosticsText({
              productName,
              appVersion: app.getVersion(),
              versions: process.versions,
              os: { platform: platform(), release: release(), arch: arch() },
              settings: core.settings.get(),
              problems: recentProblems(),
            }),
          ),
        ),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  // macOS: Dream from the dock.
  app.dock?.setMenu(Menu.buildFromTemplate([{ label: 'Dream', click: () => o.send('dream') }]));
};
