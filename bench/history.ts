/**
 * History benchmarks, through the core as web mode and Electron run it:
 * - history_first_page_local_ms: first page of 50 generations (4 images each) from a local
 *   library of 1,000 generations, listed and every thumbnail of the page servable.
 * - history_first_page_remote_ms: the same from DynamoDB (dynalite) + S3 (s3rver) with 10,000
 *   generations in the project, on a machine that has never seen it (empty cache, no legacy index).
 * - history_first_page_remote_ms_100k: the same with 100,000 generations in the project.
 * - s3_bytes_per_png_byte: bytes stored in S3 per PNG byte generated, thumbnail sheets included
 *   (the browser plugin: ~1.33).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { Core } from '../src-main/core';
import { toItem } from '../src-main/core/cloud/items';
import { encodeThumbSheet, thumbSheetKey } from '../src-main/core/cloud/thumb-sheet';
import { newId } from '../src-main/core/library/ids';
import type { GenerationRecord } from '../src-main/core/library/local-library';
import { parseImagePath } from '../src-main/core/policy';
import { startFakeSageMaker } from '../test/fakes/sagemaker-endpoint';
import { writeAwsProfiles } from '../test/support/aws-profile';
import { emulatorCredentials, startEmulators } from '../test/support/emulators';
import type { Emulators } from '../test/support/emulators';
import { recordFor } from '../test/support/records';
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

/**
 * `count` generations of this app in `project` (BatchWriteItem, eight batches of 25 at a time),
 * the newest a minute apart up to now; in S3 only what the first page needs: the thumbnail
 * sheets of the newest generations.
 */
const writeProject = async (emu: Emulators, project: string, count: number, thumb: Buffer): Promise<void> => {
  const doc = DynamoDBDocumentClient.from(emu.dynamodb);
  const now = Date.now();
  const recordAt = (i: number): GenerationRecord => {
    const time = now - (count - i) * 60_000;
    const base = recordFor(newId(time), `a castle on a hill at sunset, high detail #${i}`, new Date(time));
    const images = Array.from({ length: perGeneration }, (_, index) => {
      const id = newId(time);
      return {
        id,
        index,
        seed: i * 10 + index + 1,
        width: 1024,
        height: 1024,
        contentType: 'image/png' as const,
        file: `${id}.png`,
      };
    });
    return {
      ...base,
      input: { ...base.input, negativePrompt: 'blurry' },
      count: perGeneration,
      endpointName: 'bench',
      images,
    };
  };
  const limit = pLimit(8);
  const writes: Array<Promise<unknown>> = [];
  for (let i = 0; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, (_, k) => recordAt(i + k));
    const items = batch.map((r) => toItem(project, r, true));
    writes.push(
      limit(async () => {
        let request: Record<string, Array<Record<string, unknown>>> | undefined = {
          [emu.table]: items.map((Item) => ({ PutRequest: { Item } })),
        };
        while (request) {
          const out: BatchWriteCommandOutput = await doc.send(new BatchWriteCommand({ RequestItems: request }));
          const left: unknown[] | undefined = out.UnprocessedItems?.[emu.table];
          request = left && left.length > 0 ? { [emu.table]: left as Array<Record<string, unknown>> } : undefined;
        }
      }),
    );
    if (i + 25 >= count - pageSize - 10) {
      for (const r of batch) {
        const sheet = encodeThumbSheet(new Map(r.images.map((img) => [img.id, new Uint8Array(thumb)])));
        writes.push(
          limit(() =>
            emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: thumbSheetKey(project, r.id), Body: sheet })),
          ),
        );
      }
    }
    if (writes.length >= 64) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
};

const main = async (): Promise<void> => {
  Object.assign(process.env, writeAwsProfiles({ default: emulatorCredentials }));
  const work = mkdtempSync(join(tmpdir(), 'studio-bench-history-'));
  const localDir = join(work, 'local');
  const { thumb } = await makeLibrary(localDir, generations, perGeneration);

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
  for (const count of [10_000, 100_000]) {
    const project = `bench-${count}`;
    const setup = performance.now();
    await writeProject(emu, project, count, thumb);
    const setupMs = performance.now() - setup;
    const remote = await measure(() =>
      webModeCore(mkdtempSync(join(work, 'empty-')), {
        storeGeneratedImages: true,
        generationsBucket: emu.bucket,
        generationsTable: emu.table,
        projectId: project,
        endpointOverrides: { s3: emu.s3Url, dynamodb: emu.dynamodbUrl },
      }),
    );
    console.log(
      JSON.stringify({
        metric: count === 10_000 ? 'history_first_page_remote_ms' : 'history_first_page_remote_ms_100k',
        value: round(remote),
        unit: 'ms',
        thumb_bytes: thumb.length,
        generations: count,
        images_per_generation: perGeneration,
        page: pageSize,
        runs,
        setup_ms: Math.round(setupMs),
        target: 500,
      }),
    );
  }

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
  // Every object counts, the thumbnail sheets too (they left the DynamoDB items for S3).
  const sheetBytes = (listed.Contents ?? [])
    .filter((o) => o.Key?.endsWith('/thumbnails.bin'))
    .reduce((sum, o) => sum + (o.Size ?? 0), 0);
  console.log(
    JSON.stringify({
      metric: 's3_bytes_per_png_byte',
      value: Number((s3Bytes / pngBytes).toFixed(3)),
      unit: 'ratio',
      objects: listed.KeyCount,
      png_bytes: pngBytes,
      s3_bytes: s3Bytes,
      thumbnail_sheet_bytes: sheetBytes,
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
