import type { LaunchOptions } from '@playwright/test';

/**
 * Debian's Chromium (Playwright's own browser download is not reachable from these machines),
 * with what it needs in containers and CI: the e2e suite, the renderer benchmarks and the
 * README's screenshots all launch it this way.
 */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
