import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core';
import { readItem, toItem } from '../../src-main/core/cloud/items';
import { newId } from '../../src-main/core/library/ids';
import { generationRecordSchema } from '../../src-main/core/library/record';
import { parseImagePath } from '../../src-main/core/policy';
import type { GenerateRequest } from '../../src-shared/generation';
import { splitMaskPng } from '../fakes/edit-pixels';
import { encodeRgbPng, renderRgb } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, configure, imagePath, startCore, tempDataDir } from '../support/core';
import { recordFor, withImage } from '../support/records';
import { cloudSettings, emulatorCredentials, startEmulators } from '../support/emulators';
import type { Emulators } from '../support/emulators';

/** An edit's source image and mask in the cloud: uploaded with its images, named by the item, read back. */

let emu: Emulators;
let fake: FakeSageMaker;

beforeAll(async () => {
  useAwsProfiles({ default: emulatorCredentials });
  [emu, fake] = await Promise.all([startEmulators(), startFakeSageMaker()]);
});
afterAll(async () => Promise.all([emu.close(), fake.close()]));
beforeEach(() => {
  emu.s3Proxy.mode = 'pass';
  emu.s3Proxy.refuseAfter = undefined;
  emu.dynamodbProxy.mode = 'pass';
});

const cloudCore = async (project: string, dataDir = tempDataDir()) => {
  const core = startCore(dataDir);
  await configure(core, cloudSettings(emu, fake.url, project));
  return core;
};

const synced = (core: Core) => core.cloud.outbox.idle();

