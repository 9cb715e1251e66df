/**
 * Start-up benchmarks, on a large local library:
 * - server_ready_ms: `node out/main/server.js` (empty data folder) to its first answered request
 *   (the printed link, traded for the session cookie), then to its first answered call.
 * - startup_ms_50k_cloud_on: web mode with 50,000 local generations and cloud storage on (DynamoDB
 *   and S3 emulators), from start to the first answered call that waits for the start-up work
 *   (interrupted generations, lost upload jobs: `retrySync`), i.e. later than "listening".
 * - library_first_search_ms_50k: a fresh core on the same library, its first search.
 * Builds the app first, so what is measured is the code as it is.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAwsProfiles } from '../test/support/aws-profile';
import { emulatorCredentials, startEmulators } from '../test/support/emulators';
import { makeLibrary } from './support/library';
import { webModeCore } from './support/web-core';

const generations = 50_000;
const runs = 5;
const root = join(import.meta.dirname, '..');
const serverJs = join(root, 'out', 'main', 'server.js');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number): number => Number(n.toFixed(1));

interface Timings {
  /** Start to the first answered request (the link). */
  firstAnswer: number;
  /** Start to the answer of `call`. */
  called: number;
}

/** Starts web mode on `dataDir`, opens its link, makes one call; times both from the spawn. */
const startOnce = async (dataDir: string, call: string, env: NodeJS.ProcessEnv): Promise<Timings> => {
  const start = performance.now();
  const child = spawn(process.execPath, [serverJs, '--port', '0', '--data-dir', dataDir], {
    env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  try {
    const link = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const found = /Open (http:\/\/\S+)/.exec(out);
        if (found?.[1]) resolve(found[1]);
      });
      child.once('exit', (code) => reject(new Error(`server exited (${code}): ${errors}`)));
    });
    const opened = await fetch(link, { redirect: 'manual' });
    const firstAnswer = performance.now() - start;
    const cookie = opened.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const answer = await fetch(new URL(`/api/${call}`, link), { method: 'POST', headers: { cookie } });
    const result = (await answer.json()) as { ok: boolean; error?: { message: string } };
    const called = performance.now() - start;
    if (!result.ok) throw new Error(`${call}: ${result.error?.message ?? answer.status}`);
    return { firstAnswer, called };
  } finally {
    child.kill();
  }
};

const main = async (): Promise<void> => {
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'ignore',
  });
  const env = { ...process.env, ...writeAwsProfiles({ default: emulatorCredentials }) };
  Object.assign(process.env, env);
  const work = mkdtempSync(join(tmpdir(), 'studio-bench-startup-'));

  const empty: Timings[] = [];
  for (let i = 0; i < runs; i++) empty.push(await startOnce(mkdtempSync(join(work, 'empty-')), 'getSettings', env));
  console.log(
    JSON.stringify({
      metric: 'server_ready_ms',
      value: round(median(empty.map((t) => t.firstAnswer))),
      unit: 'ms',
      first_call_ms: round(median(empty.map((t) => t.called))),
      runs,
      target: 600,
    }),
  );

  const dataDir = join(work, 'library');
  await makeLibrary(dataDir, generations, 1);
  const emu = await startEmulators('bench-startup', 'bench-startup');
  // Writes settings.json (cloud storage on) and the library's catalog, as the app's earlier runs would have.
  const setup = webModeCore(dataDir, {
    storeGeneratedImages: true,
    generationsBucket: emu.bucket,
    generationsTable: emu.table,
    projectId: 'bench',
    endpointOverrides: { s3: emu.s3Url, dynamodb: emu.dynamodbUrl },
  });
  await setup.started();
  setup.close();

  const cloudOn: Timings[] = [];
  for (let i = 0; i < runs; i++) cloudOn.push(await startOnce(dataDir, 'retrySync', env));
  console.log(
    JSON.stringify({
      metric: 'startup_ms_50k_cloud_on',
      value: round(median(cloudOn.map((t) => t.called))),
      unit: 'ms',
      first_answer_ms: round(median(cloudOn.map((t) => t.firstAnswer))),
      generations,
      runs,
      target: 1000,
    }),
  );
  await emu.close();

  const searches: number[] = [];
  for (let i = 0; i < runs; i++) {
    const core = webModeCore(dataDir, { storeGeneratedImages: false });
    const begin = performance.now();
    const page = await core.dispatch('searchGenerations', { query: 'lighthouse storm', limit: 50 });
    searches.push(performance.now() - begin);
    core.close();
    const found = page.ok ? (page.value as { generations: unknown[] }).generations.length : 0;
    if (found !== 50) throw new Error(`bench: the search found ${found} of 50`);
  }
  console.log(
    JSON.stringify({
      metric: 'library_first_search_ms_50k',
      value: round(median(searches)),
      unit: 'ms',
      generations,
      page: 50,
      runs,
      target: 100,
    }),
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
