import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

const chromium = {
  browserName: 'chromium' as const,
  viewport: { width: 1440, height: 900 },
  launchOptions: chromiumLaunchOptions,
};

/**
 * The same specs run in two projects: `web` (web mode in Debian's Chromium, runs
 * everywhere) and `electron` (the desktop app, where an Electron binary exists;
 * otherwise each test is skipped with the reason printed).
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // Budgets, not waits: a passing test takes what it takes (10–25 s on a loaded 2-core machine). Starting
  // the app has a budget of its own (the `studio` fixture's), so a slow start does not eat the test's.
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  outputDir: '.tmp/e2e-results',
  reporter: [['list'], ['json', { outputFile: '.tmp/e2e-report.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'web', use: chromium },
    // The studio fixture drives Electron's own window here; the browser settings only back Playwright's unused page fixture.
    { name: 'electron', use: chromium },
  ],
});