/** An inpainting of a 1024² picture on the SDXL model: a source image and a mask. */
const inpaint = async (core: Core & { dataDir: string }): Promise<GenerateRequest> => {
  const upload = async (png: Buffer) =>
    (await call(core, 'uploadInitImage', { bytes: new Uint8Array(png), name: 'box.png' })).id;
  const [initId, maskId] = [
    await upload(encodeRgbPng(1024, 1024, renderRgb(1024, 1024, 4))),
    await upload(splitMaskPng(1024, 1024, 300)),
  ];
  return {
    input: {
      prompt: 'a red door',
      kind: 'inpaint',
      width: 1024,
      height: 1024,
      initImage: { kind: 'upload', id: initId },
      maskImage: { kind: 'upload', id: maskId },
    },
    count: 2,
  };
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

const objectsUnder = async (prefix: string): Promise<string[]> => {
  const out = await emu.s3.send(new ListObjectsV2Command({ Bucket: emu.bucket, Prefix: prefix }));
  return (out.Contents ?? [])
    .map((o) => o.Key ?? '')
    .filter((k) => k.endsWith('.png'))
    .sort();
};

const s3Bytes = async (key: string): Promise<Buffer> => {
  const object = await emu.s3.send(new GetObjectCommand({ Bucket: emu.bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
};

const sourcesOf = (core: Core & { dataDir: string }, generationId: string) => {
  const record = generationRecordSchema.parse(
    JSON.parse(readFileSync(join(core.dataDir, 'generations', generationId, 'generation.json'), 'utf8')),
  );
  if (!record.sources?.mask) throw new Error('no sources recorded');
  return { image: record.sources.image, mask: record.sources.mask };
};

describe('an edit’s source image and mask in the cloud', () => {
  it('go to S3 beside its images, and the DynamoDB item names them (not as images)', async () => {
    const core = await cloudCore('edits');
    const generation = await call(core, 'generate', await inpaint(core));
    await synced(core);
    const sources = sourcesOf(core, generation.id);
    const key = (file: string) => `edits/${generation.id}/${file}`;

    const item = await rawItem('edits', generation.id);
    expect(item?.sources?.M?.image?.S).toBe(key(sources.image));
    expect(item?.sources?.M?.mask?.S).toBe(key(sources.mask));
    // The browser plugin reads s3_object_keys as the images: the sources are not among them.
    expect((JSON.parse(item?.s3_object_keys?.S ?? '[]') as string[]).sort()).toEqual(
      generation.images.map((i) => key(`${i.id}.png`)).sort(),
    );
    expect(await objectsUnder(`edits/${generation.id}/`)).toEqual(
      [...generation.images.map((i) => key(`${i.id}.png`)), key(sources.image), key(sources.mask)].sort(),
    );
    for (const file of [sources.image, sources.mask]) {
      const local = readFileSync(join(core.dataDir, 'generations', generation.id, file));
      expect((await s3Bytes(key(file))).equals(local)).toBe(true);
    }
    expect(generation.sources?.imageUrl).toBe(`/images/${generation.id}/${sources.image}`);
  });

  it('are read back on a machine with an empty library, fetched from S3 when asked for', async () => {
    const a = await cloudCore('edits-back');
    const generation = await call(a, 'generate', await inpaint(a));
    await synced(a);
    const sources = sourcesOf(a, generation.id);

    const b = await cloudCore('edits-back');
    const listed = (await call(b, 'listGenerations', { limit: 5 })).generations[0];
    expect(listed?.id).toBe(generation.id);
    expect(listed?.sync?.state).toBe('cloud');
    expect(listed?.input.kind).toBe('inpaint');
    expect(listed?.sources).toEqual({
      imageUrl: `/images/${generation.id}/${sources.image}`,
      maskUrl: `/images/${generation.id}/${sources.mask}`,
    });
    for (const [url, file] of [
      [listed?.sources?.imageUrl, sources.image],
      [listed?.sources?.maskUrl, sources.mask],
    ] as const) {
      const ref = parseImagePath((url ?? '').replace('/images', ''));
      if (!ref) throw new Error(`not an image URL: ${url}`);
      const fetched = readFileSync(await imagePath(b, ref));
      expect(fetched.equals(readFileSync(join(a.dataDir, 'generations', generation.id, file)))).toBe(true);
    }
  });

  it('nothing is lost when S3 fails after the images: the sources wait in the outbox and go on Retry sync', async () => {
    const core = await cloudCore('edits-s3-down');
    // The two images pass, then S3 stops answering: the source image and mask do not get there.
    emu.s3Proxy.refuseAfter = 2;
    const generation = await call(core, 'generate', await inpaint(core));
    await synced(core);
    const listed = (await call(core, 'listGenerations', { limit: 5 })).generations[0];
    expect(listed?.sync).toMatchObject({ state: 'pending', reason: expect.any(String) });
    expect(await rawItem('edits-s3-down', generation.id)).toBeUndefined();
    const sources = sourcesOf(core, generation.id);
    // Safe on this computer all along.
    expect(readFileSync(join(core.dataDir, 'generations', generation.id, sources.mask)).length).toBeGreaterThan(0);

    emu.s3Proxy.refuseAfter = undefined;
    emu.s3Proxy.mode = 'pass';
    await emu.stopS3();
    await emu.startS3();
    expect(await call(core, 'retrySync')).toEqual({ pending: 1 });
    await synced(core);
    expect((await call(core, 'listGenerations', { limit: 5 })).generations[0]?.sync?.state).toBe('synced');
    const key = (file: string) => `edits-s3-down/${generation.id}/${file}`;
    expect(await objectsUnder(`edits-s3-down/${generation.id}/`)).toEqual(
      [...generation.images.map((i) => key(`${i.id}.png`)), key(sources.image), key(sources.mask)].sort(),
    );
    expect((await rawItem('edits-s3-down', generation.id))?.sources?.M?.mask?.S).toBe(key(sources.mask));
  });

  it('go when the whole generation is deleted, and stay when one of its images is', async () => {
    const core = await cloudCore('edits-delete');
    const generation = await call(core, 'generate', await inpaint(core));
    await synced(core);
    const sources = sourcesOf(core, generation.id);
    const key = (file: string) => `edits-delete/${generation.id}/${file}`;

    await call(core, 'deleteImages', { generationId: generation.id, imageIds: [generation.images[0]!.id] });
    await synced(core);
    expect(await objectsUnder(`edits-delete/${generation.id}/`)).toEqual(
      [key(`${generation.images[1]!.id}.png`), key(sources.image), key(sources.mask)].sort(),
    );
    expect((await rawItem('edits-delete', generation.id))?.sources?.M?.image?.S).toBe(key(sources.image));

    await call(core, 'deleteImages', { generationId: generation.id });
    await synced(core);
    expect(await objectsUnder(`edits-delete/${generation.id}/`)).toEqual([]);
    expect(await rawItem('edits-delete', generation.id)).toBeUndefined();
  });
});

describe('a teammate’s item naming sources', () => {
  const id = newId();
  const [source, mask] = [newId(), newId()];
  const record = {
    ...withImage(recordFor(id, 'an edit'), newId()),
    sources: { image: `${source}.png`, mask: `${mask}.png` },
  };
  const item = toItem('team', record);

  it('reads its sources back as the record’s, their keys learnt for fetching', () => {
    const read = readItem('team', item, undefined);
    if (!read.ok) throw new Error(read.reason);
    expect(read.value.record.sources).toEqual(record.sources);
    expect(read.value.keys.get(source)).toBe(`team/${id}/${source}.png`);
  });

  it.each([
    ['in another generation', { image: `team/${newId()}/${source}.png` }, 'source image: S3 key'],
    ['in another project', { image: `other/${id}/${source}.png` }, 'source image: S3 key'],
    ['outside the key grammar', { image: `team/${id}/../../x.png` }, 'source image: S3 key'],
    ['a JPEG', { image: `team/${id}/${source}.jpg` }, 'source image is not a PNG'],
  ])('is an unreadable row, saying why, when a source is %s', (_what, sources, reason) => {
    const read = readItem('team', { ...item, sources }, undefined);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toContain(reason);
  });
});
