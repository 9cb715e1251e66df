/**
 * The desktop app's main process (src-main/shell/main.ts) from start-up to quit, without an
 * Electron binary: `electron` is a recorder, everything behind it is real (core, electron-store,
 * the fake SageMaker endpoint over HTTP). Covers what only the desktop app does: the data
 * folder, single instance, reveal in folder, drag out, notifications, quitting.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { appOrigin } from '../../src-main/core/policy';
import { productName } from '../../src-main/core/paths';
import { ipcChannel, ipcEventChannel, operationNames } from '../../src-shared/operations';
import type { Result } from '../../src-shared/errors';
import type { Generation, StudioEvent } from '../../src-shared/generation';
import { defaultSettings } from '../../src-shared/settings';
import type { Settings } from '../../src-shared/settings';
import type { SignInState } from '../../src-shared/auth';
import { testCredentials } from '../fakes/keys';
import { startFakeCognito } from '../fakes/cognito-identity';
import { startOidcProvider } from '../fakes/oidc-provider';
import { pngOfSize } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';

type Handler = (...args: unknown[]) => unknown;
const signInPool = 'us-east-1:12345678-0000-4000-8000-00000000dddd';

const electron = vi.hoisted(() => {
  const appEvents = new Map<string, Handler>();
  const paths = new Map<string, string>();
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  const calls = {
    setName: [] as string[],
    quit: 0,
    schemesBeforeReady: 0,
    ipc: new Map<string, Handler>(),
    protocols: new Set<string>(),
    reveal: [] as string[],
    drags: [] as Array<{ file: string; icon: unknown }>,
    notes: [] as Array<{ title: string; body: string; shown: boolean; click?: Handler }>,
    sent: [] as Array<{ channel: string; payload: unknown }>,
    windows: [] as Array<{ url?: string; options: Record<string, unknown>; focused: boolean; focusCalls: number }>,
    menu: undefined as unknown[] | undefined,
    clipboard: [] as string[],
    opened: [] as string[],
    about: undefined as Record<string, unknown> | undefined,
    dialogs: [] as unknown[],
    chosen: [] as string[],
    protocolClients: [] as unknown[][],
    external: [] as string[],
    encrypted: [] as string[],
    storageBackend: 'gnome_libsecret',
  };
  let isReady = false;
  void whenReady.then(() => (isReady = true));

  class BrowserWindow {
    static getAllWindows = (): BrowserWindow[] => windows;
    readonly record: (typeof calls.windows)[number];
    readonly webContents = {
      on: () => undefined,
      setWindowOpenHandler: () => undefined,
      isDestroyed: () => false,
      send: (channel: string, payload: unknown) => calls.sent.push({ channel, payload }),
      startDrag: (item: { file: string; icon: unknown }) => calls.drags.push(item),
    };
    constructor(options: Record<string, unknown>) {
      this.record = { options, focused: false, focusCalls: 0 };
      calls.windows.push(this.record);
      windows.push(this);
    }
    loadURL(url: string): Promise<void> {
      this.record.url = url;
      return Promise.resolve();
    }
    isFocused(): boolean {
      return this.record.focused;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {
      this.record.focusCalls++;
    }
    show(): void {}
    once(): void {}
    on(): void {}
    isMaximized(): boolean {
      return false;
    }
    getNormalBounds(): unknown {
      return { x: 0, y: 0, width: 1440, height: 920 };
    }
  }
  const windows: BrowserWindow[] = [];
  const display = {
    id: 1,
    bounds: { x: 0, y: 0, width: 1920, height: 1080 },
    workArea: { x: 0, y: 0, width: 1920, height: 1040 },
    scaleFactor: 1,
  };

  class Notification {
    static isSupported = (): boolean => true;
    private readonly record: (typeof calls.notes)[number];
    constructor(options: { title: string; body: string }) {
      this.record = { ...options, shown: false };
      calls.notes.push(this.record);
    }
    on(event: string, handler: Handler): void {
      if (event === 'click') this.record.click = handler;
    }
    show(): void {
      this.record.shown = true;
    }
  }

  const module = {
    app: {
      setName: (name: string) => calls.setName.push(name),
      setPath: (name: string, path: string) => paths.set(name, path),
      getPath: (name: string) => paths.get(name) ?? `/nonexistent/${name}`,
      getVersion: () => '0.0.0-test',
      getName: () => 'studio-test',
      requestSingleInstanceLock: () => true,
      on: (event: string, handler: Handler) => appEvents.set(event, handler),
      whenReady: () => whenReady,
      quit: () => calls.quit++,
      getAppPath: () => '/app',
      setAboutPanelOptions: (options: Record<string, unknown>) => (calls.about = options),
      setAsDefaultProtocolClient: (...args: unknown[]) => {
        calls.protocolClients.push(args);
        return true;
      },
    },
    // Only the asynchronous API exists here: a call to the synchronous one (gone in Electron 46) would throw.
    safeStorage: {
      isAsyncEncryptionAvailable: () => Promise.resolve(true),
      getSelectedStorageBackend: () => calls.storageBackend,
      encryptStringAsync: (text: string) => {
        calls.encrypted.push(text);
        return Promise.resolve(Buffer.from(`sealed:${Buffer.from(text).toString('base64')}`));
      },
      decryptStringAsync: (sealed: Buffer) =>
        Promise.resolve({
          result: Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'base64').toString(),
          shouldReEncrypt: false,
        }),
    },
    Menu: {
      buildFromTemplate: (template: unknown[]) => template,
      setApplicationMenu: (menu: unknown[]) => (calls.menu = menu),
    },
    clipboard: { writeText: (text: string) => calls.clipboard.push(text) },
    dialog: {
      showOpenDialog: (...args: unknown[]) => {
        calls.dialogs.push(args.at(-1));
        return Promise.resolve({ canceled: false, filePaths: [...calls.chosen] });
      },
    },
    screen: {
      getAllDisplays: () => [display],
      getPrimaryDisplay: () => display,
    },
    BrowserWindow,
    Notification,
    nativeImage: { createFromPath: (path: string) => ({ resize: () => ({ path }) }) },
    shell: {
      showItemInFolder: (path: string) => calls.reveal.push(path),
      openExternal: (url: string) => {
        calls.external.push(url);
        return Promise.resolve();
      },
      openPath: (path: string) => {
        calls.opened.push(path);
        return Promise.resolve('');
      },
    },
    ipcMain: {
      handle: (channel: string, handler: Handler) => calls.ipc.set(channel, handler),
      on: () => undefined,
    },
    protocol: {
      registerSchemesAsPrivileged: () => {
        if (!isReady) calls.schemesBeforeReady++;
      },
      handle: (scheme: string) => calls.protocols.add(scheme),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        on: () => undefined,
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
  };
  return { module, calls, appEvents, paths, ready: () => ready() };
});

vi.mock('electron', () => ({ ...electron.module, default: electron.module }));
// electron-log's main entry requires Electron through CommonJS, out of the recorder's reach: it is recorded too.
const fileLog = vi.hoisted(() => {
  const lines: Array<[string, string]> = [];
  const file = { resolvePathFn: undefined as (() => string) | undefined, maxSize: 0, level: '' };
  const write = (level: string) => (line: string) => lines.push([level, line]);
  return {
    lines,
    file,
    module: {
      transports: { file, console: { level: '' } },
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
    },
  };
});
vi.mock('electron-log/main', () => ({ default: fileLog.module }));
// Loaded only in an installed app: counted, to show development never loads it.
const updater = vi.hoisted(() => ({ loaded: 0 }));
vi.mock('electron-updater', () => {
  updater.loaded++;
  return { default: { autoUpdater: { on: () => undefined, checkForUpdates: () => Promise.resolve(null) } } };
});

const dataDir = mkdtempSync(join(tmpdir(), 'studio-desktop-'));
process.env.STUDIO_DATA_DIR = dataDir;
useAwsProfiles({ default: testCredentials });
const fake = await startFakeSageMaker();
afterAll(async () => {
  electron.appEvents.get('before-quit')?.();
  await fake.close();
});

await import('../../src-main/shell/main');
electron.ready();
// Ready runs the app's start-up: it has run once the window is there.
await vi.waitFor(() => expect(electron.calls.windows).toHaveLength(1));

const { calls } = electron;
const appUrl = `${appOrigin}/index.html`;
const fromWindow = { senderFrame: { url: appUrl, parent: null } };
const invoke = async <T>(name: string, input?: unknown): Promise<T> => {
  const handler = calls.ipc.get(ipcChannel(name as never));
  if (!handler) throw new Error(`no IPC handler for ${name}`);
  const result = (await handler(fromWindow, input)) as Result<T>;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};

describe('the desktop main process', () => {
  it('starts as one named instance on its data folder, with schemes, protocols, IPC and one locked-down window', () => {
    expect(calls.setName).toEqual([productName]);
    expect(electron.paths.get('userData')).toBe(dataDir);
    expect(calls.schemesBeforeReady).toBe(1);
    expect([...calls.protocols].sort()).toEqual(['app', 'studio-image']);
    expect(calls.ipc.size).toBe(operationNames.length);
    expect(calls.windows).toHaveLength(1);
    const [win] = calls.windows;
    expect(win?.url).toBe(appUrl);
    const prefs = win?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(prefs.preload)).toMatch(/[/\\]preload[/\\]index\.cjs$/);
  });

  it('keeps settings in electron-store under the data folder', async () => {
    await invoke('saveSettings', {
      ...defaultSettings(),
      models: [{ modelId: 'sdxl', modelName: 'SDXL', endpointName: 'sdxl-desktop', format: 'stability' }],
      endpointOverrides: { ...defaultSettings().endpointOverrides, sagemakerRuntime: fake.url },
    });
    const stored = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { models: unknown[] };
    expect(stored.models).toHaveLength(1);
  });

  it('announces a Dream that finishes while the window is in the background, not while in front', async () => {
    const win = calls.windows[0]!;
    win.focused = false;
    const generation = await invoke<Generation>('generate', { input: { prompt: 'a quiet harbour' }, count: 2 });
    expect(generation.images).toHaveLength(2);
    expect(calls.notes).toEqual([
      expect.objectContaining({ title: 'Your 2 images are ready', body: 'a quiet harbour', shown: true }),
    ]);
    // Progress reached the window as payloads on the one event channel.
    const types = calls.sent
      .filter((s) => s.channel === ipcEventChannel)
      .map((s) => (s.payload as StudioEvent).type)
      .filter((t) => t.startsWith('generation.'));
    expect(types).toEqual(['generation.started', 'generation.done']);

    win.focused = true;
    await invoke<Generation>('generate', { input: { prompt: 'in front' }, count: 1 });
    expect(calls.notes).toHaveLength(1);
  });

  it('reveals an image in the file manager and drags it out as the file itself', async () => {
    const capabilities = await invoke<{ desktop: boolean }>('getCapabilities');
    expect(capabilities.desktop).toBe(true);
    const page = await invoke<{ generations: Generation[] }>('listGenerations', { limit: 1 });
    const generation = page.generations[0]!;
    const image = generation.images[0]!;
    await invoke('revealImage', { generationId: generation.id, imageId: image.id });
    const expected = join(dataDir, 'generations', generation.id, `${image.id}.png`);
    expect(calls.reveal).toEqual([expected]);
    await invoke('startImageDrag', { generationId: generation.id, imageId: image.id });
    expect(calls.drags.map((d) => d.file)).toEqual([expected]);
    expect(existsSync(expected)).toBe(true);
  });

  it('installs its own menu: Settings… asks the page, the data folder and logs open, diagnostics are copied', () => {
    type Item = { id?: string; role?: string; click?: () => void; submenu?: Item[] };
    const items = (list: Item[]): Item[] => list.flatMap((i) => [i, ...items(i.submenu ?? [])]);
    const menu = items((calls.menu ?? []) as Item[]);
    expect(menu.some((i) => i.role === 'toggleDevTools')).toBe(false);
    // Not an installed app (no app.isPackaged): no update check, and the updater is never loaded.
    expect(menu.some((i) => i.id === 'check-updates')).toBe(false);
    expect(updater.loaded).toBe(0);
    const click = (id: string): void => menu.find((i) => i.id === id)?.click?.();

    const before = calls.sent.length;
    click('settings');
    expect(calls.sent.slice(before)).toEqual([
      { channel: ipcEventChannel, payload: { type: 'app.command', command: 'openSettings' } },
    ]);
    click('open-data-folder');
    click('show-logs');
    expect(calls.opened).toEqual([dataDir, join(dataDir, 'logs')]);
    expect(existsSync(join(dataDir, 'logs'))).toBe(true);
    expect(String(calls.about?.version)).toContain(`Node ${process.versions.node}`);
  });

  it('logs to a rotating file in the data folder', () => {
    expect(fileLog.file.resolvePathFn?.()).toBe(join(dataDir, 'logs', 'main.log'));
    expect(fileLog.file.maxSize).toBe(1024 * 1024);
    // The Dream above with the window in front, as the log says it.
    expect(
      fileLog.lines.some(([level, line]) => level === 'info' && /^Generation \w+: done, 1 image\(s\)$/.test(line)),
    ).toBe(true);
  });

  it('Copy Diagnostics puts versions, the OS and the settings on the clipboard', async () => {
    type Item = { id?: string; click?: () => void; submenu?: Item[] };
    const items = (list: Item[]): Item[] => list.flatMap((i) => [i, ...items(i.submenu ?? [])]);
    items((calls.menu ?? []) as Item[])
      .find((i) => i.id === 'copy-diagnostics')
      ?.click?.();
    await vi.waitFor(() => expect(calls.clipboard).toHaveLength(1));
    const text = calls.clipboard[0] ?? '';
    expect(text).toContain(`${productName} 0.0.0-test`);
    expect(text).toContain(`Node ${process.versions.node}`);
    expect(text).toContain(`"endpointName": "sdxl-desktop"`);
    expect(text).toContain('Last warnings and errors');
  });

  it('takes PNG files opened from the system (a second launch, macOS open-file) and hands them to the page once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'studio-open-'));
    writeFileSync(join(folder, 'harbour.png'), pngOfSize(2048));
    writeFileSync(join(folder, 'notes.png'), 'not a png at all');
    const before = calls.sent.length;
    electron.appEvents.get('second-instance')?.(
      {},
      ['/opt/studio/stablestudio-desktop', '--flag', 'harbour.png', 'notes.png', 'missing.png'],
      folder,
    );
    let prevented = 0;
    electron.appEvents.get('open-file')?.({ preventDefault: () => prevented++ }, join(folder, 'harbour.png'));
    expect(prevented).toBe(1);
    expect(calls.windows[0]?.focusCalls).toBe(1);
    // One notice for the new files; the same file again adds nothing.
    expect(calls.sent.slice(before)).toEqual([
      { channel: ipcEventChannel, payload: { type: 'app.command', command: 'openFiles' } },
    ]);

    // File → Import PNG…: the system dialog, PNG only; what is chosen joins the files to take.
    calls.chosen.push(join(folder, 'chosen.png'));
    writeFileSync(join(folder, 'chosen.png'), pngOfSize(4096));
    type Item = { id?: string; click?: () => void; submenu?: Item[] };
    const items = (list: Item[]): Item[] => list.flatMap((i) => [i, ...items(i.submenu ?? [])]);
    items((calls.menu ?? []) as Item[])
      .find((i) => i.id === 'import-png')
      ?.click?.();
    await vi.waitFor(() => expect(calls.sent).toHaveLength(before + 2));
    expect(calls.dialogs.at(-1)).toMatchObject({ filters: [{ extensions: ['png'] }], properties: ['openFile'] });

    const opened = await invoke<{ files: Array<{ name: string; bytes: Uint8Array }>; problems: string[] }>(
      'takeOpenedFiles',
    );
    expect(opened.files.map((f) => f.name)).toEqual(['harbour.png', 'chosen.png']);
    expect(Buffer.from(opened.files[0]!.bytes).equals(pngOfSize(2048))).toBe(true);
    expect(opened.problems).toEqual(['notes.png: not a PNG file.', 'missing.png: the file is not there.']);
    // Taken once.
    expect(await invoke('takeOpenedFiles')).toEqual({ files: [], problems: [] });
  });

  it('registers stablestudio:// and finishes a sign-in whose callback a second instance carries; remembers it with safeStorage', async () => {
    expect(calls.protocolClients).toEqual([['stablestudio']]);
    const provider = await startOidcProvider({
      clientId: 'desktop_client',
      redirectUris: ['stablestudio://auth/callback'],
    });
    const cognito = await startFakeCognito({
      identityPools: [
        {
          id: signInPool,
          allowUnauthenticated: false,
          openIdProviders: [
            {
              name: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TESTPOOL',
              issuer: provider.issuer,
              audience: 'desktop_client',
            },
          ],
        },
      ],
    });
    try {
      const settings = await invoke<Settings>('getSettings');
      await invoke('saveSettings', {
        credentialsMode: 'signIn',
        userPoolId: 'us-east-1_TESTPOOL',
        userPoolClientId: 'desktop_client',
        identityPoolId: signInPool,
        endpointOverrides: {
          ...settings.endpointOverrides,
          userPoolIssuer: provider.issuer,
          cognitoIdentity: cognito.url,
        },
      });
      // The system browser opens on the pool's sign-in page; the app answers that it did.
      const start = await invoke<{ url: string; opened: boolean }>('signIn');
      expect(start.opened).toBe(true);
      expect(calls.external).toEqual([start.url]);
      const back = await provider.signIn(start.url, 'gina');
      expect(back.href).toMatch(/^stablestudio:\/\/auth\/callback\?code=/);

      // Windows and Linux: the system starts the app again with the URL; this instance takes it.
      electron.appEvents.get('second-instance')?.({}, ['/opt/studio/stablestudio-desktop', back.href], '/home/me');
      await vi.waitFor(async () =>
        expect(await invoke<SignInState>('getSignInState')).toMatchObject({
          status: 'signedIn',
          user: { sub: 'gina' },
        }),
      );
      expect(calls.sent.some((s) => (s.payload as StudioEvent).type === 'signIn.changed')).toBe(true);

      // Remember me: the refresh token is sealed by the system's keychain through the async API.
      await invoke('saveSettings', { rememberSignIn: true });
      await vi.waitFor(() => expect(existsSync(join(dataDir, 'sign-in.bin'))).toBe(true));
      expect(calls.encrypted).toHaveLength(1);
      expect(readFileSync(join(dataDir, 'sign-in.bin'), 'utf8')).not.toContain(calls.encrypted[0]);
      expect(await invoke<SignInState>('getSignInState')).toMatchObject({ rememberedIn: 'os' });

      // Linux without a keyring: safeStorage's fixed key, which the app says.
      calls.storageBackend = 'basic_text';
      await invoke('saveSettings', { rememberSignIn: false });
      await invoke('saveSettings', { rememberSignIn: true });
      await vi.waitFor(async () =>
        expect((await invoke<SignInState>('getSignInState')).rememberedIn).toBe(
          process.platform === 'linux' ? 'weak-os' : 'os',
        ),
      );

      await invoke('signOut');
      expect(existsSync(join(dataDir, 'sign-in.bin'))).toBe(false);
    } finally {
      await invoke('saveSettings', { credentialsMode: 'profile', rememberSignIn: false });
      await Promise.all([provider.close(), cognito.close()]);
    }
  });

  it('brings the window forward for a second launch, and quits when it closes (not on macOS)', () => {
    electron.appEvents.get('second-instance')?.({}, ['/opt/studio/stablestudio-desktop'], '/home/me');
    expect(calls.windows[0]?.focusCalls).toBe(3);
    electron.appEvents.get('window-all-closed')?.();
    expect(calls.quit).toBe(process.platform === 'darwin' ? 0 : 1);
  });
});
