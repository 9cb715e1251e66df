import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { UpdateFlow, updateReadyTitle, updatesEnabled } from '../../src-main/shell/updates';
import type { Updater } from '../../src-main/shell/updates';

/** An updater that behaves as electron-updater's does from outside: it checks, then emits what it found. */
class FeedUpdater extends EventEmitter implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  checks = 0;
  installs = 0;
  constructor(private readonly answer: () => { event: string; arg?: unknown } | Error) {
    super();
  }
  checkForUpdates(): Promise<unknown> {
    this.checks++;
    const a = this.answer();
    if (a instanceof Error) return Promise.reject(a);
    queueMicrotask(() => this.emit(a.event, a.arg));
    return Promise.resolve(null);
  }
  quitAndInstall(): void {
    this.installs++;
  }
}

const setUp = (answer: () => { event: string; arg?: unknown } | Error) => {
  const updater = new FeedUpdater(answer);
  const notes: Array<{ title: string; body: string; click?: () => void }> = [];
  let busy = false;
  const flow = new UpdateFlow({
    updater,
    busy: () => busy,
    notify: (title, body, click) => notes.push({ title, body, ...(click ? { click } : {}) }),
  });
  return { updater, notes, flow, setBusy: (b: boolean) => (busy = b) };
};
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('updates', () => {
  it('are on only in an installed app, and can be turned off', () => {
    expect(updatesEnabled(false, {})).toBe(false);
    expect(updatesEnabled(true, {})).toBe(true);
    expect(updatesEnabled(true, { STUDIO_UPDATES: 'off' })).toBe(false);
  });

  it('download in the background and say “Update ready — restart to install”; a click restarts into it', async () => {
    const { updater, notes, flow } = setUp(() => ({ event: 'update-downloaded', arg: { version: '1.2.0' } }));
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true });
    flow.check(false);
    await settle();
    expect(notes.map((n) => n.title)).toEqual([updateReadyTitle]);
    expect(notes[0]?.body).toContain('1.2.0');
    expect(updater.installs).toBe(0);
    notes[0]?.click?.();
    expect(updater.installs).toBe(1);
  });

  it('never restart while a Dream runs: the click says it waits, and it installs on quit or on a later click', async () => {
    const { updater, notes, flow, setBusy } = setUp(() => ({ event: 'update-downloaded', arg: { version: '1.2.0' } }));
    flow.check(false);
    await settle();
    setBusy(true);
    notes[0]?.click?.();
    expect(updater.installs).toBe(0);
    expect(notes[1]?.title).toBe('Update waits for the Dream');
    setBusy(false);
    notes[1]?.click?.();
    expect(updater.installs).toBe(1);
  });

  it('a check from the menu says when there is nothing new or it failed; the start-up check stays quiet', async () => {
    let answer: { event: string; arg?: unknown } | Error = { event: 'update-not-available' };
    const { notes, flow } = setUp(() => answer);
    flow.check(false);
    await settle();
    expect(notes).toEqual([]);
    flow.check(true);
    await settle();
    expect(notes.map((n) => n.title)).toEqual(['No update']);

    answer = new Error('net::ERR_INTERNET_DISCONNECTED');
    flow.check(false);
    await settle();
    expect(notes).toHaveLength(1);
    flow.check(true);
    await settle();
    expect(notes[1]).toMatchObject({ title: 'Could not check for updates', body: 'net::ERR_INTERNET_DISCONNECTED' });
  });
});
