import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron, test as base, expect } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { emulatorCredentials } from '../test/support/emulators';
import { startFakeSageMaker } from '../test/fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../test/fakes/sagemaker-endpoint';
import { writeAwsProfiles } from '../test/support/aws-profile';

const root = join(import.meta.dirname, '..');

/** Where Electron's binary would be, if it was ever downloaded. */
export const electronBinary = (): string | undefined => {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist'),
    readFileSync(pathFile, 'utf8').trim(),
  );
  return existsSync(binary) ? binary : undefined;
};

export interface StudioApp {
  page: Page;
  /** The fake SDXL endpoint this test's app talks to. */
  fake: FakeSageMaker;
  dataDir: string;
  /** Quits the app (or web-mode server) and starts it again on the same data. */
  restart(): Promise<void>;
}

interface Running {
  page: Page;
  stop(): Promise<void>;
}

/** Starting the app: on a loaded machine a web-mode server may take many seconds to print its URL. */
const studioStartBudgetMs = 60_000;
const webModeStartBudgetMs = studioStartBudgetMs - 15_000;

const startWebMode = async (
  dataDir: string,
  env: NodeJS.ProcessEnv,
  page: Page,
  port = 0,
): Promise<Running & { port: number }> => {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'out', 'main', 'server.js'), '--port', String(port), '--data-dir', dataDir],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const openUrl = await new Promise<string>((resolve, reject) => {
    // A budget under the fixture's, so that a server that never starts is reported with its output.
    const timer = setTimeout(
      () => reject(new Error(`web mode did not start within ${webModeStartBudgetMs} ms:\n${output}`)),
      webModeStartBudgetMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Open (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited (${code}):\n${output}`));
    });
  });
  await page.goto(openUrl);
  return {
    page,
    port: Number(new URL(openUrl).port),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
};

const startElectron = async (dataDir: string, env: NodeJS.ProcessEnv): Promise<Running> => {
  const app: ElectronApplication = await _electron.launch({
    args: [join(root, 'out', 'main', 'index.js')],
    env: { ...env, STUDIO_DATA_DIR: dataDir },
  });
  const page = await app.firstWindow();
  return { page, stop: () => app.close() };
};

export const test = base.extend<{ studio: StudioApp }>({
  studio: [
    async ({ page: browserPage }, use, testInfo) => {
      const electron = testInfo.project.name === 'electron';
      if (electron && !electronBinary()) {
        const reason =
          "Electron's binary is not installed on this machine (it cannot be downloaded here); the web project ran these specs in Chromium";
        console.log(`[electron] skipped "${testInfo.title}": ${reason}`);
        testInfo.skip(true, reason);
        return;
      }
      const fake = await startFakeSageMaker();
      const dataDir = mkdtempSync(join(tmpdir(), 'studio-e2e-'));
      // s3rver only accepts its own key pair; the fake endpoint accepts it too, so one profile serves every spec.
      const env: NodeJS.ProcessEnv = { ...process.env, ...writeAwsProfiles({ default: emulatorCredentials }) };
      for (const key of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
        delete env[key];
      // A restart in web mode reuses the port: same origin, so the page keeps its localStorage, as a real restart does.
      let port = 0;
      const start = async (): Promise<Running> => {
        if (electron) return startElectron(dataDir, env);
        const web = await startWebMode(dataDir, env, browserPage, port);
        port = web.port;
        return web;
      };
      let running = await start();
      const app: StudioApp = {
        get page() {
          return running.page;
        },
        fake,
        dataDir,
        restart: async () => {
          await running.stop();
          running = await start();
        },
      };
      await use(app);
      await running.stop();
      await fake.close();
    },
    // Its own budget: setting up and tearing down the app is not the test's time.
    { timeout: studioStartBudgetMs },
  ],
});

export { expect };
