import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, screen, session, shell } from 'electron';
import type { Display } from 'electron';
import {
  contentSecurityPolicy,
  isExternalUrlAllowed,
  isNavigationAllowed,
  isPermissionGranted,
  uniqueDownloadName,
} from '../core/policy';
import { productName } from '../core/paths';
import { minimumSize, placeWindow, readWindowState, rememberPlace, writeWindowState } from './window-state';
import type { DisplayInfo } from './window-state';

export interface WindowOptions {
  url: string;
  preload: string;
  icon: string;
  dev: boolean;
  /** `window-state.json`: where the window was, per set of displays. */
  stateFile: string;
}

const displayInfo = (d: Display): DisplayInfo => ({
  id: d.id,
  bounds: d.bounds,
  workArea: d.workArea,
  scaleFactor: d.scaleFactor,
});

/** The one app window, locked down per Electron's security checklist. */
export const createMainWindow = (options: WindowOptions): BrowserWindow => {
  const displays = (): DisplayInfo[] => screen.getAllDisplays().map(displayInfo);
  const place = placeWindow(readWindowState(options.stateFile), displays(), displayInfo(screen.getPrimaryDisplay()));
  const win = new BrowserWindow({
    ...place.bounds,
    minWidth: minimumSize.width,
    minHeight: minimumSize.height,
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

  win.once('ready-to-show', () => {
    if (place.maximized) win.maximize();
    win.show();
  });
  // Remembered as it closes, for this set of displays; a write that fails never keeps the window open.
  win.on('close', () => {
    try {
      const state = readWindowState(options.stateFile);
      const bounds = win.getNormalBounds();
      writeWindowState(options.stateFile, rememberPlace(state, displays(), { bounds, maximized: win.isMaximized() }));
    } catch (error) {
      console.warn('Could not remember the window’s place:', error);
    }
  });
  void win.loadURL(options.url);
  return win;
};

export const resourcePath = (...parts: string[]): string =>
  join(import.meta.dirname, '..', '..', 'resources', ...parts);
