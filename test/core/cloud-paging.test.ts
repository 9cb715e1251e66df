/**
 * A cloud history page costs a page, not the history: counted on the real DynamoDB client the
 * core uses (a middleware reading DynamoDB's own ScannedCount and ConsumedCapacity), against
 * dynalite and s3rver. The browser plugin's items still land in their place in time, thumbnails
 * come from the new sheets and from older items alike, and search stays warm between keystrokes.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core';
import { toItem } from '../../src-main/core/cloud/items';
import { decodeThumbSheet, encodeThumbSheet } from '../../src-main/core/cloud/thumb-sheet';
import { newId } from '../../src-main/core/library/ids';
import type { GenerationRecord } from '../../src-main/core/library/local-library';
import { parseImagePath } from '../../src-main/core/policy';
import { renderPng } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, configure, imagePath, startCore, tempDataDir } from '../support/core';
import { cloudSettings, emulatorCredentials, startEmulators } from '../support/emulators';
import type { Emulators } from '../support/emulators';
import { recordFor } from '../support/records';

let emu: Emulators;
let fake: FakeSageMaker;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  useAwsProfiles({ default: emulatorCredentials });
  [emu, fake] = await Promise.all([startEmulators(), startFakeSageMaker()]);
  documents = DynamoDBDocumentClient.from(emu.dynamodb);
});
afterAll(async () => Promise.all([emu.close(), fake.close()]));
beforeEach(() => {
  emu.s3Proxy.mode = 'pass';
  emu.dynamodbProxy.mode = 'pass';
});

interface Reads {
  queries: number;
  /** Items DynamoDB looked at for the Queries (its ScannedCount). */
  scanned: number;
  /** Read capacity DynamoDB charged for them. */
  capacity: number;
  batchGets: number;
}

/** A core on cloud storage whose DynamoDB client counts what it reads (set after the settings, which rebuild clients). */
const countingCore = async (project: string, dataDir = tempDataDir()): Promise<{ core: Core; reads: Reads }> => {
  const core = startCore(dataDir);
  await configure(core, cloudSettings(emu, fake.url, project));
  const reads: Reads = { queries: 0, scanned: 0, capacity: 0, batchGets: 0 };
  core.cloud
    .clients()
    .dynamodb()
    .middlewareStack.add(
      (next, context) => async (args) => {
        const query = context.commandName === 'QueryCommand';
        if (query) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const out = result.output as { ScannedCount?: number; ConsumedCapacity?: { CapacityUnits?: number } };
        if (query) {
          reads.queries++;
          reads.scanned += out.ScannedCount ?? 0;
          reads.capacity += out.ConsumedCapacity?.CapacityUnits ?? 0;
        }
        if (context.commandName === 'BatchGetCommand') reads.batchGets++;
        return result;
      },
      { step: 'initialize', name: 'countReads' },
    );
  return { core, reads };
};

const snapshot = (r: Reads): Reads => ({ ...r });

/**
 * `count` generations a minute apart, ending `endAgoMs` before now, written with BatchWriteItem.
 * Their IDs carry exactly those times (`ulid`, not the app's monotonic `newId`).
 */
const writeGenerations = async (
  project: string,
  count: number,
  endAgoMs = 0,
  label = 'generation',
): Promise<GenerationRecord[]> => {
  const now = Date.now() - endAgoMs;
  const records = Array.from({ length: count }, (_, i) => {
    const time = now - (count - i) * 60_000;
    const record = recordFor(ulid(time), `${label} ${i} ${i % 7 === 0 ? 'castle' : 'meadow'}`, new Date(time));
    const imageId = ulid(time);
    return {
      ...record,
      images: [
        {
          id: imageId,
          index: 0,
          seed: i,
          width: 64,
          height: 64,
          contentType: 'image/png' as const,
          file: `${imageId}.png`,
        },
      ],
    };
  });
  for (let i = 0; i < records.length; i += 25) {
    const batch = records.slice(i, i + 25).map((r) => ({ PutRequest: { Item: toItem(project, r) } }));
    await documents.send(new BatchWriteCommand({ RequestItems: { [emu.table]: batch } }));
  }
  return records;
};

