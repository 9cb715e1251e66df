/**
 * Property: whatever ID arrives (from the page over IPC or HTTP, from a teammate's DynamoDB
 * item, from a generation.json or an outbox job), no file outside the data folder changes and
 * no desktop action is handed a path outside it. fast-check generates the hostile IDs; both
 * transports are the real ones (the shell's IPC binding with `electron` recorded, web mode's
 * HTTP server), over a core with cloud storage on against the emulators.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src-main/core';
import type { Core } from '../../src-main/core';
import { newId } from '../../src-main/core/library/ids';
import { appOrigin } from '../../src-main/core/policy';
import { JsonFileSettingsBackend } from '../../src-main/core/settings';
import { startServer } from '../../src-main/server/server';
import type { RunningServer } from '../../src-main/server/server';
import { bindIpc } from '../../src-main/shell/ipc';
import { handleProtocols } from '../../src-main/shell/protocols';
import { ipcChannel } from '../../src-shared/operations';
import type { Result } from '../../src-shared/errors';
import { defaultSettings } from '../../src-shared/settings';
import { renderPng } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { cloudSettings, emulatorCredentials, startEmulators } from '../support/emulators';
import type { Emulators } from '../support/emulators';
import { recordFor, withImage } from '../support/records';
import { openWebClient } from '../support/web-session';
import type { WebClient } from '../support/web-session';

type Handler = (...args: unknown[]) => unknown;
const electron = vi.hoisted(() => ({
  ipc: new Map<string, Handler>(),
  protocols: new Map<string, (request: Request) => Promise<Response>>(),
}));
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, handler: Handler) => electron.ipc.set(channel, handler) },
  protocol: {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
      electron.protocols.set(scheme, handler),
  },
}));

const appUrl = `${appOrigin}/index.html`;
const project = 'hostile';

let emu: Emulators;
let fake: FakeSageMaker;
let documents: DynamoDBDocumentClient;
let parent: string;
let dataDir: string;
let core: Core;
let server: RunningServer;
let web: WebClient;
const desktopPaths: string[] = [];

/** Every file and folder outside the data folder, with what would show a change. */
const outside = (): string[] => {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path === dataDir) continue;
      const info = statSync(path);
      const content = info.isFile() ? readFileSync(path).toString('base64') : 'dir';
      out.push(`${relative(parent, path)} ${info.mode} ${info.mtimeMs} ${content}`);
      if (info.isDirectory()) walk(path);
    }
  };
  walk(parent);
  return out.sort();
};

beforeAll(async () => {
  useAwsProfiles({ default: emulatorCredentials });
  [emu, fake] = await Promise.all([startEmulators(), startFakeSageMaker()]);
  documents = DynamoDBDocumentClient.from(emu.dynamodb);
  parent = mkdtempSync(join(tmpdir(), 'studio-hostile-'));
  dataDir = join(parent, 'data');
  // What an attacker would aim at: folders and files beside the data folder and above its parts.
  for (const dir of ['victim', 'outside', 'generations', 'planted']) {
    mkdirSync(join(parent, dir));
    writeFileSync(join(parent, dir, 'keep.txt'), dir);
  }
  writeFileSync(join(parent, 'outside', 'private.png'), renderPng(64, 64, 2));
  writeFileSync(join(parent, 'x'), 'x');
  core = createCore({
    dataDir,
    settingsBackend: new JsonFileSettingsBackend(join(dataDir, 'settings.json')),
    imageUrl: (g, f) => `/images/${g}/${f}`,
    desktop: { reveal: (p) => desktopPaths.push(p), startDrag: (p) => desktopPaths.push(p) },
  });
  const saved = await core.dispatch('saveSettings', {
    ...defaultSettings(),
    ...cloudSettings(emu, fake.url, project, 'sdxl-hostile'),
  });
  if (!saved.ok) throw new Error(saved.error.message);
  bindIpc(core, () => appUrl);
  handleProtocols(core, dataDir);
  server = await startServer({ core, rendererDir: dataDir, port: 0 });
  web = await openWebClient(server);
  // Something real to aim next to: a generation of the library, synced to the cloud.
  const made = await core.dispatch('generate', { input: { prompt: 'the real one' }, count: 2 });
  if (!made.ok) throw new Error(made.error.message);
  await core.cloud.outbox.idle();
});
afterAll(async () => {
  await server.close();
  core.close();
  await Promise.all([emu.close(), fake.close()]);
});

