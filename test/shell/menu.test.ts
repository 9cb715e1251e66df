import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { aboutVersions, menuTemplate } from '../../src-main/shell/menu';
import type { MenuActions } from '../../src-main/shell/menu';

type Item = MenuItemConstructorOptions;

const recorder = (withUpdates = true): { actions: MenuActions; called: string[] } => {
  const called: string[] = [];
  const actions: MenuActions = {
    openSettings: () => called.push('openSettings'),
    importPng: () => called.push('importPng'),
    openDataFolder: () => called.push('openDataFolder'),
    openReadme: () => called.push('openReadme'),
    showLogs: () => called.push('showLogs'),
    copyDiagnostics: () => called.push('copyDiagnostics'),
    ...(withUpdates ? { checkForUpdates: () => called.push('checkForUpdates') } : {}),
  };
  return { actions, called };
};

const children = (item: Item | undefined): Item[] => (Array.isArray(item?.submenu) ? (item.submenu as Item[]) : []);
const all = (items: Item[]): Item[] => items.flatMap((i) => [i, ...all(children(i))]);
const top = (items: Item[], name: string): Item | undefined => items.find((i) => i.label === name || i.role === name);
const names = (items: Item[]): string[] =>
  items.map((i) => (i.type === 'separator' ? '-' : (i.label ?? i.role ?? '?')));
const click = (item: Item | undefined): void => (item?.click as (() => void) | undefined)?.call(undefined);

const build = (platform: NodeJS.Platform, dev: boolean, withUpdates = true) => {
  const { actions, called } = recorder(withUpdates);
  const menu = menuTemplate({ platform, dev, productName: 'StableStudio Desktop' }, actions);
  return { menu, called, byId: (id: string) => all(menu).find((i) => i.id === id) };
};

describe('the application menu', () => {
  it('on Windows and Linux: File, Edit, View, Window, Help; Settings… and Quit under File, About under Help', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const { menu } = build(platform, false);
      expect(names(menu)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'help']);
      expect(names(children(top(menu, 'File')))).toEqual([
        'Settings…',
        '-',
        'Import PNG…',
        'Open Data Folder',
        '-',
        'quit',
      ]);
      expect(names(children(top(menu, 'help')))).toEqual([
        'README',
        'Show Logs',
        'Copy Diagnostics',
        '-',
        'Check for Updates…',
        'about',
      ]);
      expect(names(children(top(menu, 'windowMenu')))).toEqual(['minimize', 'close']);
    }
  });

  it('on macOS: the app menu holds About, Settings…, Services, Hide and Quit; File closes the window', () => {
    const { menu } = build('darwin', false);
    expect(names(menu)).toEqual(['StableStudio Desktop', 'File', 'Edit', 'View', 'windowMenu', 'help']);
    expect(names(children(menu[0]))).toEqual([
      'about',
      'Check for Updates…',
      '-',
      'Settings…',
      '-',
      'services',
      '-',
      'hide',
      'hideOthers',
      'unhide',
      '-',
      'quit',
    ]);
    expect(names(children(top(menu, 'File')))).toEqual(['Import PNG…', 'Open Data Folder', '-', 'close']);
    expect(names(children(top(menu, 'help')))).toEqual(['README', 'Show Logs', 'Copy Diagnostics']);
    expect(names(children(top(menu, 'windowMenu')))).toEqual(['minimize', 'zoom', '-', 'front']);
  });

  it('Edit has the standard roles; View has zoom and full screen, and Reload and developer tools only in development', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      const shipped = build(platform, false).menu;
      expect(names(children(top(shipped, 'Edit')))).toEqual(['undo', 'redo', '-', 'cut', 'copy', 'paste', 'selectAll']);
      expect(names(children(top(shipped, 'View')))).toEqual([
        'resetZoom',
        'zoomIn',
        'zoomOut',
        '-',
        'togglefullscreen',
      ]);
      expect(all(shipped).some((i) => i.role === 'toggleDevTools' || i.role === 'reload')).toBe(false);

      const dev = build(platform, true).menu;
      expect(names(children(top(dev, 'View'))).slice(0, 4)).toEqual(['reload', 'forceReload', 'toggleDevTools', '-']);
    }
  });

  it('each item calls its action once, with its shortcut', () => {
    for (const platform of ['darwin', 'linux'] as const) {
      const { byId, called } = build(platform, false);
      expect(byId('settings')?.accelerator).toBe('CmdOrCtrl+,');
      expect(byId('import-png')?.accelerator).toBe('CmdOrCtrl+O');
      for (const id of ['settings', 'import-png', 'open-data-folder', 'readme', 'show-logs', 'copy-diagnostics'])
        click(byId(id));
      click(byId('check-updates'));
      expect(called).toEqual([
        'openSettings',
        'importPng',
        'openDataFolder',
        'openReadme',
        'showLogs',
        'copyDiagnostics',
        'checkForUpdates',
      ]);
    }
  });

  it('offers no update check where updates are off', () => {
    for (const platform of ['darwin', 'linux'] as const) {
      const { menu } = build(platform, true, false);
      expect(all(menu).some((i) => i.id === 'check-updates')).toBe(false);
    }
  });

  it('About names the app version and what it runs on', () => {
    const line = aboutVersions('1.2.3', { ...process.versions, electron: '45.5.0', chrome: '140.0.1' });
    expect(line).toBe(`Version 1.2.3 (Electron 45.5.0, Chromium 140.0.1, Node ${process.versions.node})`);
  });
});