/** A browser-plugin item (UUID key, base64 text object, no time of its own); answers its ID and upload time. */
const writeLegacy = async (project: string, prompt: string): Promise<{ id: string; time: number }> => {
  const id = crypto.randomUUID();
  const key = `${project}/${id}/${crypto.randomUUID()}.png`;
  await emu.s3.send(
    new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: renderPng(64, 64, 2).toString('base64') }),
  );
  await documents.send(
    new PutCommand({
      TableName: emu.table,
      Item: {
        project_id: project,
        generation_id: id,
        s3_object_keys: JSON.stringify([key]),
        input_obj: JSON.stringify({ prompts: [{ text: prompt, weight: 1 }] }),
      },
    }),
  );
  const head = await emu.s3.send(new HeadObjectCommand({ Bucket: emu.bucket, Key: key }));
  return { id, time: head.LastModified!.getTime() };
};

const allPages = async (core: Core, limit: number): Promise<string[]> => {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(core, 'listGenerations', { limit, ...(cursor ? { cursor } : {}) });
    seen.push(...page.generations.map((g) => g.id));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
};

describe('a page costs a page', () => {
  it('reads about a page of items for the first and the next page of 1,500 generations', async () => {
    const project = 'paging-cost';
    const records = await writeGenerations(project, 1500);
    const newestFirst = records.map((r) => r.id).reverse();
    const { core, reads } = await countingCore(project);

    const first = await call(core, 'listGenerations', { limit: 20 });
    expect(first.generations.map((g) => g.id)).toEqual(newestFirst.slice(0, 20));
    expect(first.nextCursor).toBe(newestFirst[19]);
    // The legacy look (two Queries outside this app's key range, nothing there) and one page Query.
    expect(reads.scanned).toBeLessThanOrEqual(21);
    expect(reads.queries).toBeLessThanOrEqual(3);
    expect(reads.batchGets).toBe(0);

    const before = snapshot(reads);
    const second = await call(core, 'listGenerations', { limit: 20, cursor: first.nextCursor });
    expect(second.generations.map((g) => g.id)).toEqual(newestFirst.slice(20, 40));
    // The page, one more (is there a next page?), and the cursor's own item (the range's top).
    expect(reads.scanned - before.scanned).toBeLessThanOrEqual(22);
    expect(reads.queries - before.queries).toBe(1);
    // Reading the whole project would cost far more: every item is a few hundred bytes.
    expect(reads.capacity).toBeLessThan(20);
    core.close();
  });

  it('pages to the end with every generation once, in order', async () => {
    const project = 'paging-all';
    const records = await writeGenerations(project, 95);
    const { core } = await countingCore(project);
    expect(await allPages(core, 20)).toEqual(records.map((r) => r.id).reverse());
    core.close();
  });
});

describe('the browser plugin’s items', () => {
  it('land in their place in time, across page boundaries, found once per machine and kept on disk', async () => {
    const project = 'paging-legacy';
    const older = await writeGenerations(project, 3, 3_600_000); // an hour ago and before
    const legacy = [await writeLegacy(project, 'plugin one'), await writeLegacy(project, 'plugin two')];
    legacy.push(await writeLegacy(project, 'plugin three'));
    const newer = await writeGenerations(project, 2, -3_600_000); // within the next hour
    const byTime = [...legacy].sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1)).map((l) => l.id);
    const expected = [...newer.map((r) => r.id).reverse(), ...byTime, ...older.map((r) => r.id).reverse()];

    const dataDir = tempDataDir();
    const { core } = await countingCore(project, dataDir);
    expect(await allPages(core, 2)).toEqual(expected);
    expect(readdirSync(join(dataDir, 'cloud-index'))).toHaveLength(1);
    core.close();

    // The same machine again: the legacy index comes from disk, no S3 request to place the items.
    const again = await countingCore(project, dataDir);
    const s3Before = emu.s3Proxy.requests;
    expect(await allPages(again.core, 3)).toEqual(expected);
    expect(emu.s3Proxy.requests).toBe(s3Before);

    // A plugin item written since shows after a refresh (asked for), in its place.
    const late = await writeLegacy(project, 'plugin four');
    expect((await call(again.core, 'listGenerations', { limit: 20 })).generations.map((g) => g.id)).not.toContain(
      late.id,
    );
    await again.core.cloud.history.refreshLegacy();
    const ids = (await call(again.core, 'listGenerations', { limit: 20 })).generations.map((g) => g.id);
    const legacyOrder = [...legacy, late].sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1)).map((l) => l.id);
    expect(ids.slice(newer.length, newer.length + 4)).toEqual(legacyOrder);
    again.core.close();
  });
});