/** The two ways the page reaches the core. */
const transports: Record<string, (name: string, input: unknown) => Promise<unknown>> = {
  ipc: async (name, input) => {
    const handler = electron.ipc.get(ipcChannel(name as Parameters<typeof ipcChannel>[0]));
    if (!handler) throw new Error(`no IPC handler for ${name}`);
    return (await handler({ senderFrame: { url: appUrl, parent: null } }, input)) as Result<unknown>;
  },
  http: (name, input) => web.call(name, input),
};

/** Image URLs over both transports: web mode's route and the desktop's image protocol. */
const fetchImage = async (generationId: string, file: string): Promise<number> => {
  const viaHttp = await web.get(`/images/${generationId}/${file}`);
  await viaHttp.arrayBuffer();
  const protocol = electron.protocols.get('studio-image');
  const viaProtocol = protocol
    ? await protocol(new Request(`studio-image://library/${generationId}/${file}`))
    : undefined;
  await viaProtocol?.arrayBuffer();
  return viaHttp.status;
};

const parts = [
  '..',
  '.',
  '',
  '/',
  '\\',
  '%2e%2e',
  '%2F',
  '\0',
  'C:',
  '~',
  'victim',
  'outside',
  'private',
  'keep.txt',
  'generations',
  'planted',
  'data',
  'x',
  'uploads',
  'cloud-cache',
];
/** IDs an attacker would try: walks up and across, separators of every platform, encodings, junk, near-valid IDs. */
const hostileId = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('/', '\\'),
        fc.constantFrom('victim', 'outside', 'generations', 'planted', 'x', 'data', 'keep.txt'),
      )
      .map(([up, slash, target]) => `..${slash}`.repeat(up) + target),
    weight: 4,
  },
  fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 6 }).map((p) => p.join('/')),
  fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 6 }).map((p) => p.join('\\')),
  fc.constantFrom(...parts).map((p) => `${newId()}/../../${p}`),
  fc.constantFrom('../victim', '../../victim', '../../../x', '/etc/passwd', '..\\..\\victim', `../${newId()}`),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const assertUntouched = (before: string[]): void => {
  expect(outside()).toEqual(before);
  for (const path of desktopPaths) expect(path.startsWith(dataDir + sep)).toBe(true);
};

