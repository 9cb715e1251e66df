/**
 * batch4_vs_single_ratio: wall time of a count-4 generation divided by a count-1
 * generation, through the whole core (real SDK, signed HTTP) against the fake endpoint
 * answering after 500 ms per call. Sequential calls (the browser plugin) would give 4.0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings } from '../src-shared/settings';
import { testCredentials } from '../test/fakes/keys';
import { writeAwsProfiles } from '../test/support/aws-profile';
import { thumbnailsSettled } from '../src-main/core/library/thumbnails';
import { webModeCore } from './support/web-core';

const runs = 5;
const latencyMs = 500;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

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
  const time = async (count: number): Promise<number> => {
    const start = performance.now();
    const result = await core.dispatch('generate', { input: { prompt: 'bench' }, count });
    if (!result.ok) throw new Error(`bench generation failed: ${result.error.message}`);
    return performance.now() - start;
  };
  await time(1); // warm-up: connections, credentials
  const single: number[] = [];
  const batch: number[] = [];
  for (let i = 0; i < runs; i++) {
    single.push(await time(1));
    batch.push(await time(4));
  }
  core.close();
  child.stdin.end();
  // Grid thumbnails are made in the background after each Dream: let them finish before the folder goes.
  await thumbnailsSettled(join(dataDir, 'generations'));
  rmSync(dataDir, { recursive: true, force: true });
  const ratio = median(batch) / median(single);
  console.log(
    JSON.stringify({
      metric: 'batch4_vs_single_ratio',
      value: Number(ratio.toFixed(3)),
      unit: 'ratio',
      runs,
      latency_ms: latencyMs,
      single_ms_p50: Number(median(single).toFixed(1)),
      batch4_ms_p50: Number(median(batch).toFixed(1)),
      target: 1.2,
    }),
  );
};

void main();
