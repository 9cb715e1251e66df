import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core';
import { AwsClients } from '../../src-main/core/aws/clients';
import { checkStorage } from '../../src-main/core/aws/connection';
import { CacheLimit } from '../../src-main/core/cloud/cache-limit';
import { toItem } from '../../src-main/core/cloud/items';
import { CloudStore } from '../../src-main/core/cloud/store';
import { newId } from '../../src-main/core/library/ids';
import type { GenerationRecord } from '../../src-main/core/library/local-library';
import { parseImagePath } from '../../src-main/core/policy';
import type { StudioEvent } from '../../src-shared/generation';
import { renderPng } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { recordFor, withImage } from '../support/records';
import { call, callError, configure, imagePath, startCore, tempDataDir } from '../support/core';
import { cloudSettings, emulatorCredentials, startEmulators } from '../support/emulators';
import type { Emulators } from '../support/emulators';

let emu: Emulators;
let fake: FakeSageMaker;

beforeAll(async () => {
  useAwsProfiles({ default: emulatorCredentials });
  [emu, fake] = await Promise.all([startEmulators(), startFakeSageMaker()]);
});
afterAll(async () => Promise.all([emu.close(), fake.close()]));
beforeEach(() => {
  emu.s3Proxy.mode = 'pass';
  emu.dynamodbProxy.mode = 'pass';
});

const input = { prompt: 'a lighthouse in a storm' };

const cloudCore = async (project: string, dataDir = tempDataDir()) => {
  const core = startCore(dataDir);
  await configure(core, cloudSettings(emu, fake.url, project));
  return core;
};

const synced = (core: Core) => core.cloud.outbox.idle();

/** The image objects under a prefix (a generation's thumbnail sheet beside them is not counted). */
const objectsUnder = async (prefix: string): Promise<string[]> => {
  const out = await emu.s3.send(new ListObjectsV2Command({ Bucket: emu.bucket, Prefix: prefix }));
  return (out.Contents ?? [])
    .map((o) => o.Key ?? '')
    .filter((k) => /\.(png|jpg)$/.test(k))
    .sort();
};

const rawItem = async (project: string, generationId: string) =>
  (
    await emu.dynamodb.send(
      new GetItemCommand({
        TableName: emu.table,
        Key: { project_id: { S: project }, generation_id: { S: generationId } },
      }),
    )
  ).Item;

