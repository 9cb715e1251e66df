import sharp from 'sharp';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { EditorBox, EditorImageLayer } from '../../src-shared/editor';
import { generationInputSchema } from '../../src-shared/generation';
import { withParameters } from '../../src-shared/png-params';
import { parametersOf } from '../../src-renderer/Edit/export-parameters';
import { parametersFromText } from '../../src-renderer/Import/parameters';
import { readPngText } from '../../src-renderer/Import/pngText';

/** The Edit tab's Export PNG: the same parameters chunks as Save as PNG, read back by the drop importer. */

const plainPng = async (width: number, height: number): Promise<Uint8Array> =>
  new Uint8Array(
    await sharp({ create: { width, height, channels: 4, background: '#84a' } })
      .png()
      .toBuffer(),
  );

const ulid = '01JD00000000000000000000XY';

const layer = (made?: EditorImageLayer['made']): EditorImageLayer => ({
  id: ulid,
  kind: 'image',
  name: 'Dream: a red door',
  imageId: ulid,
  width: 512,
  height: 512,
  x: 0,
  y: 0,
  scaleX: 1,
  scaleY: 1,
  visible: true,
  locked: false,
  ...(made ? { made } : {}),
});

const box: EditorBox = {
  id: ulid,
  x: 0,
  y: 0,
  width: 1024,
  height: 768,
  prompt: 'a harbour at night',
  negativePrompt: 'people',
  modelId: 'sdxl',
  stylePreset: 'cinematic',
  count: 2,
  cfgScale: 8,
  steps: 40,
  seed: 99,
  strength: 0.4,
};

const readBack = async (png: Uint8Array) =>
  parametersFromText(
    await readPngText(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer),
  );

describe('Edit tab export with parameters', () => {
  it('an accepted result layer carries its generation’s parameters, which the importer reads back', async () => {
    const input = generationInputSchema.parse({
      prompt: 'a red door, «weathered»',
      negativePrompt: 'blur',
      modelId: 'inpaint',
      sampler: 'K_EULER',
      cfgScale: 6,
      steps: 25,
      seed: 0,
      width: 512,
      height: 512,
      kind: 'inpaint',
    });
    const parameters = parametersOf({
      width: 512,
      height: 512,
      layer: layer({ generationId: ulid, input, seed: 4242, model: 'inpaint' }),
    });
    expect(parameters).toBeDefined();
    const exported = withParameters(await plainPng(512, 512), parameters!);
    // Still a valid PNG (pngjs checks every chunk's CRC), pixels untouched.
    const decoded = PNG.sync.read(Buffer.from(exported));
    expect([decoded.width, decoded.height]).toEqual([512, 512]);
    expect(await readBack(exported)).toMatchObject({
      prompt: 'a red door, «weathered»',
      negativePrompt: 'blur',
      sampler: 'K_EULER',
      cfgScale: 6,
      steps: 25,
      seed: 4242,
      width: 512,
      height: 512,
      model: 'inpaint',
    });
  });

  it('a box carries its own parameters at the exported size', async () => {
    const parameters = parametersOf({ width: 1024, height: 768, box });
    const exported = withParameters(await plainPng(1024, 768), parameters!);
    expect(await readBack(exported)).toMatchObject({
      prompt: 'a harbour at night',
      negativePrompt: 'people',
      style: 'cinematic',
      cfgScale: 8,
      steps: 40,
      seed: 99,
      width: 1024,
      height: 768,
      model: 'sdxl',
    });
  });

  it('a plain image, a box without a prompt, or the canvas carry none', () => {
    expect(parametersOf({ width: 512, height: 512, layer: layer() })).toBeUndefined();
    expect(parametersOf({ width: 1024, height: 768, box: { ...box, prompt: ' ' } })).toBeUndefined();
    expect(parametersOf({ width: 10, height: 10 })).toBeUndefined();
  });
});