describe('the legacy index on disk', () => {
  it('is found again when its file is damaged, never trusted half-read', async () => {
    const project = 'paging-legacy-damaged';
    const plugin = await writeLegacy(project, 'plugin item');
    const dataDir = tempDataDir();
    const first = await countingCore(project, dataDir);
    expect((await call(first.core, 'listGenerations', { limit: 5 })).generations.map((g) => g.id)).toEqual([plugin.id]);
    first.core.close();
    const [file] = readdirSync(join(dataDir, 'cloud-index'));
    writeFileSync(join(dataDir, 'cloud-index', file!), '{"version":1,"entries":[{"id":"../../x","time":1}]');
    const second = await countingCore(project, dataDir);
    expect((await call(second.core, 'listGenerations', { limit: 5 })).generations.map((g) => g.id)).toEqual([
      plugin.id,
    ]);
    expect(JSON.parse(readFileSync(join(dataDir, 'cloud-index', file!), 'utf8'))).toMatchObject({
      entries: [{ id: plugin.id, time: plugin.time }],
    });
    second.core.close();
  });
});

describe('thumbnails', () => {
  it('come from the sheet next to the images for new items, and from the item for older ones', async () => {
    const project = 'paging-thumbs';
    const maker = startCore();
    await configure(maker, cloudSettings(emu, fake.url, project));
    const made = await call(maker, 'generate', { input: { prompt: 'a sheet of thumbnails' }, count: 2 });
    await maker.cloud.outbox.idle();
    // An item as versions before the sheets wrote it: thumbnails inline.
    const oldThumb = readFileSync(join(maker.dataDir, 'generations', made.id, `${made.images[0]!.id}.thumb.webp`));
    const oldId = ulid(Date.now() - 60_000);
    const oldImage = newId();
    const oldItem = toItem(project, {
      ...recordFor(oldId, 'an item with its thumbnail inside', new Date(Date.now() - 60_000)),
      images: [{ id: oldImage, index: 0, seed: 1, width: 64, height: 64, contentType: 'image/png', file: 'x.png' }],
    });
    await documents.send(
      new PutCommand({
        TableName: emu.table,
        Item: { ...oldItem, images: oldItem.images?.map((i) => ({ ...i, thumb: new Uint8Array(oldThumb) })) },
      }),
    );

    const { core } = await countingCore(project);
    const s3Before = emu.s3Proxy.requests;
    const page = await call(core, 'listGenerations', { limit: 10 });
    expect(page.generations.map((g) => g.id)).toEqual([made.id, oldId]);
    // One GET for the new generation's sheet; the old item needed none.
    expect(emu.s3Proxy.requests - s3Before).toBe(1);
    const afterPage = emu.s3Proxy.requests;
    for (const g of page.generations) {
      for (const image of g.images) {
        const path = await imagePath(core, parseImagePath(image.thumbUrl.replace('/images', ''))!);
        expect(path).toMatch(/\.thumb\.webp$/);
        const source =
          g.id === made.id ? join(maker.dataDir, 'generations', made.id, `${image.id}.thumb.webp`) : undefined;
        expect(readFileSync(path).equals(source ? readFileSync(source) : oldThumb)).toBe(true);
      }
    }
    expect(emu.s3Proxy.requests).toBe(afterPage); // no full image fetched to make a thumbnail
    maker.close();
    core.close();
  });

  it('leave S3 with the images they belong to: a deleted image takes the sheet with it', async () => {
    const project = 'paging-thumbs-delete';
    const maker = startCore();
    await configure(maker, cloudSettings(emu, fake.url, project));
    const made = await call(maker, 'generate', { input: { prompt: 'two, then one' }, count: 2 });
    await maker.cloud.outbox.idle();
    const sheetKey = `${project}/${made.id}/thumbnails.bin`;
    const head = () => emu.s3.send(new HeadObjectCommand({ Bucket: emu.bucket, Key: sheetKey }));
    await expect(head()).resolves.toBeDefined();
    await call(maker, 'deleteImages', { generationId: made.id, imageIds: [made.images[0]!.id] });
    await maker.cloud.outbox.idle();
    await expect(head()).rejects.toMatchObject({ name: 'NotFound' });
    const item = await documents.send(
      new GetCommand({ TableName: emu.table, Key: { project_id: project, generation_id: made.id } }),
    );
    expect(item.Item?.thumbs_key).toBeUndefined();
    // Another machine still shows the remaining image's thumbnail (made from the image itself).
    const { core } = await countingCore(project);
    const [listed] = (await call(core, 'listGenerations', { limit: 5 })).generations;
    expect(listed?.images.map((i) => i.id)).toEqual([made.images[1]!.id]);
    const thumb = await imagePath(core, parseImagePath(listed!.images[0]!.thumbUrl.replace('/images', ''))!);
    expect(readFileSync(thumb).subarray(8, 12).toString()).toBe('WEBP');
    maker.close();
    core.close();
  });

  it('refuses a sheet whose header does not match its bytes', () => {
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), Buffer.alloc(8)]);
    const id = newId();
    expect(decodeThumbSheet(encodeThumbSheet(new Map([[id, webp]]))).get(id)?.length).toBe(webp.length);
    const sheet = encodeThumbSheet(new Map([[id, webp]]));
    expect(() => decodeThumbSheet(Buffer.concat([sheet, Buffer.from('x')]))).toThrow(/does not name/);
    expect(() => decodeThumbSheet(sheet.subarray(0, sheet.length - 1))).toThrow(/not a WebP/);
    const hostile = Buffer.concat([
      Buffer.from(`${JSON.stringify({ version: 1, thumbs: [{ id: '../x', bytes: 20 }] })}\n`),
      webp,
    ]);
    expect(() => decodeThumbSheet(hostile)).toThrow();
  });
});

