import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, nativeImage, Notification, shell } from 'electron';
import type { Core } from '../core';
import { generationNotice } from '../../src-shared/notices';
import { appId, productName } from '../core/paths';
import { authScheme, callbackUrlIn } from '../core/auth/callback';
import { appOrigin, imageScheme } from '../core/policy';
import { ipcEventChannel } from '../../src-shared/contract';
import type { AppCommand, AppCommandEvent } from '../../src-shared/generation';
import { installAppMenu } from './app-menu';
import { startFileLog } from './logging';
import { log } from '../core/log';
import { UpdateFlow, updatesEnabled } from './updates';
import { OpenedPaths, pngPathsIn } from './open-files';
import { bindIpc, forwardEvents } from './ipc';
import { handleProtocols, registerSchemes } from './protocols';
import { createMainWindow, resourcePath } from './window';

app.setName(productName);
// Windows shows notifications only for an app with this ID (the installer's shortcut carries it).
if (process.platform === 'win32') app.setAppUserModelId(appId);
// Tests and portable set-ups point the app at a data folder of their own.
if (process.env.STUDIO_DATA_DIR) app.setPath('userData', process.env.STUDIO_DATA_DIR);
registerSchemes();

// electron-vite sets this in `npm run dev`; production loads the app from its own scheme.
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appUrl = devServerUrl ?? `${appOrigin}/index.html`;

let core: Promise<Core> | undefined;
/**
 * Sign in with Cognito returns through the app's own scheme (RFC 8252's private-use URI scheme);
 * where the system does not let the app register it, through the loopback port instead.
 * During development the scheme has to name Electron and the app's entry.
 */
const schemeRegistered = process.defaultApp
  ? app.setAsDefaultProtocolClient(authScheme, process.execPath, [resolve(process.argv[1] ?? '.')])
  : app.setAsDefaultProtocolClient(authScheme);
/** Callbacks that came before the core was ready (a launch by the callback URL itself). */
const deliverCallback = (url: string): void => {
  void (core ?? Promise.reject(new Error('not started')))
    .then((c) => c.auth.finish(url))
    .catch((error: unknown) => log.warn('The sign-in callback could not be completed', error));
};
const firstCallback = callbackUrlIn(process.argv.slice(1));
// "Open with" on Windows and Linux starts the app with the file's path; the page takes them once loaded.
const opened = new OpenedPaths();
opened.add(pngPathsIn(process.argv.slice(1), process.cwd()));
let win: BrowserWindow | undefined;
/** Dreams running now: an update never restarts the app under one. */
const running = new Set<string>();

const notify = (title: string, body: string, onClick?: () => void): void => {
  if (!Notification.isSupported()) return;
  const note = new Notification({ title, body });
  if (onClick) note.on('click', onClick);
  note.show();
};

/**
 * The core, imported after the window is asked for rather than before: it brings the AWS SDK,
 * sharp and zod (most of start-up's CPU) while the window and the page load.
 */
const loadCore = async (dataDir: string): Promise<Core> => {
  const [{ createCore }, { ElectronStoreBackend }, { signInOptions }] = await Promise.all([
    import('../core'),
    import('./settings-store'),
    import('./sign-in'),
  ]);
  const c: Core = createCore({
    dataDir,
    settingsBackend: new ElectronStoreBackend(dataDir),
    imageUrl: (generationId, file) => `${imageScheme}://library/${generationId}/${file}`,
    desktop: {
      reveal: (path) => shell.showItemInFolder(path),
      takeOpened: () => opened.take(),
      startDrag: (path) =>
        win?.webContents.startDrag({
          file: path,
          icon: nativeImage.createFromPath(resourcePath('icon.png')).resize({ width: 64 }),
        }),
    },
    auth: signInOptions({ dataDir, schemeRegistered, finish: (url) => c.auth.finish(url) }),
  });
  return c;
};

const openWindow = (): void => {
  win = createMainWindow({
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    url: appUrl,
    preload: join(import.meta.dirname, '..', 'preload', 'index.cjs'),
    icon: resourcePath('icon.png'),
    dev: devServerUrl !== undefined,
  });
  win.on('closed', () => {
    win = undefined;
  });
};

const single = app.requestSingleInstanceLock();
if (!single) {
  app.quit();
} else {
  const command = (name: AppCommand): void => {
    const event: AppCommandEvent = { type: 'app.command', command: name };
    win?.webContents.send(ipcEventChannel, event);
  };
  // A second launch (e.g. "Open with" while running) brings this window forward with its files.
  app.on('second-instance', (_event, argv: string[], workingDirectory: string) => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
    if (opened.add(pngPathsIn(argv.slice(1), workingDirectory))) command('openFiles');
    // Windows and Linux: the sign-in page sent the browser to stablestudio://auth/callback, which started us again.
    const callback = callbackUrlIn(argv.slice(1));
    if (callback) deliverCallback(callback);
  });
  // macOS: the sign-in callback through the app's scheme.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (callbackUrlIn([url])) deliverCallback(url);
  });
  // macOS: a file opened with the app (Finder, the dock icon), also before the app is ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (opened.add([path])) command('openFiles');
  });

  void app.whenReady().then(() => {
    const dataDir = app.getPath('userData');
    startFileLog(dataDir);
    const ready = loadCore(dataDir);
    core = ready;
    if (firstCallback) deliverCallback(firstCallback);
    const updatesOn = updatesEnabled(app.isPackaged, process.env);
    let updates: UpdateFlow | undefined;
    installAppMenu({
      ...(updatesOn ? { checkForUpdates: () => updates?.check(true) } : {}),
      dataDir,
      dev: devServerUrl !== undefined,
      core: ready,
      send: command,
      importPng: () => {
        const options: Electron.OpenDialogOptions = {
          title: 'Import PNG',
          buttonLabel: 'Import',
          filters: [{ name: 'PNG images', extensions: ['png'] }],
          properties: ['openFile'],
        };
        void (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options)).then((chosen) => {
          if (!chosen.canceled && opened.add(chosen.filePaths)) command('openFiles');
        });
      },
    });
    handleProtocols(ready, join(import.meta.dirname, '..', 'renderer'));
    bindIpc(ready, () => appUrl);
    openWindow();
    void forwardEvents(ready, () => win?.webContents);
    // A finished generation is announced when the window is not in front.
    ready.then(
      (c) =>
        c.events.subscribe((event) => {
          if (event.type === 'generation.started') running.add(event.generationId);
          if (event.type !== 'generation.done') return;
          running.delete(event.generationId);
          if (win?.isFocused()) return;
          const { title, body } = generationNotice(event.generation);
          notify(title, body, () => win?.show());
        }),
      // Every call answers with why; this says it where the app was started.
      (error: unknown) => log.error('StableStudio Desktop could not start its core', error),
    );

    if (updatesOn) {
      // Loaded only in an installed app; checked once at start, then from the menu.
      import('electron-updater')
        .then(({ default: { autoUpdater } }) => {
          updates = new UpdateFlow({ updater: autoUpdater, busy: () => running.size > 0, notify });
          updates.check(false);
        })
        .catch((error: unknown) => log.warn('Updates are unavailable', error));
    }

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => void core?.then((c) => c.close()).catch(() => undefined));
}
