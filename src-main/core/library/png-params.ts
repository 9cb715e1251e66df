import { crc32, deflateSync } from 'node:zlib';
import { samplerName } from '../../../src-shared/formats';
import type { GenerationInput } from '../../../src-shared/generation';

/**
 * Parameters inside a PNG, so other tools read them: a `parameters` text chunk in
 * AUTOMATIC1111's layout, and our full input as JSON under `stablestudio`.
 */
export interface ImageParameters {
  input: GenerationInput;
  seed: number;
  width: number;
  height: number;
  model: string;
}

/** AUTOMATIC1111's layout: prompt, "Negative prompt: …", then "Steps: …, Sampler: …, …". */
export const a1111Parameters = (p: ImageParameters): string => {
  const lines = [p.input.prompt];
  if (p.input.negativePrompt) lines.push(`Negative prompt: ${p.input.negativePrompt}`);
  const settings = [
    `Steps: ${p.input.steps}`,
    // As AUTOMATIC1111 writes it ("DPM++ 2M", not the API's K_DPMPP_2M); our importer reads both.
    `Sampler: ${p.input.sampler ? samplerName(p.input.sampler) : 'Default'}`,
    `CFG scale: ${p.input.cfgScale}`,
    `Seed: ${p.seed}`,
    `Size: ${p.width}x${p.height}`,
    `Model: ${p.model}`,
  ];
  if (p.input.stylePreset) settings.push(`Style: ${p.input.stylePreset}`);
  if (p.input.initImage) settings.push(`Denoising strength: ${(1 - p.input.imageStrength).toFixed(2)}`);
  lines.push(settings.join(', '));
  return lines.join('\n');
};

const chunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

const isLatin1 = (text: string): boolean => [...text].every((c) => (c.codePointAt(0) ?? 256) < 256);

/** tEXt when the text is Latin-1 (what most readers expect), iTXt (UTF-8) otherwise. */
export const textChunk = (keyword: string, text: string): Buffer =>
  isLatin1(text)
    ? chunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]))
    : itxtChunk(keyword, text);

export const itxtChunk = (keyword: string, text: string, compress = false): Buffer =>
  chunk(
    'iTXt',
    Buffer.concat([
      Buffer.from(keyword, 'latin1'),
      // null, compression flag, method, empty language tag + null, empty translated keyword + null
      Buffer.from([0, compress ? 1 : 0, 0, 0, 0]),
      compress ? deflateSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8'),
    ]),
  );

/** The PNG with both chunks inserted right after IHDR (the image data is untouched). */
export const withParameters = (png: Buffer, p: ImageParameters): Buffer => {
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  const json = JSON.stringify({ generator: 'StableStudio Desktop', ...p });
  return Buffer.concat([
    png.subarray(0, ihdrEnd),
    textChunk('parameters', a1111Parameters(p)),
    itxtChunk('stablestudio', json),
    png.subarray(ihdrEnd),
  ]);
};
