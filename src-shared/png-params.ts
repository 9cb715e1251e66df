import CRC32 from 'crc-32';
import { samplerName } from './formats';
import type { GenerationInput } from './generation';

/**
 * Parameters inside a PNG, so other tools read them: a `parameters` text chunk in
 * AUTOMATIC1111's layout, and our full input as JSON under `stablestudio`. Plain bytes, so the
 * main process (Save as PNG) and the page (the Edit tab's export) write the same chunks.
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

const concat = (parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

const latin1Bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** One PNG chunk: length, type, data, CRC of type and data. */
export const pngChunk = (type: string, data: Uint8Array): Uint8Array<ArrayBuffer> => {
  const typed = concat([latin1Bytes(type), data]);
  const out = new Uint8Array(8 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typed, 4);
  view.setUint32(8 + data.length, CRC32.buf(typed) >>> 0);
  return out;
};

const isLatin1 = (text: string): boolean => [...text].every((c) => (c.codePointAt(0) ?? 256) < 256);

/** iTXt (UTF-8), uncompressed: keyword, null, no compression, method, empty language tag and translated keyword. */
export const itxtChunk = (keyword: string, text: string): Uint8Array<ArrayBuffer> =>
  pngChunk('iTXt', concat([latin1Bytes(keyword), Uint8Array.of(0, 0, 0, 0, 0), new TextEncoder().encode(text)]));

/** tEXt when the text is Latin-1 (what most readers expect), iTXt (UTF-8) otherwise. */
export const textChunk = (keyword: string, text: string): Uint8Array<ArrayBuffer> =>
  isLatin1(text)
    ? pngChunk('tEXt', concat([latin1Bytes(keyword), Uint8Array.of(0), latin1Bytes(text)]))
    : itxtChunk(keyword, text);

/** The PNG with both chunks inserted right after IHDR (the image data is untouched). */
export const withParameters = (png: Uint8Array, p: ImageParameters): Uint8Array<ArrayBuffer> => {
  const ihdrEnd = 8 + 8 + new DataView(png.buffer, png.byteOffset, png.byteLength).getUint32(8) + 4;
  const json = JSON.stringify({ generator: 'StableStudio Desktop', ...p });
  return concat([
    png.subarray(0, ihdrEnd),
    textChunk('parameters', a1111Parameters(p)),
    itxtChunk('stablestudio', json),
    png.subarray(ihdrEnd),
  ]);
};
