import { existsSync, mkdirSync, readFileSync, rmSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unusedImageGraceMs } from '../../src-main/core/editor/service';
import { newId } from '../../src-main/core/library/ids';
import type { EditorBox, EditorBoxResults, EditorDocument, EditorImageLayer } from '../../src-shared/editor';
import { pngSize, renderJpeg, renderPng } from '../fakes/png';
import { recordFor, withImage } from '../support/records';
import { call, callError, imagePath, startCore } from '../support/core';

const layerOf = (imageId: string, name: string, over: Partial<EditorImageLayer> = {}): EditorImageLayer => ({
  id: newId(),
  kind: 'image',
  name,
  imageId,
  width: 64,
  height: 48,
  x: 10,
  y: -20,
  scaleX: 1.5,
  scaleY: 1.5,
  visible: true,
  locked: false,
  ...over,
});

describe('the editor document', () => {
  it('starts empty, and is saved to <data>/editor/document.json and read back after a restart', async () => {
    const core = startCore();
    expect(await call(core, 'getEditorDocument')).toEqual({ document: { version: 1, layers: [] }, urls: {} });

    const image = await call(core, 'addEditorImage', { bytes: new Uint8Array(renderPng(64, 48, 7)), name: 'cat.png' });
    expect(image).toMatchObject({ width: 64, height: 48, url: `/images/editor/${image.imageId}.png` });
    const document: EditorDocument = {
      version: 1,
      layers: [layerOf(image.imageId, 'cat', { visible: false, locked: true })],
      view: { x: 5, y: 6, scale: 2 },
    };
    expect(await call(core, 'saveEditorDocument', document)).toEqual({ layers: 1 });
    const file = join(core.dataDir, 'editor', 'document.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(document);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    // No temp file is left behind by the atomic write.
    expect(readdirSync(join(core.dataDir, 'editor')).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const again = startCore(core.dataDir);
    const answer = await call(again, 'getEditorDocument');
    expect(answer.document).toEqual(document);
    expect(answer.urls).toEqual({ [image.imageId]: `/images/editor/${image.imageId}.png` });
    expect(answer.notice).toBeUndefined();
  });

  it('serves layer images (and their thumbnails) by ID, and refuses anything else', async () => {
    const core = startCore();
    const jpeg = await call(core, 'addEditorImage', { bytes: new Uint8Array(renderJpeg(40, 30, 3)) });
    // Stored as PNG whatever came in.
    const path = await imagePath(core, { generationId: 'editor', imageId: jpeg.imageId, variant: 'png' });
    expect(pngSize(readFileSync(path))).toEqual({ width: 40, height: 30 });
    const served = await core.images.serve(`/editor/${jpeg.imageId}.png`);
    expect(served).toMatchObject({ status: 200, body: { file: path } });
    const thumb = await core.images.serve(`/editor/${jpeg.imageId}.thumb.webp`);
    expect(thumb.status).toBe(200);
    expect(thumb.body).toEqual({ file: join(core.dataDir, 'editor', `${jpeg.imageId}.thumb.webp`) });
    expect((await core.images.serve(`/editor/${newId()}.png`)).status).toBe(404);
    expect((await core.images.serve(`/editor/../settings.json`)).status).toBe(404);
  });

  it('copies a history image into the editor folder, so the layer outlives the history’s copy', async () => {
    const core = startCore();
    const generationId = newId();
    const imageId = newId();
    await core.library.writeImage(generationId, imageId, 'image/png', renderPng(80, 60, 1));
    await core.library.save(withImage(recordFor(generationId, 'a lighthouse'), imageId));

    const copied = await call(core, 'addEditorImageFromLibrary', { generationId, imageId });
    expect(copied).toMatchObject({ width: 80, height: 60 });
    expect(copied.imageId).not.toBe(imageId);
    // It carries what made it: the generation's parameters, that image's seed and the model.
    expect(copied.made).toMatchObject({ generationId, seed: 1, model: 'sdxl', input: { prompt: 'a lighthouse' } });
    // Kept with the layer: the document takes it, and gives it back after a restart.
    const layer = layerOf(copied.imageId, 'lighthouse', { made: copied.made });
    await call(core, 'saveEditorDocument', { version: 1, layers: [layer] });
    expect((await call(startCore(core.dataDir), 'getEditorDocument')).document.layers[0]?.made).toEqual(copied.made);
    // A file brought in has none.
    const file = await call(core, 'addEditorImage', { bytes: new Uint8Array(renderPng(8, 8, 3)), name: 'x.png' });
    expect(file.made).toBeUndefined();
    await call(core, 'deleteImages', { generationId });
    const path = await imagePath(core, { generationId: 'editor', imageId: copied.imageId, variant: 'png' });
    expect(existsSync(path)).toBe(true);

    const gone = await callError(core, 'addEditorImageFromLibrary', { generationId, imageId });
    expect(gone.code).toBe('library.not_found');
    const hostile = await callError(core, 'addEditorImageFromLibrary', { generationId: '../x', imageId });
    expect(hostile.code).toBe('input.invalid');
  });

  it('refuses bad input with a clear message and keeps the stored document', async () => {
    const core = startCore();
    const image = await call(core, 'addEditorImage', { bytes: new Uint8Array(renderPng(8, 8, 2)) });
    const good: EditorDocument = { version: 1, layers: [layerOf(image.imageId, 'kept')] };
    await call(core, 'saveEditorDocument', good);

    const notImage = await callError(core, 'addEditorImage', { bytes: new TextEncoder().encode('hello') });
    expect(notImage).toMatchObject({ code: 'input.invalid' });
    expect(notImage.message).toContain('not an image the editor can read');

    const unknownImage = await callError(core, 'saveEditorDocument', {
      version: 1,
      layers: [layerOf(newId(), 'ghost')],
    });
    expect(unknownImage.message).toContain('The image of layer “ghost” is not in the editor folder');

    const badLayer = await callError(core, 'saveEditorDocument', {
      version: 1,
      layers: [{ ...layerOf(image.imageId, 'x'), scaleX: Number.NaN }],
    });
    expect(badLayer.code).toBe('input.invalid');
    expect(Object.keys(badLayer.fields ?? {})).toContain('layers.0.scaleX');

    const traversal = await callError(core, 'saveEditorDocument', {
      version: 1,
      layers: [layerOf('../../settings', 'x')],
    });
    expect(traversal.code).toBe('input.invalid');

    expect((await call(core, 'getEditorDocument')).document).toEqual(good);
  });

  it('sets a damaged document aside with a notice, starts empty, and never fails', async () => {
    const core = startCore();
    const dir = join(core.dataDir, 'editor');
    mkdirSync(dir);
    writeFileSync(join(dir, 'document.json'), '{"version": 1, "layers": [ {"id": 3');
    const answer = await call(core, 'getEditorDocument');
    expect(answer.document).toEqual({ version: 1, layers: [] });
    expect(answer.notice).toMatch(
      /could not be read \(it is not JSON .*set aside as editor\/document\.damaged-.*\.json/,
    );
    const aside = readdirSync(dir).filter((f) => f.startsWith('document.damaged-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0] ?? ''), 'utf8')).toBe('{"version": 1, "layers": [ {"id": 3');
    // Said once: the next read finds no document and no problem.
    expect((await call(core, 'getEditorDocument')).notice).toBeUndefined();

    writeFileSync(join(dir, 'document.json'), JSON.stringify({ version: 1, layers: [{ kind: 'image' }] }));
    const wrong = await call(core, 'getEditorDocument');
    expect(wrong.notice).toContain('layers.0.');
    expect(readdirSync(dir).filter((f) => f.startsWith('document.damaged-'))).toHaveLength(2);
  });

  it('leaves out a layer whose image file is gone, saying which', async () => {
    const core = startCore();
    const kept = await call(core, 'addEditorImage', { bytes: new Uint8Array(renderPng(8, 8, 1)) });
    const lost = await call(core, 'addEditorImage', { bytes: new Uint8Array(renderPng(8, 8, 2)) });
    await call(core, 'saveEditorDocument', {
      version: 1,
      layers: [layerOf(kept.imageId, 'kept'), layerOf(lost.imageId, 'lost')],
    });
    rmSync(join(core.dataDir, 'editor', `${lost.imageId}.png`));
    const answer = await call(core, 'getEditorDocument');
    expect(answer.document.layers.map((l) => l.name)).toEqual(['kept']);
    expect(answer.notice).toContain('“lost”');
  });

  it('tidies layer images no layer uses once they are old, and keeps the rest', async () => {
    const core = startCore();
    const used = await call(core, 'addEditorImage', { bytes: new Uint8Array(renderPng(8, 8, 1)) });
    const fresh = await call(core, 'addEditorImage', { bytes: new Uint8Array(renderPng(8, 8, 2)) });
    const old = await call(core, 'addEditorImage', { bytes: new Uint8Array(renderPng(8, 8, 3)) });
    await call(core, 'saveEditorDocument', { version: 1, layers: [layerOf(used.imageId, 'used')] });
    const dir = join(core.dataDir, 'editor');
    const past = (Date.now() - unusedImageGraceMs - 60_000) / 1000;
    utimesSync(join(dir, `${old.imageId}.png`), past, past);
    utimesSync(join(dir, `${used.imageId}.png`), past, past);
    await call(core, 'getEditorDocument');
    await expect.poll(() => existsSync(join(dir, `${old.imageId}.png`))).toBe(false);
    expect(existsSync(join(dir, `${used.imageId}.png`))).toBe(true);
    expect(existsSync(join(dir, `${fresh.imageId}.png`))).toBe(true);
  });

  it('keeps a box’s finished results with the document, and answers their URLs and what is gone after a restart', async () => {
    const core = startCore();
    const generationId = newId();
    const [first, second] = [newId(), newId()];
    await core.library.writeImage(generationId, first, 'image/png', renderPng(64, 64, 1));
    await core.library.writeImage(generationId, second, 'image/jpeg', renderJpeg(64, 64, 2));
    const record = withImage(recordFor(generationId, 'a red door'), first);
    await core.library.save({
      ...record,
      images: [
        ...record.images,
        { id: second, index: 1, seed: 2, width: 64, height: 64, contentType: 'image/jpeg', file: `${second}.jpg` },
      ],
    });
    const upload = async (seed: number): Promise<string> =>
      (await call(core, 'uploadInitImage', { bytes: new Uint8Array(renderPng(64, 64, seed)), name: 'box.png' })).id;
    const [source, mask] = [await upload(3), await upload(4)];
    const box: EditorBox = {
      id: newId(),
      x: 0,
      y: 0,
      width: 1024,
      height: 1024,
      prompt: 'a red door',
      negativePrompt: '',
      modelId: 'sdxl',
      stylePreset: '',
      count: 2,
      cfgScale: 7,
      steps: 30,
      seed: 0,
      strength: 0.35,
    };
    const kept: EditorBoxResults = {
      boxId: box.id,
      kind: 'inpaint',
      images: [
        { generationId, imageId: first, seed: 1 },
        { generationId, imageId: second, seed: 2 },
      ],
      index: 1,
      sourceUploadId: source,
      maskUploadId: mask,
    };
    // Results of a box the document no longer has are not answered.
    const orphan: EditorBoxResults = { ...kept, boxId: newId() };
    const document: EditorDocument = { version: 1, layers: [], boxes: [box], results: [kept, orphan] };
    await call(core, 'saveEditorDocument', document);

    const answer = await call(startCore(core.dataDir), 'getEditorDocument');
    expect(answer.document.results).toEqual([kept, orphan]);
    expect(answer.results).toEqual({
      [box.id]: {
        urls: {
          [first]: `/images/${generationId}/${first}.png`,
          [second]: `/images/${generationId}/${second}.jpg`,
        },
        acceptable: true,
      },
    });

    // One result deleted in the history, the mask gone from the uploads: both said, Accept refused.
    await call(core, 'deleteImages', { generationId, imageIds: [first] });
    rmSync(join(core.dataDir, 'uploads', `${mask}.png`));
    const later = await call(core, 'getEditorDocument');
    expect(later.results?.[box.id]).toEqual({
      urls: { [second]: `/images/${generationId}/${second}.jpg` },
      acceptable: false,
      problem:
        '1 of this box’s 2 results is no longer in the history. The mask this box sent is no longer in the uploads folder, so a result cannot be accepted: Dream again.',
    });
    await call(core, 'deleteImages', { generationId });
    expect((await call(core, 'getEditorDocument')).results?.[box.id]?.problem).toBe(
      'This box’s results are no longer in the history (deleted there).',
    );

    // A shown result past the end is refused, saying where, and the stored document kept.
    const bad = await callError(core, 'saveEditorDocument', { ...document, results: [{ ...kept, index: 2 }] });
    expect(Object.keys(bad.fields ?? {})).toContain('results.0.index');
    expect((await call(core, 'getEditorDocument')).document).toEqual(document);
  });
});
