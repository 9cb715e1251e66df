import { log } from '../core/log';

/** What the flow uses of electron-updater's `autoUpdater`. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateFlowOptions {
  updater: Updater;
  /** Whether a Dream is running: the app never restarts under it. */
  busy: () => boolean;
  /** Shows a notification; `onClick` runs when the user clicks it. */
  notify: (title: string, body: string, onClick?: () => void) => void;
}

export const updateReadyTitle = 'Update ready — restart to install';

/**
 * Updates from the release feed (GitHub releases): downloaded in the background, announced when
 * ready, installed when the user clicks the notification or quits. Never a forced restart, and
 * no restart while a Dream is running (it then installs on quit). A check asked for from the menu
 * also says when there is nothing new or the check failed; the one at start-up is quiet.
 */
export class UpdateFlow {
  private manual = false;
  private ready: string | undefined;

  constructor(private readonly o: UpdateFlowOptions) {
    o.updater.autoDownload = true;
    o.updater.autoInstallOnAppQuit = true;
    o.updater.on('update-downloaded', (info) => {
      this.ready = info.version;
      log.info(`Update ${info.version} downloaded`);
      o.notify(
        updateReadyTitle,
        `Version ${info.version} is ready. Click to restart now, or it installs when you quit.`,
        () => this.install(),
      );
    });
    o.updater.on('update-not-available', () => {
      if (this.manual) o.notify('No update', 'You have the latest version.');
      this.manual = false;
    });
    o.updater.on('error', (error) => {
      log.warn('Update check failed', error);
      if (this.manual) o.notify('Could not check for updates', error.message);
      this.manual = false;
    });
  }

  /** Checks the feed; `manual` when the user asked (from the menu). */
  check(manual: boolean): void {
    if (this.ready !== undefined) {
      if (manual) this.install();
      return;
    }
    this.manual = manual;
    this.o.updater.checkForUpdates().catch((error: unknown) => {
      log.warn('Update check failed', error);
      if (manual) this.o.notify('Could not check for updates', error instanceof Error ? error.message : String(error));
    });
  }

  /** Restarts into the downloaded update, unless a Dream is running. */
  install(): void {
    if (this.ready === undefined) return;
    if (this.o.busy()) {
      this.o.notify(
        'Update waits for the Dream',
        `Version ${this.ready} installs when you quit, or click again once the Dream is done.`,
        () => this.install(),
      );
      return;
    }
    this.o.updater.quitAndInstall();
  }
}

/** Updates run only in an installed app: not in development, not in web mode, not when turned off. */
export const updatesEnabled = (isPackaged: boolean, env: NodeJS.ProcessEnv): boolean =>
  isPackaged && env.STUDIO_UPDATES !== 'off';
