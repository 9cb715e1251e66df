import { existsSync, mkdirSync, readFileSync, rmSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unusedImageGraceMs } from '../../src-main/core/editor/service';
import { newId } from '../../src-main/core/library/ids';
import type { EditorDocument, EditorImageLayer } from '../../src-shared/editor';
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
});