describe('cloud library round trip', () => {
  it('stores local first, then binary PNGs in S3 and the item in DynamoDB', async () => {
    const core = await cloudCore('round-trip');
    const events: StudioEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    const generation = await call(core, 'generate', { input, count: 2 });
    expect(generation.sync?.state).toBe('pending');
    expect(existsSync(join(core.dataDir, 'generations', generation.id, 'generation.json'))).toBe(true);
    await synced(core);

    const keys = await objectsUnder(`round-trip/${generation.id}/`);
    expect(keys).toEqual(generation.images.map((i) => `round-trip/${generation.id}/${i.id}.png`).sort());
    let storedBytes = 0;
    let pngBytes = 0;
    for (const image of generation.images) {
      const key = `round-trip/${generation.id}/${image.id}.png`;
      const object = await emu.s3.send(new GetObjectCommand({ Bucket: emu.bucket, Key: key }));
      const body = Buffer.from(await object.Body!.transformToByteArray());
      const local = readFileSync(join(core.dataDir, 'generations', generation.id, `${image.id}.png`));
      expect(body.equals(local)).toBe(true);
      expect(object.ContentType).toBe('image/png');
      expect(object.Metadata).toMatchObject({ generation: generation.id, seed: String(image.seed) });
      storedBytes += body.length;
      pngBytes += local.length;
    }
    expect(storedBytes / pngBytes).toBe(1);

    const item = await rawItem('round-trip', generation.id);
    expect(JSON.parse(item?.s3_object_keys?.S ?? '[]')).toHaveLength(2);
    expect(JSON.parse(item?.input_obj?.S ?? '{}')).toMatchObject({ prompts: [{ text: input.prompt, weight: 1 }] });
    expect(item?.created_at?.S).toBe(generation.createdAt);
    expect(item?.model?.S).toBe('sdxl');
    expect(item?.endpoint?.S).toBe('sdxl-cloud');
    expect(item?.images?.L?.[0]?.M?.seed?.N).toBeDefined();
    // Thumbnails are in a sheet next to the images, not in the item.
    expect(item?.images?.L?.[0]?.M?.thumb).toBeUndefined();
    expect(item?.thumbs_key?.S).toBe(`round-trip/${generation.id}/thumbnails.bin`);
    expect(
      events.filter((e) => e.type === 'sync.changed').map((e) => (e.type === 'sync.changed' ? e.sync.state : '')),
    ).toEqual(['synced']);
    expect((await call(core, 'listGenerations', { limit: 5 })).generations[0]?.sync?.state).toBe('synced');
  });

  it('brings the history back on a machine with an empty library, images fetched lazily', async () => {
    const a = await cloudCore('fresh-machine');
    const generation = await call(a, 'generate', { input, count: 2 });
    await synced(a);
    const b = await cloudCore('fresh-machine');
    const page = await call(b, 'listGenerations', { limit: 10 });
    expect(page.generations.map((g) => g.id)).toEqual([generation.id]);
    const listed = page.generations[0]!;
    expect(listed.sync?.state).toBe('cloud');
    expect(listed.input.prompt).toBe(input.prompt);
    expect(listed.images.map((i) => i.seed)).toEqual(generation.images.map((i) => i.seed));
    const ref = parseImagePath(listed.images[0]!.url.replace('/images', ''))!;
    // The page fetched the thumbnail sheet: the grid shows without another S3 request.
    const s3Before = emu.s3Proxy.requests;
    const gridThumb = await imagePath(b, { ...ref, variant: 'thumb.webp' });
    expect(readFileSync(gridThumb!).subarray(8, 12).toString()).toBe('WEBP');
    expect(emu.s3Proxy.requests).toBe(s3Before);
    const path = await imagePath(b, ref);
    expect(
      readFileSync(path!).equals(readFileSync(join(a.dataDir, 'generations', generation.id, `${ref.imageId}.png`))),
    ).toBe(true);
    const thumb = await imagePath(b, { ...ref, variant: 'thumb.webp' });
    expect(thumb).toMatch(/\.thumb\.webp$/);
    expect(readFileSync(thumb!).subarray(8, 12).toString()).toBe('WEBP');

    // Over the cache's size the full image goes (the thumbnail stays), and comes back from S3 when opened.
    const original = readFileSync(path!);
    expect(await new CacheLimit(join(b.dataDir, 'cloud-cache'), 1).trim()).toBe(original.length);
    expect(existsSync(path!)).toBe(false);
    expect(existsSync(thumb!)).toBe(true);
    const s3BeforeRefetch = emu.s3Proxy.requests;
    const again = await imagePath(b, ref);
    expect(readFileSync(again!).equals(original)).toBe(true);
    expect(emu.s3Proxy.requests).toBe(s3BeforeRefetch + 1);
  });
});

