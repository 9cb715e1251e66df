/**
 * What crosses into the core from outside (IPC/HTTP payloads, DynamoDB items written by any
 * teammate, generation.json, outbox jobs) cannot touch a file outside the data folder, hide the
 * history, or lose an image. Each case here was reproduced against the previous release.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core';
import { toItem } from '../../src-main/core/cloud/items';
import { newId } from '../../src-main/core/library/ids';
import { parseImagePath } from '../../src-main/core/policy';
import { JsonFileSettingsBackend } from '../../src-main/core/settings';
import { startServer } from '../../src-main/server/server';
import type { RunningServer } from '../../src-main/server/server';
import { defaultSettings } from '../../src-shared/settings';
import type { SettingsInput } from '../../src-shared/settings';
import { renderPng } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, callError, startCore } from '../support/core';
import { cloudSettings, emulatorCredentials, startEmulators } from '../support/emulators';
import type { Emulators } from '../support/emulators';
import { recordFor, withImage } from '../support/records';
import { openWebClient } from '../support/web-session';

let emu: Emulators;
let fake: FakeSageMaker;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  useAwsProfiles({ default: emulatorCredentials });
  [emu, fake] = await Promise.all([startEmulators(), startFakeSageMaker()]);
  documents = DynamoDBDocumentClient.from(emu.dynamodb);
});
afterAll(async () => Promise.all([emu.close(), fake.close()]));
beforeEach(() => fake.reset());

/** A data folder inside a parent that also holds the files an attacker would aim at. */
const arena = () => {
  const parent = mkdtempSync(join(tmpdir(), 'studio-arena-'));
  const dataDir = join(parent, 'data');
  mkdirSync(join(parent, 'victim'));
  writeFileSync(join(parent, 'victim', 'keep.txt'), 'mine');
  mkdirSync(join(parent, 'outside'));
  writeFileSync(join(parent, 'outside', 'private.png'), renderPng(64, 64, 3));
  return { parent, dataDir };
};

const settingsFor = (project: string): SettingsInput => ({
  ...defaultSettings(),
  ...cloudSettings(emu, fake.url, project, 'sdxl-trust'),
});

interface Served {
  server: RunningServer;
  core: ReturnType<typeof createCore>;
  reveals: string[];
}

/** Web mode over a core with cloud storage on, plus desktop actions that record the paths they are given. */
const serve = async (dataDir: string, project: string): Promise<Served> => {
  const reveals: string[] = [];
  const core = createCore({
    dataDir,
    settingsBackend: new JsonFileSettingsBackend(join(dataDir, 'settings.json')),
    imageUrl: (g, f) => `/images/${g}/${f}`,
    desktop: { reveal: (p) => reveals.push(p), startDrag: (p) => reveals.push(p) },
  });
  const saved = await core.dispatch('saveSettings', settingsFor(project));
  if (!saved.ok) throw new Error(saved.error.message);
  const server = await startServer({ core, rendererDir: dataDir, port: 0 });
  return { server, core, reveals };
};

