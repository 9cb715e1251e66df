/**
 * The Electron shell's wiring, checked without an Electron binary: `electron` is replaced by
 * a recorder of what the shell hands it (handlers, window options), and the recorded handlers
 * are called as Electron would call them. The core behind them is the real one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { operationNames, ipcChannel } from '../../src-shared/operations';
import { appOrigin } from '../../src-main/core/policy';
import { startCore } from '../support/core';

type Handler = (...args: unknown[]) => unknown;
const recorded = vi.hoisted(() => ({
  ipc: new Map<string, Handler>(),
  protocols: new Map<string, (request: Request) => Promise<Response>>(),
  privileged: [] as unknown[],
  windows: [] as Array<{
    options: Record<string, unknown>;
    events: Map<string, Handler>;
    /** The window's own events (close, ready-to-show), not its web contents'. */
    own: Map<string, Handler>;
    normalBounds?: { x: number; y: number; width: number; height: number };
    maximized: boolean;
    maximizeCalls: number;
    openHandler?: Handler;
    loaded?: string;
  }>,
  displays: [
    {
      id: 1,
      bounds: { x: 0, y: 0, width: 1920, height: 1080 },
      workArea: { x: 0, y: 0, width: 1920, height: 1040 },
      scaleFactor: 1,
    },
  ] as Array<Record<string, unknown>>,
  permission: undefined as Handler | undefined,
  sessionEvents: new Map<string, Handler>(),
  downloads: '',
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      const record: (typeof recorded.windows)[number] = {
        options,
        events: new Map(),
        own: new Map(),
        maximized: false,
        maximizeCalls: 0,
      };
      this.record = record;
      recorded.windows.push(record);
      this.webContents = {
        on: (event: string, handler: Handler) => record.events.set(event, handler),
        setWindowOpenHandler: (handler: Handler) => (record.openHandler = handler),
      };
      this.loadURL = (url: string) => {
        record.loaded = url;
        return Promise.resolve();
      };
    }
    loadURL: (url: string) => Promise<void>;
    readonly record: (typeof recorded.windows)[number];
    once(event: string, handler: Handler): void {
      this.record.own.set(event, handler);
    }
    on(event: string, handler: Handler): void {
      this.record.own.set(event, handler);
    }
    show(): void {}
    maximize(): void {
      this.record.maximizeCalls++;
    }
    isMaximized(): boolean {
      return this.record.maximized;
    }
    getNormalBounds(): unknown {
      const o = this.record.options;
      return this.record.normalBounds ?? { x: o.x, y: o.y, width: o.width, height: o.height };
    }
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (h: Handler) => (recorded.permission = h),
      setPermissionCheckHandler: () => undefined,
      on: (event: string, handler: Handler) => recorded.sessionEvents.set(event, handler),
      webRequest: { onHeadersReceived: () => undefined },
    },
  };
  return {
    BrowserWindow,
    session,
    screen: {
      getAllDisplays: () => recorded.displays,
      getPrimaryDisplay: () => recorded.displays[0],
    },
    app: { getPath: (name: string) => (name === 'downloads' ? recorded.downloads : '/tmp') },
    shell: { openExternal: vi.fn() },
    ipcMain: { handle: (channel: string, handler: Handler) => recorded.ipc.set(channel, handler) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        recorded.protocols.set(scheme, handler),
    },
  };
});

const { bindIpc } = await import('../../src-main/shell/ipc');
const { handleProtocols, registerSchemes } = await import('../../src-main/shell/protocols');
const { createMainWindow } = await import('../../src-main/shell/window');

const appUrl = `${appOrigin}/index.html`;
const core = startCore();
const rendererDir = join(core.dataDir, 'renderer');
const stateFile = join(core.dataDir, 'window-state.json');

beforeAll(() => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {}');
  registerSchemes();
  handleProtocols(core, rendererDir);
  bindIpc(core, () => appUrl);
});

const event = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('IPC', () => {
  it('binds exactly one handler per contract operation', () => {
    expect([...recorded.ipc.keys()].sort()).toEqual(operationNames.map(ipcChannel).sort());
  });

  it('answers the app window and refuses other senders and sub-frames', async () => {
    const handler = recorded.ipc.get(ipcChannel('getSettings'))!;
    expect(await handler(event(appUrl), undefined)).toMatchObject({ ok: true, value: { region: 'us-east-1' } });
    expect(await handler(event('https://evil.example/'), undefined)).toMatchObject({
      ok: false,
      error: { code: 'input.invalid' },
    });
    expect(await handler(event(appUrl, { url: appUrl }), undefined)).toMatchObject({ ok: false });
    expect(await handler({ senderFrame: null }, undefined)).toMatchObject({ ok: false });
  });

  it('validates payloads before any work', async () => {
    const handler = recorded.ipc.get(ipcChannel('listGenerations'))!;
    expect(await handler(event(appUrl), { limit: 'lots' })).toMatchObject({
      ok: false,
      error: { code: 'input.invalid' },
    });
  });
});

