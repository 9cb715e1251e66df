/**
 * History benchmarks, through the core as web mode and Electron run it:
 * - history_first_page_local_ms: first page of 50 generations (4 images each) from a local
 *   library of 1,000 generations, listed and every thumbnail of the page servable.
 * - history_first_page_remote_ms: the same from DynamoDB (dynalite) + S3 (s3rver), empty local cache.
 * - s3_bytes_per_png_byte: bytes stored in S3 per PNG byte generated (the browser plugin: ~1.33).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Core } from '../src-main/core';
import { toItem } from '../src-main/core/cloud/items';
import { parseImagePath } from '../src-main/core/policy';
import { startFakeSageMaker } from '../test/fakes/sagemaker-endpoint';
import { writeAwsProfiles } from '../test/support/aws-profile';
import { emulatorCredentials, startEmulators } from '../test/support/emulators';
import { makeLibrary } from './support/library';
import { webModeCore } from './support/web-core';

const generations = 1000;
const perGeneration = 4;
const pageSize = 50;
const runs = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number): number => Number(n.toFixed(1));

/** What the grid needs: the page, then every thumbnail on it ready to serve. */
const firstPage = async (c: Core): Promise<number> => {
  const start = performance.now();
  const page = await c.dispatch('listGenerations', { limit: pageSize });
  if (!page.ok) throw new Error(page.error.message);
  const value = page.value as { generations: Array<{ images: Array<{ thumbUrl: string }> }> };
  const thumbs = value.generations.flatMap((g) => g.images.map((i) => i.thumbUrl));
  const paths = await Promise.all(thumbs.map((u) => c.images.resolve(parseImagePath(u.replace('/images', ''))!)));
  const elapsed = performance.now() - start;
  if (value.generations.length !== pageSize || paths.some((p) => !('path' in p) || !p.path.endsWith('.thumb.webp'))) {
    throw new Error(`bench: first page incomplete (${value.generations.length} generations)`);
  }
  return elapsed;
};

const main = async (): Promise<void> => {
  Object.assign(process.env, writeAwsProfiles({ default: emulatorCredentials }));
  const work = mkdtempSync(join(tmpdir(), 'studio-bench-history-'));
  const localDir = join(work, 'local');
  const { records, thumb } = await makeLibrary(localDir, generations, perGeneration);

  /** The median first-page time over `runs` fresh cores. */
  const measure = async (make: () => Core): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c = make();
      times.push(await firstPage(c));
      c.close();
    }
    return median(times);
  };

  const local = await measure(() => webModeCore(localDir, {}));
  console.log(
    JSON.stringify({
      metric: 'history_first_page_local_ms',
      value: round(local),
      unit: 'ms',
      generations,
      images_per_generation: perGeneration,
      page: pageSize,
      runs,
      target: 150,
    }),
  );

  const emu = await startEmulators('bench-generations', 'bench-generations');
  const cloud = (dataDir: string): Core =>
    webModeCore(dataDir, {
      storeGeneratedImages: true,
      generationsBucket: emu.bucket,
      generationsTable: emu.table,
      projectId: 'bench',
      endpointOverrides: { s3: emu.s3Url, dynamodb: emu.dynamodbUrl },
    });
  const doc = DynamoDBDocumentClient.from(emu.dynamodb);
  const items = records.map((r) => toItem('bench', r));
  for (let i = 0; i < items.length; i += 25 * 8) {
    await Promise.all(
      Array.from({ length: 8 }, (_, k) => items.slice(i + k * 25, i + (k + 1) * 25))
        .filter((batch) => batch.length > 0)
        .map((batch) =>
          doc.send(
            new BatchWriteCommand({ RequestItems: { [emu.table]: batch.map((Item) => ({ PutRequest: { Item } })) } }),
          ),
        ),
    );
  }
  const remote = await measure(() => cloud(mkdtempSync(join(work, 'empty-'))));
  console.log(
    JSON.stringify({
      metric: 'history_first_page_remote_ms',
      value: round(remote),
      unit: 'ms',
      thumb_bytes: thumb.length,
      generations,
      images_per_generation: perGeneration,
      page: pageSize,
      runs,
      target: 1000,
    }),
  );

  // Bytes in S3 per PNG byte: real generations through the app, uploaded by the outbox.
  const fake = await startFakeSageMaker();
  const genDir = mkdtempSync(join(work, 'gen-'));
  const g = webModeCore(genDir, {
    models: [{ modelId: 'sdxl', endpointName: 'bench' }],
    storeGeneratedImages: true,
    generationsBucket: emu.bucket,
    generationsTable: emu.table,
    projectId: 'bytes',
    endpointOverrides: { sagemakerRuntime: fake.url, s3: emu.s3Url, dynamodb: emu.dynamodbUrl },
  });
  let pngBytes = 0;
  for (let i = 0; i < 3; i++) {
    const result = await g.dispatch('generate', { input: { prompt: `bytes ${i}` }, count: perGeneration });
    if (!result.ok) throw new Error(result.error.message);
    const generation = result.value as { id: string; images: Array<{ id: string }> };
    for (const image of generation.images)
      pngBytes += readFileSync(join(genDir, 'generations', generation.id, `${image.id}.png`)).length;
  }
  await g.cloud.outbox.idle();
  const listed = await emu.s3.send(new ListObjectsV2Command({ Bucket: emu.bucket, Prefix: 'bytes/' }));
  const s3Bytes = (listed.Contents ?? []).reduce((sum, o) => sum + (o.Size ?? 0), 0);
  console.log(
    JSON.stringify({
      metric: 's3_bytes_per_png_byte',
      value: Number((s3Bytes / pngBytes).toFixed(3)),
      unit: 'ratio',
      objects: listed.KeyCount,
      png_bytes: pngBytes,
      s3_bytes: s3Bytes,
      target: 1.0,
      browser_plugin: 1.33,
    }),
  );
  g.close();
  await fake.close();
  await emu.close();
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
