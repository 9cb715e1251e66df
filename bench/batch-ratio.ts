/**
 * batch4_vs_single_ratio and batch8_vs_single_ratio: wall time of a count-4 (count-8)
 * generation at concurrency 4 (8) divided by a count-1 generation, through the whole core
 * (real SDK, signed HTTP) against the fake endpoint answering after 500 ms per call with
 * precomputed realistic 1024×1024 PNGs (~2 MB each, see support/fake-endpoint-process.ts).
 * Sequential calls (the browser plugin) would give 4.0 (8.0); the app adds the rest.
 *
 * The grid thumbnails a Dream leaves to make in the background are let finish before the
 * next timed Dream starts (outside the timing): a user does not Dream again within
 * milliseconds, and each Dream is measured on its own.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings } from '../src-shared/settings';
import { testCredentials } from '../test/fakes/keys';
import { writeAwsProfiles } from '../test/support/aws-profile';
import { thumbnailsIdle } from '../src-main/core/library/thumbnails';
import { webModeCore } from './support/web-core';

const runs = 7;
const latencyMs = 500;
const cases = [
  { metric: 'batch4_vs_single_ratio', count: 4, concurrency: 4, target: 1.1 },
  { metric: 'batch8_vs_single_ratio', count: 8, concurrency: 8, target: 1.25 },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (x: number): number => Number(x.toFixed(1));

const main = async (): Promise<void> => {
  Object.assign(process.env, writeAwsProfiles({ default: testCredentials }));
  const root = join(import.meta.dirname, '..');
  const child = spawn(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(root, 'bench', 'support', 'fake-endpoint-process.ts'), String(latencyMs)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`fake endpoint exited (${code})`)));
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'studio-bench-batch-'));
  const core = webModeCore(dataDir, {
    models: [{ modelId: 'sdxl', endpointName: 'bench', modelName: '', format: 'stability' }],
    endpointOverrides: { ...defaultSettings().endpointOverrides, sagemakerRuntime: url },
  });
  /** This process's CPU time (all its threads) per timed Dream, by count: less noisy than wall time on a shared machine. */
  const cpu = new Map<number, number[]>();
  const time = async (count: number): Promise<number> => {
    await thumbnailsIdle();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await core.dispatch('generate', { input: { prompt: 'bench', width: 1024, height: 1024 }, count });
    if (!result.ok) throw new Error(`bench generation failed: ${result.error.message}`);
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpuStart);
    cpu.set(count, [...(cpu.get(count) ?? []), (used.user + used.system) / 1000]);
    return wall;
  };
  for (const c of cases) {
    core.settings.save({ concurrency: c.concurrency });
    await time(1); // warm-up: connections, credentials
    await time(c.count);
    cpu.clear();
    const single: number[] = [];
    const batch: number[] = [];
    for (let i = 0; i < runs; i++) {
      single.push(await time(1));
      batch.push(await time(c.count));
    }
    console.log(
      JSON.stringify({
        metric: c.metric,
        value: Number((median(batch) / median(single)).toFixed(3)),
        unit: 'ratio',
        runs,
        latency_ms: latencyMs,
        concurrency: c.concurrency,
        single_ms_p50: ms(median(single)),
        [`batch${c.count}_ms_p50`]: ms(median(batch)),
        single_cpu_ms_p50: ms(median(cpu.get(1) ?? [])),
        [`batch${c.count}_cpu_ms_p50`]: ms(median(cpu.get(c.count) ?? [])),
        target: c.target,
      }),
    );
  }
  core.close();
  child.stdin.end();
  await thumbnailsIdle();
  rmSync(dataDir, { recursive: true, force: true });
};

void main();
