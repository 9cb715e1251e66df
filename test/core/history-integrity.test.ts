/**
 * The history tells the truth after deletes, crashes and legacy items: a deleted image leaves
 * no phantom place on any machine, a stop mid-generation keeps every complete image and says
 * what was never made, and the browser plugin's items come in one stable order.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src-main/core/library/ids';
import type { GenerationRecord } from '../../src-main/core/library/local-library';
import type { Generation } from '../../src-shared/generation';
import { toImages } from '../../src-renderer/plugin-sagemaker/mapping';
import { renderPng } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, configure, startCore, tempDataDir } from '../support/core';
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

const localCore = async (dataDir = tempDataDir()) => {
  const core = startCore(dataDir);
  await configure(core, {
    models: [{ modelId: 'sdxl', endpointName: 'sdxl-history' }],
    endpointOverrides: { sagemakerRuntime: fake.url },
  });
  return core;
};

const cloudCore = async (project: string, dataDir = tempDataDir()) => {
  const core = startCore(dataDir);
  await configure(core, cloudSettings(emu, fake.url, project, 'sdxl-history'));
  return core;
};

/** What the grid shows of a generation (through the renderer's own mapping): each place, image or failure. */
const places = (g: Generation): string[] =>
  (toImages(g).images ?? []).map((i) => (i.error ? `failed: ${i.error.message}` : `image ${i.id}`));

const only = async (core: ReturnType<typeof startCore>): Promise<Generation> => {
  const page = await call(core, 'listGenerations', { limit: 5 });
  expect(page.generations).toHaveLength(1);
  return page.generations[0]!;
};

describe('deleted images stay deleted', () => {
  it('leaves no "missing" place in this computer’s library, also after a restart', async () => {
    const core = await localCore();
    const made = await call(core, 'generate', { input: { prompt: 'four of them' }, count: 4 });
    const [, second, ...others] = made.images;
    await call(core, 'deleteImages', { generationId: made.id, imageIds: [second!.id] });
    const expected = [made.images[0]!, ...others].map((i) => `image ${i.id}`);
    expect(places(await only(core))).toEqual(expected);
    core.close();
    expect(places(await only(await localCore(core.dataDir)))).toEqual(expected);
  });

  it('agrees on every machine after a cloud delete', async () => {
    const project = 'history-delete';
    const maker = await cloudCore(project);
    const made = await call(maker, 'generate', { input: { prompt: 'shared four' }, count: 4 });
    await maker.cloud.outbox.idle();
    // Another writer's attribute: a delete rewrites the item without dropping it.
    await documents.send(
      new UpdateCommand({
        TableName: emu.table,
        Key: { project_id: project, generation_id: made.id },
        UpdateExpression: 'SET team_note = :n',
        ExpressionAttributeValues: { ':n': 'keep me' },
      }),
    );
    await call(maker, 'deleteImages', { generationId: made.id, imageIds: [made.images[2]!.id] });
    await maker.cloud.outbox.idle();
    const expected = made.images.filter((_, i) => i !== 2).map((i) => `image ${i.id}`);
    expect(places(await only(maker))).toEqual(expected);
    const other = await cloudCore(project);
    expect(places(await only(other))).toEqual(expected);
    const item = await documents.send(
      new GetCommand({ TableName: emu.table, Key: { project_id: project, generation_id: made.id } }),
    );
    expect(item.Item).toMatchObject({ count: 4, deleted: [2], team_note: 'keep me' });
    expect((item.Item?.images as Array<{ finish_reason?: string }>).map((i) => i.finish_reason)).toEqual([
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
    ]);

    // Another machine deletes one more while DynamoDB is unreachable: a reload does not bring it back.
    emu.dynamodbProxy.mode = 'refuse';
    await call(other, 'deleteImages', { generationId: made.id, imageIds: [made.images[0]!.id] });
    emu.dynamodbProxy.mode = 'pass';
    expect(places(await only(other))).toEqual(expected.slice(1));
    await call(other, 'retrySync');
    await other.cloud.outbox.idle();
    const third = await cloudCore(project);
    expect(places(await only(third))).toEqual(expected.slice(1));
    for (const c of [maker, other, third]) c.close();
  });
});

