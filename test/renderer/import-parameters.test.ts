import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { samplerNames } from '../../src-shared/formats';
import { generationInputSchema } from '../../src-shared/generation';
import { a1111Parameters, itxtChunk, textChunk, withParameters } from '../../src-main/core/library/png-params';
import type { ImageParameters } from '../../src-main/core/library/png-params';
import { parseA1111, parametersFromText, samplerFromName } from '../../src-renderer/Import/parameters';
import { isPng, readPngText } from '../../src-renderer/Import/pngText';

const plainPng = (): Promise<Buffer> =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#468' } })
    .png()
    .toBuffer();

/** The PNG with extra chunks right after IHDR, as other tools write them. */
const withChunks = (png: Buffer, ...chunks: Buffer[]): Buffer => {
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
};

const asArrayBuffer = (bytes: Buffer): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

const params: ImageParameters = {
  input: generationInputSchema.parse({
    prompt: 'Fuji at dawn, woodblock print, «Hokusai»',
    negativePrompt: 'blurry, text',
    modelId: 'sdxl',
    sampler: 'K_DPMPP_2M',
    stylePreset: 'analog-film',
    cfgScale: 6.5,
    steps: 28,
  }),
  seed: 123456789,
  width: 1152,
  height: 896,
  model: 'sdxl',
};

/** What the importer should find in a PNG saved with `params`. */
const readBack = {
  prompt: params.input.prompt,
  negativePrompt: 'blurry, text',
  steps: 28,
  cfgScale: 6.5,
  sampler: 'K_DPMPP_2M',
  style: 'analog-film',
  seed: 123456789,
  width: 1152,
  height: 896,
  model: 'sdxl',
};

describe('what Save as PNG writes, the drop importer reads back', () => {
  it('reads our JSON chunk: every field, unicode included', async () => {
    const saved = withParameters(await plainPng(), params);
    expect(isPng(saved)).toBe(true);
    const chunks = await readPngText(asArrayBuffer(saved));
    expect(parametersFromText(chunks)).toEqual({ ...readBack, imageStrength: params.input.imageStrength });
  });

  it('reads the AUTOMATIC1111 text alone to the same values (what other tools see)', async () => {
    const png = withChunks(await plainPng(), textChunk('parameters', a1111Parameters(params)));
    const parsed = parametersFromText(await readPngText(asArrayBuffer(png)));
    // The text has no image strength without an init image; everything else comes back.
    expect(parsed).toEqual(readBack);
  });

  it('falls back to the AUTOMATIC1111 text when our chunk is damaged, and reads compressed iTXt', async () => {
    const png = withChunks(
      await plainPng(),
      itxtChunk('stablestudio', '{"input": {"prompt": ', true),
      itxtChunk('parameters', 'a cat\nSteps: 12, Sampler: Euler a, CFG scale: 5, Seed: 7, Size: 640x1536', true),
    );
    expect(parametersFromText(await readPngText(asArrayBuffer(png)))).toEqual({
      prompt: 'a cat',
      steps: 12,
      sampler: 'K_EULER_ANCESTRAL',
      cfgScale: 5,
      seed: 7,
      width: 640,
      height: 1536,
    });
  });

  it('finds nothing in a PNG without parameters', async () => {
    expect(parametersFromText(await readPngText(asArrayBuffer(await plainPng())))).toBeUndefined();
  });
});

describe('AUTOMATIC1111 parameters text', () => {
  it('keeps multi-line prompts, quoted values with commas, and reads Denoising strength as image strength', () => {
    const text = [
      'a lighthouse,',
      'storm at night',
      'Negative prompt: fog,',
      'rain',
      'Steps: 40, Sampler: DPM++ 2M Karras, CFG scale: 7.5, Seed: 42, Size: 1024x1024, ' +
        'Model hash: abc123, Model: sd_xl_base_1.0, Lora hashes: "detail: 1a2b, light: 3c4d", Denoising strength: 0.3',
    ].join('\r\n');
    expect(parseA1111(text)).toEqual({
      prompt: 'a lighthouse,\nstorm at night',
      negativePrompt: 'fog,\nrain',
      steps: 40,
      sampler: 'K_DPMPP_2M',
      cfgScale: 7.5,
      seed: 42,
      width: 1024,
      height: 1024,
      model: 'sd_xl_base_1.0',
      imageStrength: 0.7,
    });
  });

  it('takes a prompt without settings, leaves out what it cannot read, and refuses an empty prompt', () => {
    expect(parseA1111('just a prompt')).toEqual({ prompt: 'just a prompt' });
    expect(parseA1111('x\nSteps: 20, Sampler: Some New Sampler, Seed: -1, Style: not-a-style')).toEqual({
      prompt: 'x',
      steps: 20,
    });
    expect(parseA1111('   \n')).toBeUndefined();
  });

  it('maps sampler names from other tools to the stability format', () => {
    expect(samplerFromName('Euler a')).toBe('K_EULER_ANCESTRAL');
    expect(samplerFromName('DPM++ SDE Karras')).toBe('K_DPMPP_SDE');
    expect(samplerFromName('k_heun')).toBe('K_HEUN');
    expect(samplerFromName('Default')).toBe('');
    expect(samplerFromName('UniPC')).toBeUndefined();
  });

  it('reads back every sampler name the app shows', () => {
    for (const [id, name] of Object.entries(samplerNames)) expect(samplerFromName(name)).toBe(id);
  });
});
