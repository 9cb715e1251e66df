import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, session, shell } from 'electron';
import {
  contentSecurityPolicy,
  isExternalUrlAllowed,
  isNavigationAllowed,
  isPermissionGranted,
  uniqueDownloadName,
} from '../core/policy';
import { productName } from '../core/paths';

export interface WindowOptions {
  url: string;
  preload: string;
  icon: string;
  dev: boolean;
}

/** The one app window, locked down per Electron's security checklist. */
export const createMainWindow = (options: WindowOptions): BrowserWindow => {
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 900,
    minHeight: 600,
    title: productName,
    icon: options.icon,
    backgroundColor: '#111113',
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });

  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url, options.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url, options.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalUrlAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionGranted(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => isPermissionGranted(permission));
  // Save as PNG / Download all: straight to Downloads, one file each, no dialog per image.
  ses.on('will-download', (_event, item) => {
    const dir = app.getPath('downloads');
    item.setSavePath(
      join(
        dir,
        uniqueDownloadName(item.getFilename(), (name) => existsSync(join(dir, name))),
      ),
    );
  });
  if (options.dev) {
    // The dev server's responses carry no CSP of their own.
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(true)] },
      });
    });
  }

  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.url);
  return win;
};

export const resourcePath = (...parts: string[]): string =>
  join(import.meta.dirname, '..', '..', 'resources', ...parts);