describe('history order and pages', () => {
  it('pages through 250 generations newest first', async () => {
    const project = 'many';
    const writer = await cloudCore(project);
    const store = new CloudStore(new AwsClients(await call(writer, 'getSettings'), writer.state), {
      bucket: emu.bucket,
      table: emu.table,
    });
    const ids: string[] = [];
    const base = Date.parse('2026-01-01T00:00:00Z');
    const records: GenerationRecord[] = Array.from({ length: 250 }, (_, i) => {
      const id = newId(base + i * 60_000);
      ids.push(id);
      return withImage(recordFor(id, `p${i}`, new Date(base + i * 60_000)), newId());
    });
    for (let i = 0; i < records.length; i += 25)
      await Promise.all(records.slice(i, i + 25).map((r) => store.putItem(toItem(project, r))));
    const core = await cloudCore(project);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call(core, 'listGenerations', { limit: 20, ...(cursor ? { cursor } : {}) });
      seen.push(...page.generations.map((g) => g.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(13);
    expect(seen).toEqual([...ids].reverse());
  });

  it('reads what the browser plugin wrote: UUID keys, base64 text objects, missing attributes', async () => {
    const project = 'legacy';
    const legacy: Array<{ generationId: string; imageId: string; png: Buffer }> = [];
    for (let i = 0; i < 3; i++) {
      const generationId = crypto.randomUUID();
      const imageId = crypto.randomUUID();
      const png = renderPng(64, 64, i + 1);
      const key = `${project}/${generationId}/${imageId}.png`;
      await emu.s3.send(
        new PutObjectCommand({
          Bucket: emu.bucket,
          Key: key,
          Body: png.toString('base64'),
          ContentEncoding: 'base64',
          ContentType: 'image/png',
        }),
      );
      const item: Record<string, { S: string }> = {
        project_id: { S: project },
        generation_id: { S: generationId },
        s3_object_keys: { S: JSON.stringify([key]) },
      };
      if (i !== 1) {
        item.input_obj = {
          S: JSON.stringify({
            prompts: [
              { text: `legacy ${i}`, weight: 1 },
              { text: 'ugly', weight: -0.75 },
            ],
            width: 64,
            height: 64,
            cfgScale: 7,
            steps: 40,
            seed: 10 * i,
            sampler: { id: '0', name: 'DDIM' },
            style: 'enhance',
            model: 'sdxl',
          }),
        };
      }
      await emu.dynamodb.send(new PutItemCommand({ TableName: emu.table, Item: item }));
      legacy.push({ generationId, imageId, png });
      await new Promise((r) => setTimeout(r, 1100)); // S3 LastModified has one-second resolution
    }
    const core = await cloudCore(project);
    const ours = await call(core, 'generate', { input, count: 1 });
    await synced(core);

    const page = await call(core, 'listGenerations', { limit: 10 });
    expect(page.generations.map((g) => g.id)).toEqual([ours.id, ...legacy.map((l) => l.generationId).reverse()]);
    // Search reads the plugin's input_obj too: prompt and negative prompt.
    const search = async (query: string) =>
      (await call(core, 'searchGenerations', { query })).generations.map((g) => g.id);
    expect(await search('LEGACY 2')).toEqual([legacy[2]!.generationId]);
    expect(await search('ugly')).toEqual([legacy[2]!.generationId, legacy[0]!.generationId]);
    const oldest = page.generations[3]!;
    expect(oldest.input).toMatchObject({
      prompt: 'legacy 0',
      negativePrompt: 'ugly',
      steps: 40,
      sampler: 'DDIM',
      stylePreset: 'enhance',
    });
    expect(page.generations[2]!.input.prompt).toBe('(no prompt)');
    const image = oldest.images[0]!;
    expect(image.id).toBe(legacy[0]!.imageId);
    const path = await imagePath(core, parseImagePath(image.url.replace('/images', ''))!);
    expect(readFileSync(path!).equals(legacy[0]!.png)).toBe(true);
    // Never rewritten in place: the object still holds the plugin's base64 text.
    const still = await emu.s3.send(
      new GetObjectCommand({
        Bucket: emu.bucket,
        Key: `${project}/${legacy[0]!.generationId}/${legacy[0]!.imageId}.png`,
      }),
    );
    expect(await still.Body!.transformToString()).toBe(legacy[0]!.png.toString('base64'));
  });
});

describe('nothing is lost when S3 or DynamoDB fail', () => {
  it('keeps a generation pending while S3 is down mid-batch, then uploads each image exactly once', async () => {
    const core = await cloudCore('s3-down');
    emu.s3Proxy.refuseAfter = 2; // two uploads pass, then S3 stops answering
    const generation = await call(core, 'generate', { input, count: 4 });
    await synced(core);
    let listed = (await call(core, 'listGenerations', { limit: 5 })).generations[0]!;
    expect(listed.id).toBe(generation.id);
    expect(listed.sync).toMatchObject({ state: 'pending', reason: expect.any(String) });
    expect(listed.images).toHaveLength(4);
    expect(await objectsUnder(`s3-down/${generation.id}/`)).toHaveLength(2);

    await emu.stopS3();
    emu.s3Proxy.mode = 'pass';
    await emu.startS3();
    expect(await call(core, 'retrySync')).toEqual({ pending: 1 });
    await synced(core);
    listed = (await call(core, 'listGenerations', { limit: 5 })).generations[0]!;
    expect(listed.sync?.state).toBe('synced');
    expect(await objectsUnder(`s3-down/${generation.id}/`)).toEqual(
      generation.images.map((i) => `s3-down/${generation.id}/${i.id}.png`).sort(),
    );
    expect(JSON.parse((await rawItem('s3-down', generation.id))?.s3_object_keys?.S ?? '[]')).toHaveLength(4);
  });

  it.each([
    ['refusing', 'access-denied-dynamodb', /not authorized/],
    ['throttling', 'throttle-dynamodb', /./],
    ['unreachable', 'refuse', /./],
  ] as const)('waits while DynamoDB is %s, retries with backoff, then completes', async (_label, mode, reason) => {
    const core = await cloudCore(`ddb-${mode}`);
    emu.dynamodbProxy.mode = mode;
    const generation = await call(core, 'generate', { input, count: 2 });
    await synced(core);
    const job = core.cloud.outbox.pending()[0]!;
    expect(job.attempts).toBe(1);
    expect(Date.parse(job.nextAttemptAt)).toBeGreaterThan(Date.now());
    const local = JSON.parse(
      readFileSync(join(core.dataDir, 'generations', generation.id, 'generation.json'), 'utf8'),
    ) as GenerationRecord;
    expect(local.sync).toMatchObject({ state: 'pending', reason: expect.stringMatching(reason), attempts: 1 });
    emu.dynamodbProxy.mode = 'pass';
    await call(core, 'retrySync');
    await synced(core);
    expect(core.cloud.outbox.pending()).toEqual([]);
    expect(await rawItem(`ddb-${mode}`, generation.id)).toBeDefined();
  });

  it('completes at the next start what a crash left between the S3 upload and the DynamoDB put', async () => {
    const dataDir = tempDataDir();
    const first = await cloudCore('crash', dataDir);
    emu.dynamodbProxy.mode = 'refuse';
    const generation = await call(first, 'generate', { input, count: 2 });
    await synced(first);
    expect(await objectsUnder(`crash/${generation.id}/`)).toHaveLength(2);
    expect(await rawItem('crash', generation.id)).toBeUndefined();
    first.close(); // the app goes away with the job still queued
    emu.dynamodbProxy.mode = 'pass';
    const putsBefore = emu.s3Proxy.requests;

    const second = startCore(dataDir);
    await synced(second);
    expect(await rawItem('crash', generation.id)).toBeDefined();
    expect(emu.s3Proxy.requests).toBe(putsBefore); // images already in S3 are not sent again
    const listed = (await call(second, 'listGenerations', { limit: 5 })).generations[0];
    expect(listed?.sync?.state).toBe('synced');
  });

  it('queues again a pending generation whose upload job was lost, at the next start and on Retry sync', async () => {
    const dataDir = tempDataDir();
    const first = await cloudCore('lost-job', dataDir);
    emu.s3Proxy.mode = 'refuse';
    const atStart = await call(first, 'generate', { input, count: 1 });
    const onRetry = await call(first, 'generate', { input, count: 1 });
    await synced(first);
    first.close();
    // The job files are gone (a crash between marking and queueing, or damaged files set aside).
    const outbox = join(dataDir, 'outbox');
    for (const name of readdirSync(outbox)) rmSync(join(outbox, name));

    emu.s3Proxy.mode = 'pass';
    const second = startCore(dataDir);
    await second.started();
    const queued = second.cloud.outbox.pending().map((j) => j.generationId);
    expect(queued.sort()).toEqual([atStart.id, onRetry.id].sort());
    await synced(second);
    for (const g of [atStart, onRetry]) expect(await rawItem('lost-job', g.id)).toBeDefined();

    // Lost while running: Retry sync looks again.
    const third = await cloudCore('lost-job');
    emu.s3Proxy.mode = 'refuse';
    const later = await call(third, 'generate', { input, count: 1 });
    await synced(third);
    third.cloud.outbox.drop(() => true);
    emu.s3Proxy.mode = 'pass';
    expect(await call(third, 'retrySync')).toEqual({ pending: 1 });
    await synced(third);
    expect(await rawItem('lost-job', later.id)).toBeDefined();
  });
});

describe('history made before cloud storage was turned on', () => {
  it('stays in view marked as this computer’s only, and is uploaded when asked, one or all', async () => {
    const dataDir = tempDataDir();
    const before = startCore(dataDir);
    await configure(before, {
      models: [{ modelId: 'sdxl', endpointName: 'sdxl-cloud' }],
      endpointOverrides: { sagemakerRuntime: fake.url, s3: emu.s3Url, dynamodb: emu.dynamodbUrl },
    });
    const old = await call(before, 'generate', { input: { prompt: 'an old lighthouse' }, count: 1 });
    const older = await call(before, 'generate', { input: { prompt: 'an older lighthouse' }, count: 1 });
    expect(await callError(before, 'uploadToCloud', {})).toMatchObject({ code: 'storage.unavailable' });
    before.close();

    // Another computer already has something in the project.
    const other = await cloudCore('turned-on');
    const theirs = await call(other, 'generate', { input: { prompt: 'their lighthouse' }, count: 1 });
    await synced(other);

    const core = await cloudCore('turned-on', dataDir);
    const states = async () =>
      (await call(core, 'listGenerations', { limit: 10 })).generations.map((g) => [g.id, g.sync?.state]);
    expect(await states()).toEqual([
      [theirs.id, 'cloud'],
      [older.id, 'local'],
      [old.id, 'local'],
    ]);
    expect((await call(core, 'searchGenerations', { query: 'older' })).generations.map((g) => g.id)).toEqual([
      older.id,
    ]);

    expect(await call(core, 'uploadToCloud', { generationIds: [old.id] })).toEqual({ queued: 1 });
    expect(core.seen).toContainEqual(
      expect.objectContaining({ type: 'sync.changed', generationId: old.id, sync: { state: 'pending' } }),
    );
    await synced(core);
    expect(await rawItem('turned-on', old.id)).toBeDefined();
    expect(await rawItem('turned-on', older.id)).toBeUndefined();
    expect(await call(core, 'uploadToCloud', {})).toEqual({ queued: 1 });
    await synced(core);
    expect(await states()).toEqual([
      [theirs.id, 'cloud'],
      [older.id, 'synced'],
      [old.id, 'synced'],
    ]);
    // Nothing left to upload, and the other computer now sees all three.
    expect(await call(core, 'uploadToCloud', {})).toEqual({ queued: 0 });
    expect((await call(other, 'listGenerations', { limit: 10 })).generations.map((g) => g.id)).toEqual([
      theirs.id,
      older.id,
      old.id,
    ]);
  });
});

describe('a generation cut short', () => {
  it('is marked pending from its start, so the next start uploads the images it had, as partial', async () => {
    const dataDir = tempDataDir();
    const first = await cloudCore('cut-short', dataDir);
    emu.s3Proxy.mode = 'refuse';
    const onDisk: Array<GenerationRecord['sync']> = [];
    const stop = first.events.subscribe((event) => {
      if (event.type !== 'image.ready') return;
      const file = join(dataDir, 'generations', event.generationId, 'generation.json');
      onDisk.push((JSON.parse(readFileSync(file, 'utf8')) as GenerationRecord).sync);
    });
    const generation = await call(first, 'generate', { input, count: 2 });
    stop();
    // While it ran, the record on disk already said where it goes.
    expect(onDisk).toEqual([
      { state: 'pending', project: 'cut-short' },
      { state: 'pending', project: 'cut-short' },
    ]);
    await synced(first);
    first.close();
    // What a stop in the middle leaves: the record still running with one image, and no job.
    const file = join(dataDir, 'generations', generation.id, 'generation.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as GenerationRecord;
    writeFileSync(file, JSON.stringify({ ...record, status: 'running', images: record.images.slice(0, 1) }));
    for (const name of readdirSync(join(dataDir, 'outbox'))) rmSync(join(dataDir, 'outbox', name));

    emu.s3Proxy.mode = 'pass';
    const second = startCore(dataDir);
    await second.started();
    await synced(second);
    const item = await rawItem('cut-short', generation.id);
    expect(item?.status?.S).toBe('partial');
    expect(JSON.parse(item?.s3_object_keys?.S ?? '[]')).toEqual([
      `cut-short/${generation.id}/${record.images[0]!.id}.png`,
    ]);
    const listed = (await call(second, 'listGenerations', { limit: 5 })).generations[0];
    expect([listed?.id, listed?.status, listed?.sync?.state, listed?.images.length]).toEqual([
      generation.id,
      'partial',
      'synced',
      1,
    ]);
  });

  it('is not queued by Retry sync while it is still being made; once done, it is queued once', async () => {
    const core = await cloudCore('still-running');
    await call(core, 'saveSettings', { ...(await call(core, 'getSettings')), concurrency: 1 });
    fake.setBehaviour({ latencyMs: 300 });
    try {
      const running = call(core, 'generate', { input, count: 2 });
      // One image is on disk (marked pending), the other is still coming.
      await expect.poll(() => core.seen.some((e) => e.type === 'image.ready')).toBe(true);
      await call(core, 'retrySync');
      expect(core.cloud.outbox.pending()).toEqual([]);
      const generation = await running;
      expect(core.cloud.outbox.pending().map((j) => j.generationId)).toEqual([generation.id]);
      await synced(core);
      expect(JSON.parse((await rawItem('still-running', generation.id))?.s3_object_keys?.S ?? '[]')).toHaveLength(2);
    } finally {
      fake.setBehaviour({ latencyMs: 0 });
    }
  });

  it('stays this computer’s only when cloud storage was off while it ran', async () => {
    const dataDir = tempDataDir();
    const off = startCore(dataDir);
    await configure(off, {
      models: [{ modelId: 'sdxl', endpointName: 'sdxl-cloud' }],
      endpointOverrides: { sagemakerRuntime: fake.url },
    });
    const generation = await call(off, 'generate', { input, count: 2 });
    off.close();
    const file = join(dataDir, 'generations', generation.id, 'generation.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as GenerationRecord;
    expect(record.sync).toBeUndefined();
    writeFileSync(file, JSON.stringify({ ...record, status: 'running', images: record.images.slice(0, 1) }));

    const on = await cloudCore('cut-short-off', dataDir);
    await on.started();
    await synced(on);
    expect(await rawItem('cut-short-off', generation.id)).toBeUndefined();
    const listed = (await call(on, 'listGenerations', { limit: 5 })).generations[0];
    expect([listed?.id, listed?.status, listed?.sync?.state]).toEqual([generation.id, 'partial', 'local']);
  });
});

describe('delete', () => {
  it('removes one image of four everywhere, then the rest and the item; twice is harmless', async () => {
    const core = await cloudCore('delete');
    const generation = await call(core, 'generate', { input, count: 4 });
    await synced(core);
    const [first, ...rest] = generation.images;
    expect(await call(core, 'deleteImages', { generationId: generation.id, imageIds: [first!.id] })).toEqual({
      removed: 1,
      remaining: 3,
    });
    await synced(core);
    expect(await objectsUnder(`delete/${generation.id}/`)).toHaveLength(3);
    expect(JSON.parse((await rawItem('delete', generation.id))?.s3_object_keys?.S ?? '[]')).toHaveLength(3);
    expect((await rawItem('delete', generation.id))?.images?.L).toHaveLength(3);
    expect(existsSync(join(core.dataDir, 'generations', generation.id, `${first!.id}.png`))).toBe(false);

    await call(core, 'deleteImages', { generationId: generation.id, imageIds: rest.map((i) => i.id) });
    await synced(core);
    expect(await objectsUnder(`delete/${generation.id}/`)).toEqual([]);
    expect(await rawItem('delete', generation.id)).toBeUndefined();
    expect(existsSync(join(core.dataDir, 'generations', generation.id))).toBe(false);

    await call(core, 'deleteImages', { generationId: generation.id });
    await synced(core);
    expect(core.cloud.outbox.pending()).toEqual([]);
    expect((await call(core, 'listGenerations', { limit: 5 })).generations).toEqual([]);
  });

  it('queues a delete while AWS is unreachable and finishes it later', async () => {
    const core = await cloudCore('delete-offline');
    const generation = await call(core, 'generate', { input, count: 2 });
    await synced(core);
    emu.s3Proxy.mode = 'refuse';
    await call(core, 'deleteImages', { generationId: generation.id });
    await synced(core);
    expect(core.cloud.outbox.pending()).toHaveLength(1);
    expect(await objectsUnder(`delete-offline/${generation.id}/`)).toHaveLength(2);
    emu.s3Proxy.mode = 'pass';
    await call(core, 'retrySync');
    await synced(core);
    expect(await objectsUnder(`delete-offline/${generation.id}/`)).toEqual([]);
    expect(await rawItem('delete-offline', generation.id)).toBeUndefined();
  });
});

describe('projects and machines', () => {
  it('shares one project between two machines with separate libraries', async () => {
    const a = await cloudCore('team');
    const b = await cloudCore('team');
    const fromA = await call(a, 'generate', { input: { prompt: 'from A' }, count: 1 });
    await synced(a);
    const fromB = await call(b, 'generate', { input: { prompt: 'from B' }, count: 1 });
    await synced(b);
    for (const core of [a, b]) {
      const page = await call(core, 'listGenerations', { limit: 10 });
      expect(page.generations.map((g) => g.id)).toEqual([fromB.id, fromA.id]);
    }
  });

  it('searches the whole project: what another machine made, page by page, and what waits to upload', async () => {
    const a = await cloudCore('team-search');
    const b = await cloudCore('team-search');
    const made = async (core: Core, prompt: string, negativePrompt = '') => {
      const g = await call(core, 'generate', { input: { prompt, negativePrompt }, count: 1 });
      await synced(core);
      return g.id;
    };
    const dawn = await made(a, 'Red castle at dawn');
    await made(a, 'blue lake');
    const night = await made(a, 'a castle in the night', 'fog');
    const search = (query: string, limit?: number, cursor?: string) =>
      call(b, 'searchGenerations', { query, ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) });

    const first = await search('castle', 1);
    expect(first.generations.map((g) => [g.id, g.sync?.state])).toEqual([[night, 'cloud']]);
    const second = await search('castle', 1, first.nextCursor);
    expect(second.generations.map((g) => g.id)).toEqual([dawn]);
    expect(second.nextCursor).toBeUndefined();
    expect((await search('castle red')).generations.map((g) => g.id)).toEqual([dawn]);
    expect((await search('fog')).generations.map((g) => g.id)).toEqual([night]);
    expect((await search('castle')).generations[0]!.images[0]!.thumbUrl).toBeTruthy();

    // A makes another one; once B's history has seen it, B's next search finds it at once
    // (no waiting for the prompts to be read again).
    const fresh = await made(a, 'castle by the sea');
    await call(b, 'listGenerations', { limit: 5 });
    expect((await search('castle')).generations.map((g) => g.id)).toEqual([fresh, night, dawn]);

    // Made on B while DynamoDB refuses: found too, marked pending, before the older cloud ones.
    emu.dynamodbProxy.mode = 'refuse';
    const pending = await made(b, 'castle on a cloud');
    emu.dynamodbProxy.mode = 'pass';
    expect((await search('castle')).generations.map((g) => [g.id, g.sync?.state])).toEqual([
      [pending, 'pending'],
      [fresh, 'cloud'],
      [night, 'cloud'],
      [dawn, 'cloud'],
    ]);
    // With the cloud unreachable, search falls back to this computer's library and says so.
    emu.dynamodbProxy.mode = 'refuse';
    b.cloud.invalidate();
    const offline = await search('castle');
    expect(offline.notice).toMatch(/unreachable/);
    expect(offline.generations.map((g) => g.id)).toEqual([pending]);
  });

  it('switches history with the project ID, without a restart; empty means "default" in profile mode', async () => {
    const core = await cloudCore('p1');
    const one = await call(core, 'generate', { input, count: 1 });
    await synced(core);
    const settings = await call(core, 'getSettings');
    await call(core, 'saveSettings', { ...settings, projectId: 'p2' });
    expect((await call(core, 'listGenerations', { limit: 5 })).generations).toEqual([]);
    await call(core, 'saveSettings', { ...settings, projectId: '' });
    const def = await call(core, 'generate', { input, count: 1 });
    await synced(core);
    expect(await rawItem('default', def.id)).toBeDefined();
    await call(core, 'saveSettings', { ...settings, projectId: 'p1' });
    expect((await call(core, 'listGenerations', { limit: 5 })).generations.map((g) => g.id)).toEqual([one.id]);
  });

  it('shows local history with a notice when the cloud cannot be read', async () => {
    const core = await cloudCore('offline-list');
    const generation = await call(core, 'generate', { input, count: 1 });
    emu.dynamodbProxy.mode = 'refuse';
    const page = await call(core, 'listGenerations', { limit: 5 });
    expect(page.notice).toMatch(/unreachable/);
    expect(page.generations.map((g) => g.id)).toEqual([generation.id]);
  });
});

describe('Test connection checks the bucket and the table', () => {
  it('passes for the right bucket and table, and explains what is wrong otherwise', async () => {
    const core = await cloudCore('checks');
    const report = await call(core, 'testConnection', {
      ...(await call(core, 'getSettings')),
      endpointOverrides: {
        sagemakerRuntime: fake.url,
        sagemaker: fake.url,
        s3: emu.s3Url,
        dynamodb: emu.dynamodbUrl,
        sts: '',
        cognitoIdentity: '',
      },
    });
    const storage = report.checks.filter((c) => c.target === 'bucket' || c.target === 'table');
    // STS is not emulated here: the credentials check fails first and storage is skipped.
    expect(storage).toEqual([]);
    const settings = await call(core, 'getSettings');
    const clients = new AwsClients(settings, core.state);
    const ok = await checkStorage(clients, settings);
    expect(ok.map((c) => c.ok)).toEqual([true, true]);
    const wrong = await checkStorage(clients, {
      ...settings,
      generationsBucket: 'no-such-bucket',
      generationsTable: 'no-such-table',
    });
    expect(wrong).toMatchObject([
      { target: 'bucket', ok: false, status: 'missing' },
      { target: 'table', ok: false, status: 'missing' },
    ]);
    expect(await callError(core, 'saveSettings', { ...settings, generationsBucket: '' })).toMatchObject({
      fields: { generationsBucket: expect.any(String) },
    });
  });
});