describe('search', () => {
  it('reads the project once, then each keystroke reads only what is newer', async () => {
    const project = 'paging-search';
    const records = await writeGenerations(project, 300);
    const castles = records
      .filter((_, i) => i % 7 === 0)
      .map((r) => r.id)
      .reverse();
    const { core, reads } = await countingCore(project);

    const first = await call(core, 'searchGenerations', { query: 'cas', limit: 10 });
    expect(first.generations.map((g) => g.id)).toEqual(castles.slice(0, 10));
    expect(reads.scanned).toBeGreaterThanOrEqual(300);

    const before = snapshot(reads);
    const typed = await call(core, 'searchGenerations', { query: 'castle', limit: 10 });
    expect(typed.generations.map((g) => g.id)).toEqual(castles.slice(0, 10));
    const next = await call(core, 'searchGenerations', { query: 'castle', limit: 10, cursor: typed.nextCursor });
    expect(next.generations.map((g) => g.id)).toEqual(castles.slice(10, 20));
    // The newest known item (read again by the range's inclusive start) per search, nothing else.
    expect(reads.scanned - before.scanned).toBeLessThanOrEqual(2);

    // Another machine adds one: the next keystroke finds it, reading just it.
    const [fresh] = await writeGenerations(project, 1, -60_000, 'lighthouse');
    const before2 = snapshot(reads);
    const found = await call(core, 'searchGenerations', { query: 'castle', limit: 2 });
    expect(found.generations.map((g) => g.id)).toEqual([fresh!.id, castles[0]]);
    expect(reads.scanned - before2.scanned).toBeLessThanOrEqual(2);

    // A generation deleted here is gone from the next search at once.
    await call(core, 'deleteImages', { generationId: fresh!.id });
    const after = await call(core, 'searchGenerations', { query: 'lighthouse', limit: 10 });
    expect(after.generations).toEqual([]);
    core.close();
  });
});
