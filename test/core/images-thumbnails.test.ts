/**
 * Grid thumbnails are made after a Dream, one at a time, off the path that receives and shows
 * its images; one asked for earlier is made on demand, and one that is missing is made again.
 * Real files, real sharp, the real SDK against the fake endpoint.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src-main/core/library/ids';
import { LocalLibrary } from '../../src-main/core/library/local-library';
import type { GenerationRecord } from '../../src-main/core/library/record';
import {
  ensureThumbnail,
  queueThumbnail,
  thumbnailsIdle,
  thumbnailWidth,
} from '../../src-main/core/library/thumbnails';
import type { Generation } from '../../src-shared/generation';
import { testCredentials } from '../fakes/keys';
import { renderPng } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { useAwsProfiles } from '../support/aws-profile';
import { call, configure, startCore, tempDataDir } from '../support/core';
import { recordFor } from '../support/records';

let fake: FakeSageMaker;

beforeAll(async () => {
  useAwsProfiles({ studio: testCredentials });
  fake = await startFakeSageMaker();
});
afterAll(async () => fake.close());

const dreamingCore = async (dataDir = tempDataDir()) => {
  const core = startCore(dataDir);
  await configure(core, {
    models: [{ modelId: 'sdxl', endpointName: 'sdxl-thumbs' }],
    profile: 'studio',
    endpointOverrides: { sagemakerRuntime: fake.url },
  });
  return core;
};

const thumbOf = (dataDir: string, generationId: string, imageId: string): string =>
  join(dataDir, 'generations', generationId, `${imageId}.thumb.webp`);

const expectThumbnail = async (path: string): Promise<void> => {
  const meta = await sharp(path).metadata();
  expect(meta.format).toBe('webp');
  expect(meta.width).toBe(thumbnailWidth);
};

/** A generation of `count` real 1024² PNGs written straight into a library. */
const libraryWith = async (count: number) => {
  const root = join(tempDataDir(), 'generations');
  const library = new LocalLibrary(root);
  const id = newId();
  const record: GenerationRecord = { ...recordFor(id, 'thumbs'), count };
  for (let index = 0; index < count; index++) {
    const imageId = newId();
    const file = await library.writeImage(id, imageId, 'image/png', renderPng(1024, 1024, 40 + index));
    record.images.push({ id: imageId, index, seed: index, width: 1024, height: 1024, contentType: 'image/png', file });
  }
  await library.save(record);
  const folder = library.folderOf(id);
  const sources = record.images.map((i) => join(folder, i.file));
  const thumbs = record.images.map((i) => join(folder, `${i.id}.thumb.webp`));
  return { library, id, folder, sources, thumbs };
};

describe('grid thumbnails', () => {
  it('come after a Dream is saved and shown, then all of them, in the background', async () => {
    const core = await dreamingCore();
    const atDone: boolean[] = [];
    core.events.subscribe((e) => {
      if (e.type === 'generation.done')
        for (const image of e.generation.images)
          atDone.push(existsSync(thumbOf(core.dataDir, e.generationId, image.id)));
    });
    const generation = await call(core, 'generate', { input: { prompt: 'thumbs later' }, count: 3 });
    expect(atDone).toEqual([false, false, false]);
    await thumbnailsIdle();
    for (const image of generation.images) await expectThumbnail(thumbOf(core.dataDir, generation.id, image.id));
    core.close();
  });

  it('are served when asked for before they exist (made on demand), and made again when missing', async () => {
    const core = await dreamingCore();
    let early: ReturnType<typeof core.images.serve> | undefined;
    core.events.subscribe((e) => {
      // The page asks for the thumbnail as soon as the image is announced.
      if (e.type === 'image.ready') early ??= core.images.serve(e.image.thumbUrl.slice('/images'.length));
    });
    const generation: Generation = await call(core, 'generate', { input: { prompt: 'asked early' }, count: 2 });
    const answer = await early!;
    expect(answer.status).toBe(200);
    expect(answer.headers['Content-Type']).toBe('image/webp');
    const path = (answer.body as { file: string }).file;
    await expectThumbnail(path);

    await thumbnailsIdle();
    const image = generation.images[1]!;
    const thumb = thumbOf(core.dataDir, generation.id, image.id);
    rmSync(thumb);
    const again = await core.images.resolve({ generationId: generation.id, imageId: image.id, variant: 'thumb.webp' });
    expect(again).toEqual({ path: thumb });
    await expectThumbnail(thumb);
    core.close();
  });

  it('are made one at a time, and one someone waits for goes ahead of the queue', async () => {
    const { sources, thumbs } = await libraryWith(4);
    for (let i = 0; i < 3; i++) queueThumbnail(sources[i]!, thumbs[i]!);
    await ensureThumbnail(sources[3]!, thumbs[3]!);
    // Only the one already being made when it was asked for came first.
    expect(thumbs.slice(0, 3).filter((t) => existsSync(t))).toEqual([thumbs[0]]);
    await thumbnailsIdle();
    for (const thumb of thumbs) await expectThumbnail(thumb);
  });

  it('still waiting are dropped when their generation is removed; other generations keep theirs', async () => {
    const removed = await libraryWith(3);
    const kept = await libraryWith(1);
    removed.sources.forEach((source, i) => queueThumbnail(source, removed.thumbs[i]!));
    queueThumbnail(kept.sources[0]!, kept.thumbs[0]!);
    await removed.library.remove(removed.id);
    await thumbnailsIdle();
    expect(existsSync(removed.folder)).toBe(false);
    await expectThumbnail(kept.thumbs[0]!);
  });

  it('of a generation a stop interrupted are made when asked for', async () => {
    const dataDir = tempDataDir();
    const id = newId();
    const [saved, renamed] = [newId(), newId()];
    const folder = join(dataDir, 'generations', id);
    mkdirSync(folder, { recursive: true });
    const png = renderPng(1024, 1024, 3);
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout);
    writeFileSync(join(folder, `${saved}.png`), png);
    // The stop came after the bytes were written, before the rename into place (and before any thumbnail).
    writeFileSync(join(folder, `${renamed}.png.${deadPid}.0a1b2c3d.tmp`), png);
    const record: GenerationRecord = {
      ...recordFor(id, 'interrupted'),
      count: 2,
      status: 'running',
      images: [
        { id: saved, index: 0, seed: 1, width: 1024, height: 1024, contentType: 'image/png', file: `${saved}.png` },
      ],
      inflight: [{ id: renamed, index: 1, seed: 2, contentType: 'image/png' }],
    };
    writeFileSync(join(folder, 'generation.json'), JSON.stringify(record));
    mkdirSync(join(dataDir, 'running'));
    writeFileSync(join(dataDir, 'running', id), String(deadPid));

    const core = await dreamingCore(dataDir);
    await core.started();
    for (const imageId of [saved, renamed]) {
      const found = await core.images.resolve({ generationId: id, imageId, variant: 'thumb.webp' });
      expect(found).toEqual({ path: thumbOf(dataDir, id, imageId) });
      await expectThumbnail(thumbOf(dataDir, id, imageId));
    }
    expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    core.close();
  });
});