/** A process ID that is certainly not running any more. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
};

describe('a stop in the middle of a generation', () => {
  it('keeps complete images (also one left as a temp file), removes leftovers, and says what was never made', async () => {
    const dataDir = tempDataDir();
    const id = newId();
    const folder = join(dataDir, 'generations', id);
    mkdirSync(folder, { recursive: true });
    const [saved, renamed, cutOff, gone] = [newId(), newId(), newId(), newId()];
    const png = renderPng(128, 128, 7);
    writeFileSync(join(folder, `${saved}.png`), png);
    // The endpoint had answered; the stop came before the rename into place.
    writeFileSync(join(folder, `${renamed}.png.${deadPid()}.0a1b2c3d.tmp`), png);
    // The stop came while writing: the bytes are cut off.
    writeFileSync(join(folder, `${cutOff}.png.${deadPid()}.0a1b2c3e.tmp`), png.subarray(0, png.length - 20));
    writeFileSync(join(folder, `generation.json.${deadPid()}.0a1b2c3f.tmp`), '{"half":');
    const image = (imageId: string, index: number) => ({
      id: imageId,
      index,
      seed: 100 + index,
      width: 128,
      height: 128,
      contentType: 'image/png' as const,
      file: `${imageId}.png`,
    });
    const record: GenerationRecord = {
      ...recordFor(id, 'interrupted'),
      input: { ...recordFor(id, 'interrupted').input, width: 128, height: 128 },
      count: 6,
      status: 'running',
      // `gone` was saved, then its file was lost (deleted by hand): that one is "missing".
      images: [image(saved, 0), image(gone, 4)],
      inflight: [
        { id: renamed, index: 1, seed: 101, contentType: 'image/png' },
        { id: cutOff, index: 2, seed: 102, contentType: 'image/png' },
      ],
    };
    writeFileSync(join(folder, 'generation.json'), JSON.stringify(record));
    mkdirSync(join(dataDir, 'running'));
    writeFileSync(join(dataDir, 'running', id), String(deadPid()));

    const core = await localCore(dataDir);
    await core.started();
    const listed = await only(core);
    expect(listed.status).toBe('partial');
    expect(places(listed)).toEqual([
      `image ${saved}`,
      `image ${renamed}`,
      'failed: Not made: the app stopped before this image was finished.',
      'failed: Not made: the app stopped before this image was finished.',
      'failed: This image is missing from the library: its file is gone.',
      'failed: Not made: the app stopped before this image was finished.',
    ]);
    expect(listed.images[1]!.seed).toBe(101);
    expect(readdirSync(folder).sort()).toEqual([`${renamed}.png`, `${saved}.png`, 'generation.json'].sort());
    expect(readdirSync(join(dataDir, 'running'))).toEqual([]);
  });

  it('an upscale recovered after a stop has its image’s own size, four times the input', async () => {
    const dataDir = tempDataDir();
    const id = newId();
    const folder = join(dataDir, 'generations', id);
    mkdirSync(folder, { recursive: true });
    const made = newId();
    writeFileSync(join(folder, `${made}.png.${deadPid()}.0a1b2c3d.tmp`), renderPng(512, 256, 3));
    const base = recordFor(id, 'upscaled');
    const record: GenerationRecord = {
      ...base,
      input: { ...base.input, kind: 'upscale', width: 128, height: 64 },
      count: 1,
      status: 'running',
      images: [],
      inflight: [{ id: made, index: 0, seed: 5, contentType: 'image/png' }],
    };
    writeFileSync(join(folder, 'generation.json'), JSON.stringify(record));
    mkdirSync(join(dataDir, 'running'));
    writeFileSync(join(dataDir, 'running', id), String(deadPid()));
    const core = await localCore(dataDir);
    await core.started();
    const listed = await only(core);
    expect(listed.status).toBe('done');
    expect(listed.images.map((i) => [i.width, i.height])).toEqual([[512, 256]]);
  });

  it('leaves a generation another process is still making alone', async () => {
    const maker = await localCore();
    fake.setBehaviour({ latencyMs: 50_000 });
    const pending = call(maker, 'generate', { input: { prompt: 'still going' }, count: 1 });
    await expect.poll(() => existsSync(join(maker.dataDir, 'running'))).toBe(true);
    await expect.poll(() => readdirSync(join(maker.dataDir, 'running')).length).toBe(1);
    // A second app on the same library (web mode beside the desktop app) starts meanwhile.
    const second = await localCore(maker.dataDir);
    await second.started();
    expect(readdirSync(join(maker.dataDir, 'running'))).toHaveLength(1);
    maker.close();
    await pending.catch(() => undefined);
    fake.reset();
    second.close();
  });
});

describe('the browser plugin’s items', () => {
  it('come in one order on every load and every page, also when uploaded in the same second', async () => {
    const project = 'history-legacy-order';
    const ids = Array.from({ length: 6 }, () => crypto.randomUUID());
    // One second for all of them: S3's upload times cannot tell them apart.
    for (const generationId of ids) {
      const key = `${project}/${generationId}/${crypto.randomUUID()}.png`;
      await emu.s3.send(
        new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: renderPng(64, 64, 1).toString('base64') }),
      );
      await documents.send(
        new PutCommand({
          TableName: emu.table,
          Item: {
            project_id: project,
            generation_id: generationId,
            s3_object_keys: JSON.stringify([key]),
            input_obj: JSON.stringify({ prompts: [{ text: generationId, weight: 1 }] }),
          },
        }),
      );
    }
    const load = async (): Promise<string[]> => {
      const core = await cloudCore(project);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await call(core, 'listGenerations', { limit: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...page.generations.map((g) => g.id));
        cursor = page.nextCursor;
      } while (cursor);
      core.close();
      return seen;
    };
    // The first load loses S3 part-way through finding the upload times: no item is placed by a guess.
    emu.s3Proxy.refuseAfter = 3;
    const interrupted = await load();
    emu.s3Proxy.refuseAfter = undefined;
    emu.s3Proxy.mode = 'pass';
    const first = await load();
    expect([...first].sort()).toEqual([...ids].sort());
    expect(interrupted.length === 0 || interrupted.join() === first.join()).toBe(true);
    expect(await load()).toEqual(first);
    expect(await load()).toEqual(first);
  });

  it('shows an item whose only image S3 does not have as unreadable, not as a block dated 1970', async () => {
    const project = 'history-legacy-lost';
    const generationId = crypto.randomUUID();
    await documents.send(
      new PutCommand({
        TableName: emu.table,
        Item: {
          project_id: project,
          generation_id: generationId,
          s3_object_keys: JSON.stringify([`${project}/${generationId}/${crypto.randomUUID()}.png`]),
        },
      }),
    );
    const core = await cloudCore(project);
    const page = await call(core, 'listGenerations', { limit: 5 });
    expect(page.generations).toEqual([]);
    expect(page.notice).toMatch(/1 item of the cloud history could not be read/);
    expect(page.notice).toContain('no creation time');
    core.close();
  });
});