describe('protocols', () => {
  it('registers both schemes as standard and secure before ready', () => {
    expect(recorded.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
      expect.objectContaining({
        scheme: 'studio-image',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
  });

  it('serves the renderer with the CSP header and nothing outside it', async () => {
    const app = recorded.protocols.get('app')!;
    const page = await app(new Request('app://studio/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await (await app(new Request('app://studio/assets/app.js'))).text()).toBe('export {}');
    expect((await app(new Request('app://studio/%2e%2e/%2e%2e/etc/passwd'))).status).toBe(404);
    expect((await app(new Request('app://studio/missing.js'))).status).toBe(404);
  });

  it('serves library images by ID only', async () => {
    const images = recorded.protocols.get('studio-image')!;
    const id = '01JDZ7Q0M0A6W5Y3G3V6Q7N8PZ';
    const file = await core.library.writeImage(id, '01JDZ7Q0M1B6W5Y3G3V6Q7N8PZ', 'image/png', Buffer.from('png'));
    const ok = await images(new Request(`studio-image://library/${id}/${file}`));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect((await images(new Request(`studio-image://library/${id}/generation.json`))).status).toBe(404);
    expect((await images(new Request(`studio-image://library/../settings.json`))).status).toBe(404);
  });
});

describe('window', () => {
  it('is locked down per the security checklist', () => {
    createMainWindow({ url: appUrl, preload: '/p/index.cjs', icon: '/i.png', dev: false, stateFile });
    const win = recorded.windows.at(-1)!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: '/p/index.cjs',
    });
    expect(win.loaded).toBe(appUrl);

    const navigate = win.events.get('will-navigate')!;
    const blocked = { preventDefault: vi.fn() };
    navigate(blocked, 'https://evil.example/');
    expect(blocked.preventDefault).toHaveBeenCalled();
    const allowed = { preventDefault: vi.fn() };
    navigate(allowed, `${appOrigin}/index.html#x`);
    expect(allowed.preventDefault).not.toHaveBeenCalled();
    expect(win.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(win.openHandler?.({ url: 'https://docs.aws.amazon.com/sagemaker/' })).toEqual({ action: 'deny' });

    const answers: boolean[] = [];
    recorded.permission?.(undefined, 'geolocation', (granted: boolean) => answers.push(granted));
    recorded.permission?.(undefined, 'media', (granted: boolean) => answers.push(granted));
    expect(answers).toEqual([false, false]);
  });

  it('saves downloads straight to Downloads under a name that replaces nothing', () => {
    createMainWindow({ url: appUrl, preload: '/p/index.cjs', icon: '/i.png', dev: false, stateFile });
    recorded.downloads = join(core.dataDir, 'Downloads');
    mkdirSync(recorded.downloads, { recursive: true });
    writeFileSync(join(recorded.downloads, 'harbour.params.png'), 'already here');
    const saved: string[] = [];
    const download = (filename: string) => ({ getFilename: () => filename, setSavePath: (p: string) => saved.push(p) });
    const willDownload = recorded.sessionEvents.get('will-download')!;
    willDownload({}, download('harbour.params.png'));
    willDownload({}, download('../../etc/passwd'));
    expect(saved).toEqual([join(recorded.downloads, 'harbour.params (1).png'), join(recorded.downloads, 'passwd')]);
  });

  it('opens where it was closed, maximised if it was, and on a display that is still there', () => {
    const file = join(core.dataDir, 'window-place.json');
    const open = (): (typeof recorded.windows)[number] => {
      createMainWindow({ url: appUrl, preload: '/p/index.cjs', icon: '/i.png', dev: false, stateFile: file });
      return recorded.windows.at(-1)!;
    };
    const first = open();
    expect(first.options).toMatchObject({ x: 240, y: 60, width: 1440, height: 920, minWidth: 900, minHeight: 600 });

    first.normalBounds = { x: 100, y: 50, width: 1200, height: 800 };
    first.maximized = true;
    first.own.get('close')?.();
    const second = open();
    expect(second.options).toMatchObject({ x: 100, y: 50, width: 1200, height: 800 });
    second.own.get('ready-to-show')?.();
    expect(second.maximizeCalls).toBe(1);

    // Docked to a monitor on the right, moved there and closed; then the monitor is gone.
    const laptop = recorded.displays[0]!;
    const monitor = {
      id: 2,
      bounds: { x: 1920, y: 0, width: 2560, height: 1440 },
      workArea: { x: 1920, y: 0, width: 2560, height: 1400 },
      scaleFactor: 1,
    };
    recorded.displays = [laptop, monitor];
    const docked = open();
    docked.normalBounds = { x: 2400, y: 200, width: 1600, height: 1000 };
    docked.own.get('close')?.();
    expect(open().options).toMatchObject({ x: 2400, y: 200 });
    recorded.displays = [laptop];
    // Back to the laptop alone: its own remembered place.
    expect(open().options).toMatchObject({ x: 100, y: 50, width: 1200, height: 800 });
  });
});