describe('hostile IDs', () => {
  it('from the page: every operation that takes an ID, over IPC and HTTP, changes nothing outside the data folder', async () => {
    const before = outside();
    await fc.assert(
      fc.asyncProperty(hostileId, hostileId, fc.constantFrom('ipc', 'http'), async (a, b, via) => {
        const send = transports[via]!;
        const valid = newId();
        const calls: Array<[string, unknown]> = [
          ['deleteImages', { generationId: a }],
          ['deleteImages', { generationId: a, imageIds: [b] }],
          ['deleteImages', { generationId: valid, imageIds: [a] }],
          ['generate', { input: { prompt: 'p', initImage: { kind: 'library', generationId: a, imageId: b } } }],
          ['generate', { input: { prompt: 'p', initImage: { kind: 'upload', id: a } } }],
          ['revealImage', { generationId: a, imageId: b }],
          ['startImageDrag', { generationId: a, imageId: b }],
          ['uploadToCloud', { generationIds: [a] }],
          ['listGenerations', { cursor: a }],
          ['searchGenerations', { query: 'real', cursor: a }],
        ];
        for (const [name, input] of calls) await send(name, input);
        for (const file of [`${b}.png`, `${b}.thumb.webp`, `${b}.params.png`, b])
          await fetchImage(encodeURIComponent(a), encodeURIComponent(file)).catch(() => 0);
        assertUntouched(before);
      }),
      { numRuns: 100 },
    );
    expect(fake.invocations.length).toBe(2); // only the real generation of the set-up reached the model
  });

  it('from a teammate’s DynamoDB items: listing, searching and deleting what is listed change nothing outside', async () => {
    const before = outside();
    await fc.assert(
      fc.asyncProperty(
        hostileId.filter((s) => s.length > 0 && Buffer.byteLength(s) < 1000),
        hostileId,
        hostileId,
        fc.constantFrom('ipc', 'http'),
        async (generationId, imageId, key, via) => {
          const send = transports[via]!;
          const template = withImage(recordFor(newId(), 'planted'), newId());
          await documents.send(
            new PutCommand({
              TableName: emu.table,
              Item: {
                project_id: project,
                generation_id: generationId,
                created_at: new Date().toISOString(),
                input_obj: JSON.stringify({ prompts: [{ text: 'planted', weight: 1 }] }),
                s3_object_keys: JSON.stringify([key, `${project}/${generationId}/${imageId}.png`]),
                images: [
                  {
                    ...template.images[0],
                    id: imageId,
                    key: `${project}/${generationId}/${imageId}.png`,
                    content_type: 'image/png',
                    thumb: new Uint8Array(Buffer.from('planted bytes')),
                  },
                ],
              },
            }),
          );
          for (const name of ['listGenerations', 'searchGenerations']) {
            const page = (await send(name, name === 'listGenerations' ? { limit: 50 } : { query: 'planted' })) as
              Result<{ generations: Array<{ id: string; images: Array<{ id: string; url: string }> }> }> | undefined;
            if (!page?.ok) continue;
            for (const g of page.value.generations) {
              for (const image of g.images) await web.get(image.url).then((r) => r.arrayBuffer());
              if (g.id !== generationId) continue;
              await send('deleteImages', { generationId: g.id });
            }
          }
          await core.cloud.outbox.idle();
          assertUntouched(before);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('from generation.json and outbox jobs on disk: reading, deleting and running them change nothing outside', async () => {
    const before = outside();
    await fc.assert(
      fc.asyncProperty(hostileId, hostileId, async (file, other) => {
        const id = newId();
        const folder = join(dataDir, 'generations', id);
        mkdirSync(folder, { recursive: true });
        const imageId = newId();
        const kept = withImage(recordFor(id, 'planted json'), newId()).images[0]!;
        // Two images, so deleting the planted one rewrites the record instead of removing the folder.
        const planted = { id: imageId, index: 1, seed: 1, width: 64, height: 64, contentType: 'image/png', file };
        writeFileSync(
          join(folder, 'generation.json'),
          JSON.stringify({ ...recordFor(id, 'planted json'), count: 2, images: [kept, planted] }),
        );
        const job = newId();
        writeFileSync(
          join(dataDir, 'outbox', `${job}.json`),
          JSON.stringify({
            id: job,
            kind: 'delete',
            generationId: other,
            project,
            target: { bucket: emu.bucket, table: emu.table },
            attempts: 0,
            nextAttemptAt: new Date(0).toISOString(),
            imageIds: [file],
            keys: [`${project}/${other}/${file}.png`, file],
          }),
        );
        // A second app on the same folder reads both at its start (as after a restart).
        const again = createCore({
          dataDir,
          settingsBackend: new JsonFileSettingsBackend(join(dataDir, 'settings.json')),
          imageUrl: (g, f) => `/images/${g}/${f}`,
        });
        await again.started();
        await again.cloud.outbox.idle();
        await again.dispatch('listGenerations', { limit: 50 });
        await again.dispatch('deleteImages', { generationId: id, imageIds: [imageId] });
        await again.dispatch('deleteImages', { generationId: id });
        again.close();
        assertUntouched(before);
      }),
      { numRuns: 25 },
    );
  });
});