describe('path traversal through IDs (web mode, cloud storage on)', () => {
  it('refuses a generation ID that walks out of the library, and deletes nothing next to it', async () => {
    const { parent, dataDir } = arena();
    const { server, core } = await serve(dataDir, 'trust-delete');
    const web = await openWebClient(server);
    const answer = await web.call('deleteImages', { generationId: '../victim' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(readFileSync(join(parent, 'victim', 'keep.txt'), 'utf8')).toBe('mine');
    expect(core.cloud.outbox.pending()).toEqual([]);
    await server.close();
    core.close();
  });

  it('shows a teammate’s item named ../generations as unreadable, and it cannot delete the library', async () => {
    const { dataDir } = arena();
    const project = 'trust-library';
    const { server, core } = await serve(dataDir, project);
    const web = await openWebClient(server);
    const mine = await call(core, 'generate', { input: { prompt: 'my own work' }, count: 1 });
    await core.cloud.outbox.idle();
    await documents.send(
      new PutCommand({
        TableName: emu.table,
        Item: {
          project_id: project,
          generation_id: '../generations',
          s3_object_keys: JSON.stringify([`${project}/../generations/x.png`]),
        },
      }),
    );
    const page = await web.call('listGenerations', { limit: 20 });
    expect(page.ok).toBe(true);
    const value = page.ok ? (page.value as { generations: Array<{ id: string }>; notice?: string }) : undefined;
    expect(value?.generations.map((g) => g.id)).toEqual([mine.id]);
    expect(value?.notice).toContain('1 item of the cloud history could not be read');
    expect(value?.notice).toContain(`${project}/../generations`);
    expect(await web.call('deleteImages', { generationId: '../generations' })).toMatchObject({ ok: false });
    expect(existsSync(join(dataDir, 'generations', mine.id, 'generation.json'))).toBe(true);
    await server.close();
    core.close();
  });

  it('writes nothing outside the cache for an item with a hostile generation and image ID', async () => {
    const { parent, dataDir } = arena();
    const project = 'trust-planted';
    const { server, core } = await serve(dataDir, project);
    const web = await openWebClient(server);
    const planted = new Uint8Array(Buffer.from('attacker bytes'));
    await documents.send(
      new PutCommand({
        TableName: emu.table,
        Item: {
          project_id: project,
          generation_id: '../../planted',
          created_at: new Date().toISOString(),
          images: [
            {
              id: '../planted-file',
              key: `${project}/x/y.png`,
              index: 0,
              seed: 1,
              width: 64,
              height: 64,
              content_type: 'image/png',
              thumb: planted,
            },
          ],
        },
      }),
    );
    const page = await web.call('listGenerations', { limit: 20 });
    expect(page).toMatchObject({ ok: true, value: { generations: [] } });
    expect(readdirSync(parent).sort()).toEqual(['data', 'outside', 'victim']);
    expect(existsSync(join(dataDir, 'cloud-cache'))).toBe(false);
    await server.close();
    core.close();
  });

  it('never reads a file outside the library as an init image, and does not say whether it exists', async () => {
    const { dataDir } = arena();
    const { server, core, reveals } = await serve(dataDir, 'trust-init');
    const web = await openWebClient(server);
    const asInit = (generationId: string, imageId: string) =>
      web.call('generate', {
        input: { prompt: 'steal', initImage: { kind: 'library', generationId, imageId } },
        count: 1,
      });
    const existing = await asInit('../../outside', 'private');
    const missing = await asInit('../../outside', 'nothing-here');
    expect(existing).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(missing).toEqual(existing);
    expect(fake.invocations).toHaveLength(0);
    for (const name of ['revealImage', 'startImageDrag'])
      expect(await web.call(name, { generationId: '../../outside', imageId: 'private' })).toMatchObject({
        ok: false,
        error: { code: 'input.invalid' },
      });
    expect(reveals).toEqual([]);
    // The image routes refuse the same walk, encoded or not.
    for (const path of ['/images/../../outside/private.png', '/images/..%2F..%2Foutside/private.png'])
      expect((await web.get(path)).status).not.toBe(200);
    await server.close();
    core.close();
  });

  it('deletes nothing outside a generation when its generation.json names ../../x, and says the file is damaged', async () => {
    const core = startCore();
    await call(core, 'saveSettings', {
      models: [{ modelId: 'sdxl', endpointName: 'sdxl-trust' }],
      endpointOverrides: { sagemakerRuntime: fake.url },
    });
    const made = await call(core, 'generate', { input: { prompt: 'planted json' }, count: 1 });
    const file = join(core.dataDir, 'generations', made.id, 'generation.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { images: Array<{ file: string }> };
    json.images[0]!.file = '../../x';
    writeFileSync(file, JSON.stringify(json));
    writeFileSync(join(core.dataDir, 'x'), 'keep me');
    const refused = await callError(core, 'deleteImages', { generationId: made.id, imageIds: [made.images[0]!.id] });
    expect(refused.code).toBe('library.not_found');
    expect(readFileSync(join(core.dataDir, 'x'), 'utf8')).toBe('keep me');
    const page = await call(core, 'listGenerations', { limit: 10 });
    expect(page.generations).toEqual([]);
    expect(page.notice).toMatch(/1 generation of this computer's library could not be read/);
    expect(page.notice).toContain(join(core.dataDir, 'generations'));
    expect(page.notice).toContain(made.id);
    core.close();
  });

  it('sets an outbox job with a hostile ID aside, unrun', async () => {
    const { parent, dataDir } = arena();
    mkdirSync(join(dataDir, 'outbox'), { recursive: true });
    const id = newId();
    writeFileSync(
      join(dataDir, 'outbox', `${id}.json`),
      JSON.stringify({
        id,
        kind: 'delete',
        generationId: '../victim',
        project: 'p',
        target: { bucket: emu.bucket, table: emu.table },
        attempts: 0,
        nextAttemptAt: new Date(0).toISOString(),
        imageIds: 'all',
        keys: ['other-project/secret.png'],
      }),
    );
    const { server, core } = await serve(dataDir, 'p');
    expect(core.cloud.outbox.pending()).toEqual([]);
    expect(existsSync(join(dataDir, 'outbox', `${id}.json.damaged`))).toBe(true);
    expect(readFileSync(join(parent, 'victim', 'keep.txt'), 'utf8')).toBe('mine');
    await server.close();
    core.close();
  });
});

describe('one bad item does not hide the team’s history', () => {
  it('shows every readable generation and names each unreadable item with why', async () => {
    const { dataDir } = arena();
    const project = 'trust-bad-items';
    const { server, core } = await serve(dataDir, project);
    const good = await call(core, 'generate', { input: { prompt: 'still here' }, count: 1 });
    await core.cloud.outbox.idle();
    const base = toItem(project, withImage(recordFor(newId(), 'template'), newId()));
    const bad: Array<Record<string, unknown>> = [
      { ...base, generation_id: newId(), created_at: 12345 },
      { ...base, generation_id: newId(), created_at: 'yesterday' },
      { ...base, generation_id: newId(), images: [null] },
      { ...base, generation_id: newId(), images: 'not a list' },
      // No usable fields at all: not an empty block dated 1970.
      { project_id: project, generation_id: crypto.randomUUID() },
    ];
    for (const item of bad) await documents.send(new PutCommand({ TableName: emu.table, Item: item }));
    // Another machine (a fresh core on its own folder) reads the project.
    const other = await serve(arena().dataDir, project);
    const page = await call(other.core, 'listGenerations', { limit: 20 });
    expect(page.generations.map((g) => g.id)).toEqual([good.id]);
    expect(page.generations.every((g) => new Date(g.createdAt).getFullYear() > 2000)).toBe(true);
    expect(page.notice).toMatch(/^5 items of the cloud history could not be read and are not shown/);
    expect(page.notice).toContain('created_at');
    expect(page.notice).not.toMatch(/unreachable/);
    for (const s of [server, other.server]) await s.close();
    core.close();
    other.core.close();
  });

  it('says in place why an S3 object that is not an image cannot be shown', async () => {
    const { dataDir } = arena();
    const project = 'trust-not-image';
    const generationId = crypto.randomUUID();
    const imageId = crypto.randomUUID();
    const key = `${project}/${generationId}/${imageId}.png`;
    await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: '<html>not a picture</html>' }));
    await documents.send(
      new PutCommand({
        TableName: emu.table,
        Item: { project_id: project, generation_id: generationId, s3_object_keys: JSON.stringify([key]) },
      }),
    );
    const { server, core } = await serve(dataDir, project);
    const web = await openWebClient(server);
    const page = await call(core, 'listGenerations', { limit: 5 });
    expect(page.generations.map((g) => g.id)).toEqual([generationId]);
    const url = page.generations[0]!.images[0]!.url;
    const answer = await web.get(url);
    expect(answer.status).toBe(404);
    expect(await answer.text()).toMatch(/not an image: S3 object .* neither a PNG or JPEG image nor base64/);
    const thumb = await core.images.resolve({
      ...parseImagePath(url.replace('/images', ''))!,
      variant: 'thumb.webp',
    });
    expect(thumb).toEqual({ problem: expect.stringMatching(/not an image/) as unknown });
    await server.close();
    core.close();
  });
});

describe('private files', () => {
  it('keeps the data folder 0700 and what the app writes 0600', async () => {
    if (process.platform === 'win32') return;
    const parent = mkdtempSync(join(tmpdir(), 'studio-modes-'));
    const dataDir = join(parent, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    const { server, core } = await serve(dataDir, 'trust-modes');
    const made = await call(core, 'generate', { input: { prompt: 'private' }, count: 1 });
    await core.cloud.outbox.idle();
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    const folder = join(dataDir, 'generations', made.id);
    for (const dir of [join(dataDir, 'generations'), folder, join(dataDir, 'outbox')])
      expect([dir, mode(dir)]).toEqual([dir, 0o700]);
    const files = [
      join(dataDir, 'settings.json'),
      join(folder, 'generation.json'),
      join(folder, `${made.images[0]!.id}.png`),
    ];
    for (const file of files) expect([file, mode(file)]).toEqual([file, 0o600]);
    await server.close();
    core.close();
  });
});
