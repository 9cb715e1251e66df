import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImagePath } from '../../src-main/core/policy';
import { sentWithoutPrompt } from '../../src-main/core/generation/send-to-history';
import { generationInputSchema } from '../../src-shared/generation';
import { encodeRgbPng, renderRgb } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, callError, configure, imagePath, startCore } from '../support/core';
import { cloudSettings, emulatorCredentials, startEmulators } from '../support/emulators';
import type { Emulators } from '../support/emulators';

/** An image from the Edit tab kept as a generation: in the library, in the history stream, in the cloud. */

type TestCore = ReturnType<typeof startCore>;

const upload = async (core: TestCore, bytes: Buffer): Promise<string> =>
  (await call(core, 'uploadInitImage', { bytes: new Uint8Array(bytes), name: 'edit.png' })).id;

/** The upload as stored (normalised to PNG): what the history must keep, byte for byte. */
const uploaded = (core: TestCore, id: string): Buffer => readFileSync(join(core.dataDir, 'uploads', `${id}.png`));

describe('send to history (local library)', () => {
  it('keeps the PNG byte for byte as a one-image generation, announced at once and listed', async () => {
    const core = startCore();
    const png = encodeRgbPng(320, 200, renderRgb(320, 200, 3));
    const uploadId = await upload(core, png);
    const generation = await call(core, 'sendToHistory', { uploadId });

    expect(generation).toMatchObject({ status: 'done', count: 1, failures: [] });
    expect(generation.input).toMatchObject({ prompt: sentWithoutPrompt, kind: 'img2img', width: 320, height: 200 });
    const image = generation.images[0];
    expect(image).toMatchObject({ width: 320, height: 200, index: 0 });
    if (!image) throw new Error('one image expected');
    expect(
      readFileSync(await imagePath(core, parseImagePath(image.url.replace('/images', ''))!)).equals(
        uploaded(core, uploadId),
      ),
    ).toBe(true);
    // The history stream hears of it as of a finished Dream.
    expect(core.seen).toContainEqual(
      expect.objectContaining({ type: 'generation.done', generationId: generation.id, clientId: generation.id }),
    );
    expect((await call(core, 'listGenerations', { limit: 5 })).generations.map((g) => g.id)).toEqual([generation.id]);
    // Found by its prompt like any generation.
    expect((await call(core, 'searchGenerations', { query: 'edit tab' })).generations[0]?.id).toBe(generation.id);
  });

  it('carries the parameters it was made with, at the image’s own size and without its init image', async () => {
    const core = startCore();
    const png = encodeRgbPng(64, 96, renderRgb(64, 96, 1));
    const input = generationInputSchema.parse({
      prompt: 'a lighthouse at dusk',
      negativePrompt: 'fog',
      modelId: 'inpaint',
      kind: 'inpaint',
      seed: 1234,
      width: 512,
      height: 512,
      initImage: { kind: 'upload', id: await upload(core, png) },
      maskImage: { kind: 'upload', id: await upload(core, png) },
    });
    const generation = await call(core, 'sendToHistory', { uploadId: await upload(core, png), input });
    expect(generation.input).toMatchObject({
      prompt: 'a lighthouse at dusk',
      negativePrompt: 'fog',
      kind: 'inpaint',
      seed: 1234,
      width: 64,
      height: 96,
    });
    expect(generation.input.initImage).toBeUndefined();
    expect(generation.input.maskImage).toBeUndefined();
    expect(generation.modelId).toBe('inpaint');
    expect(generation.images[0]?.seed).toBe(1234);
  });

  it('says so when the upload is gone, and keeps nothing', async () => {
    const core = startCore();
    const gone = await callError(core, 'sendToHistory', { uploadId: '01JD00000000000000000000XY' });
    expect(gone.code).toBe('library.not_found');
    expect((await call(core, 'listGenerations', { limit: 5 })).generations).toEqual([]);
  });
});

describe('send to history with cloud storage on', () => {
  let emu: Emulators;
  let fake: FakeSageMaker;
  beforeAll(async () => {
    useAwsProfiles({ default: emulatorCredentials });
    [emu, fake] = await Promise.all([startEmulators(), startFakeSageMaker()]);
  });
  afterAll(async () => Promise.all([emu.close(), fake.close()]));

  it('uploads it to S3 and DynamoDB like any generation', async () => {
    const core = startCore();
    await configure(core, cloudSettings(emu, fake.url, 'sent'));
    const png = encodeRgbPng(128, 128, renderRgb(128, 128, 7));
    const uploadId = await upload(core, png);
    const generation = await call(core, 'sendToHistory', { uploadId });
    expect(generation.sync?.state).toBe('pending');
    await core.cloud.outbox.idle();
    const image = generation.images[0];
    if (!image) throw new Error('one image expected');
    const key = `sent/${generation.id}/${image.id}.png`;
    const item = (
      await emu.dynamodb.send(
        new GetItemCommand({
          TableName: emu.table,
          Key: { project_id: { S: 'sent' }, generation_id: { S: generation.id } },
        }),
      )
    ).Item;
    expect(JSON.parse(item?.s3_object_keys?.S ?? '[]')).toEqual([key]);
    const object = await emu.s3.send(new GetObjectCommand({ Bucket: emu.bucket, Key: key }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(uploaded(core, uploadId))).toBe(true);
  });
});
