/**
 * The model "containers" behind the fake SageMaker endpoints: one per payload
 * format. Each validates the request the way the real container would, and
 * answers with real images (PNG or JPEG) of the requested size, deterministic
 * from the seed. A container problem becomes a ModelError (424) in the
 * SageMaker layer, carrying the container's own status and message.
 *
 * - `stability`: SDXL 1.0 (JumpStart / Stability AI model package),
 *   `text_prompts` → `artifacts[{base64, seed, finishReason}]`.
 * - `jumpstart-sd`: older JumpStart Stable Diffusion 2.x text-to-image and
 *   inpainting, `prompt` → `generated_images[base64 JPEG]` (Accept
 *   `application/json;jpeg`).
 * - `hf-diffusers`: Hugging Face inference toolkit, task text-to-image,
 *   `{inputs, parameters}` → raw PNG (Accept `image/png`) or
 *   `{generated_image: base64 PNG}` (Accept `application/json`).
 * - `jumpstart-inpaint`: JumpStart Stable Diffusion 2 inpainting, `prompt`,
 *   `image`, `mask_image` (white = replace) → `generated_images[base64 JPEG]`.
 * - `jumpstart-upscale-x4`: JumpStart Stable Diffusion x4 upscaler, `prompt`
 *   (required), `image`, `noise_level` → `generated_images[base64 JPEG 4× larger]`.
 *
 * Edits change pixels in a way tests can check (see edit-pixels.ts): a masked
 * request (stability with `mask_source`, jumpstart-inpaint) answers the init
 * image with exactly the masked pixels painted in the seed's colour, and the
 * upscaler answers each pixel repeated in a 4×4 block. JPEG answers are
 * written at quality 100, so they differ from that by rounding only.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { decodeRgba, paintMasked, upscaleNearest } from './edit-pixels.js';
import type { MaskRule, Rgba } from './edit-pixels.js';
import { encodeRgbJpeg, encodeRgbPng, jpegSize, pngSize, renderFilteredPng, renderJpeg, renderPng } from './png.js';

export type PayloadFormat =
  'stability' | 'jumpstart-sd' | 'hf-diffusers' | 'jumpstart-inpaint' | 'jumpstart-upscale-x4';

export const PAYLOAD_FORMATS: readonly PayloadFormat[] = [
  'stability',
  'jumpstart-sd',
  'hf-diffusers',
  'jumpstart-inpaint',
  'jumpstart-upscale-x4',
];

/** Faults the container itself acts out (the SageMaker-level ones never reach it). */
export type ContainerFault = 'malformed-json' | 'no-artifacts' | 'bad-base64' | 'content-filtered';

export interface ContainerRequest {
  rawBody: Buffer;
  /** The body parsed as JSON, if it parsed. */
  parsed: unknown;
  parseOk: boolean;
  contentType: string | undefined;
  accept: string | undefined;
  fault: ContainerFault | null;
  /**
   * Opt-in (benchmarks): the PNG a stability container answers for one image, instead of
   * drawing it; returning undefined draws it as usual.
   */
  pngFor?: PngSource | undefined;
}

/** A PNG for width×height and seed, or undefined to draw one. */
export type PngSource = (width: number, height: number, seed: number) => Buffer | undefined;

export type ContainerResult =
  | { kind: 'ok'; contentType: string; bytes: Buffer; seeds: number[] }
  | { kind: 'client-error'; originalStatus: number; originalMessage: string };

export const SDXL_SIZES: ReadonlyArray<readonly [number, number]> = [
  [1024, 1024],
  [1152, 896],
  [896, 1152],
  [1216, 832],
  [832, 1216],
  [1344, 768],
  [768, 1344],
  [1536, 640],
  [640, 1536],
];

export const SAMPLERS = [
  'DDIM',
  'DDPM',
  'K_DPMPP_SDE',
  'K_DPMPP_2M',
  'K_DPMPP_2S_ANCESTRAL',
  'K_DPM_2',
  'K_DPM_2_ANCESTRAL',
  'K_EULER',
  'K_EULER_ANCESTRAL',
  'K_HEUN',
  'K_LMS',
] as const;

export const STYLE_PRESETS = [
  '3d-model',
  'analog-film',
  'anime',
  'cinematic',
  'comic-book',
  'digital-art',
  'enhance',
  'fantasy-art',
  'isometric',
  'line-art',
  'low-poly',
  'modeling-compound',
  'neon-punk',
  'origami',
  'photographic',
  'pixel-art',
  'tile-texture',
] as const;

export const MAX_SEED = 4294967295;

/** Sizes the JumpStart SD 2.x container accepts: multiples of 8 in this range (default 512). */
export const JUMPSTART_SD_SIZE = { min: 256, max: 1024, default: 512 } as const;
/** Sizes the HF diffusers fake accepts: multiples of 8 in this range (default 1024). */
export const HF_DIFFUSERS_SIZE = { min: 64, max: 1024, default: 1024 } as const;
/** Image sizes the JumpStart SD 2 inpainting fake accepts: multiples of 8 in this range, each side. */
export const JUMPSTART_INPAINT_SIZE = { min: 256, max: 1024 } as const;
/** Image sizes the x4 upscaler fake accepts: multiples of 8 in this range, each side (answers are 4× that). */
export const UPSCALE_X4_SIZE = { min: 64, max: 512 } as const;
/** At most this many images per JumpStart request (num_images_per_prompt). */
export const JUMPSTART_MAX_IMAGES = 8;

/** Bytes that are valid base64 once encoded but decode to something that is no image. */
export const NOT_AN_IMAGE = Buffer.from('this is not an image, just text pretending to be one\n', 'utf8');

class ContainerError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function ok(bytes: Buffer, contentType: string, seeds: number[]): ContainerResult {
  return { kind: 'ok', contentType, bytes, seeds };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function optionalNumber(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
    throw new ContainerError(
      `${key}: must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ContainerError(`${key}: must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function optionalEnum(body: Record<string, unknown>, key: string, allowed: readonly string[]): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw new ContainerError(`${key}: must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function decodeImage(body: Record<string, unknown>, key: string): { width: number; height: number } {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new ContainerError(`${key}: must be a base64-encoded PNG or JPEG`);
  const bytes = Buffer.from(v, 'base64');
  const size = pngSize(bytes) ?? jpegSize(bytes);
  if (!size) throw new ContainerError(`${key}: could not decode image (expected base64 PNG or JPEG)`);
  return size;
}

/** Media type without parameters or blanks, lower case: `application/json; jpeg` → `application/json;jpeg`. */
function normaliseMediaType(v: string | undefined): string | undefined {
  return v?.toLowerCase().replace(/\s+/g, '');
}

/** The n-th seed of a batch starting at `seed` (wraps within 0..MAX_SEED). */
function batchSeed(seed: number, i: number): number {
  return (seed + i) % (MAX_SEED + 1);
}

// ---------------------------------------------------------------------------
// stability (SDXL 1.0)

function isSdxlSize(w: number, h: number): boolean {
  return SDXL_SIZES.some(([sw, sh]) => sw === w && sh === h);
}

function sizesList(): string {
  return SDXL_SIZES.map(([w, h]) => `${w}x${h}`).join(', ');
}

/** The pixels of an image field, or a container error saying it is not an image. */
function decodePixels(body: Record<string, unknown>, key: string): Rgba {
  decodeImage(body, key);
  const pixels = decodeRgba(Buffer.from(String(body[key]), 'base64'));
  if (!pixels) throw new ContainerError(`${key}: could not decode image (expected base64 PNG or JPEG)`);
  return pixels;
}

/** A masked request's pixels: what the answer repaints, and by which rule. */
interface MaskedEdit {
  init: Rgba;
  mask: Rgba | undefined;
  rule: MaskRule;
}

/** Validates a stability payload; returns size, sample count, seed and (with a mask) what to repaint. */
function validateStability(body: unknown): {
  width: number;
  height: number;
  samples: number;
  seed: number;
  edit?: MaskedEdit;
} {
  if (!isRecord(body)) throw new ContainerError('request body must be a JSON object');
  const prompts = body['text_prompts'];
  if (!Array.isArray(prompts) || prompts.length === 0) {
    throw new ContainerError('text_prompts: must contain at least one prompt');
  }
  let positive = false;
  prompts.forEach((p: unknown, i) => {
    if (!isRecord(p) || typeof p['text'] !== 'string' || p['text'].trim() === '') {
      throw new ContainerError(`text_prompts[${i}].text: must be a non-empty string`);
    }
    const w = p['weight'];
    if (w !== undefined && (typeof w !== 'number' || !Number.isFinite(w))) {
      throw new ContainerError(`text_prompts[${i}].weight: must be a number`);
    }
    if (w === undefined || w > 0) positive = true;
  });
  if (!positive) throw new ContainerError('text_prompts: at least one prompt must have a positive weight');
  optionalNumber(body, 'cfg_scale', 0, 35, false);
  optionalNumber(body, 'steps', 10, 150, true);
  const seed = stabilitySeedOf(body);
  const samples = optionalNumber(body, 'samples', 1, 10, true) ?? 1;
  optionalEnum(body, 'sampler', SAMPLERS);
  optionalEnum(body, 'style_preset', STYLE_PRESETS);

  let width: number;
  let height: number;
  if (body['init_image'] !== undefined && body['init_image'] !== null) {
    ({ width, height } = decodeImage(body, 'init_image'));
    if (!isSdxlSize(width, height)) {
      throw new ContainerError(
        `init_image: invalid dimensions ${width}x${height}; for SDXL 1.0 the allowed dimensions are ${sizesList()}`,
      );
    }
    optionalEnum(body, 'init_image_mode', ['IMAGE_STRENGTH', 'STEP_SCHEDULE']);
    optionalNumber(body, 'image_strength', 0, 1, false);
    const maskSource = optionalEnum(body, 'mask_source', ['MASK_IMAGE_WHITE', 'MASK_IMAGE_BLACK', 'INIT_IMAGE_ALPHA']);
    let mask: Rgba | undefined;
    if (maskSource === 'MASK_IMAGE_WHITE' || maskSource === 'MASK_IMAGE_BLACK') {
      mask = decodePixels(body, 'mask_image');
      if (mask.width !== width || mask.height !== height) {
        throw new ContainerError(
          `mask_image: dimensions ${mask.width}x${mask.height} must match init_image dimensions ${width}x${height}`,
        );
      }
    } else if (maskSource === undefined && body['mask_image'] !== undefined && body['mask_image'] !== null) {
      throw new ContainerError('mask_source: required with mask_image (MASK_IMAGE_WHITE or MASK_IMAGE_BLACK)');
    }
    if (maskSource !== undefined) {
      const edit: MaskedEdit = { init: decodePixels(body, 'init_image'), mask, rule: maskSource as MaskRule };
      return { width, height, samples, seed, edit };
    }
  } else {
    if (body['mask_source'] !== undefined || body['mask_image'] !== undefined) {
      throw new ContainerError('mask_source/mask_image: require init_image');
    }
    width = optionalNumber(body, 'width', 1, 100000, true) ?? 1024;
    height = optionalNumber(body, 'height', 1, 100000, true) ?? 1024;
    if (!isSdxlSize(width, height)) {
      throw new ContainerError(
        `invalid_dimensions: ${width}x${height} is not supported; for SDXL 1.0 the allowed dimensions are ${sizesList()}`,
      );
    }
  }
  return { width, height, samples, seed };
}

function stabilitySeedOf(body: Record<string, unknown>): number {
  return optionalNumber(body, 'seed', 0, MAX_SEED, true) ?? 0;
}

/** Stability's seeds for a batch: 1..MAX_SEED (0 means "random"). */
function stabilitySeed(seed: number, i: number): number {
  const s = (seed - 1 + i) % MAX_SEED;
  return s + 1;
}

function stabilityErrorBody(message: string): string {
  return JSON.stringify({ id: randomBytes(16).toString('hex'), name: 'bad_request', message });
}

/** Base64 of the PNGs `pngFor` hands out again and again, encoded once each. */
const base64Of = new WeakMap<Buffer, Buffer>();

/**
 * The stability answer built from cached base64 (benchmarks): the same JSON as `json(...)`
 * gives, without encoding megabytes on every request.
 */
function precomputedAnswer(images: Buffer[], seeds: number[]): Buffer {
  const parts: Buffer[] = [Buffer.from('{"artifacts":[')];
  images.forEach((img, i) => {
    let b64 = base64Of.get(img);
    if (!b64) {
      b64 = Buffer.from(img.toString('base64'), 'latin1');
      base64Of.set(img, b64);
    }
    const after = `","seed":${seeds[i] ?? 0},"finishReason":"SUCCESS"}`;
    parts.push(Buffer.from(`${i > 0 ? ',' : ''}{"base64":"`), b64, Buffer.from(after));
  });
  parts.push(Buffer.from(']}'));
  return Buffer.concat(parts);
}

function runStability(req: ContainerRequest): ContainerResult {
  const { rawBody, parsed, parseOk, contentType, accept, fault } = req;
  if (contentType !== undefined && !contentType.toLowerCase().includes('json')) {
    throw new ContainerError(`unsupported Content-Type ${contentType}; expected application/json`);
  }
  if (!parseOk) throw new ContainerError(`request body is not valid JSON (${rawBody.length} bytes)`);
  const acceptLower = (accept ?? 'application/json').toLowerCase();
  const wantsRawPng = acceptLower.startsWith('image/png');
  if (!wantsRawPng && !acceptLower.includes('json') && !acceptLower.includes('*/*')) {
    throw new ContainerError(`unsupported Accept ${accept ?? ''}; use application/json;png or image/png`);
  }
  const { width, height, samples, seed, edit } = validateStability(parsed);
  const base = seed === 0 ? randomInt(1, MAX_SEED) : seed;
  const seeds = Array.from({ length: samples }, (_, i) => stabilitySeed(base, i));

  if (fault === 'no-artifacts') return ok(json({ artifacts: [] }), 'application/json', []);
  if (fault === 'malformed-json') {
    return ok(Buffer.from('{"artifacts":[{"base64":"iVBORw0KGgoAAAANSUhEUgAA", "seed": '), 'application/json', seeds);
  }
  const filtered = fault === 'content-filtered';
  const draw = (s: number): Buffer =>
    edit
      ? encodeRgbPng(width, height, paintMasked(edit.init, edit.mask, edit.rule, s))
      : (req.pngFor?.(width, height, s) ?? renderPng(width, height, s));
  const images = seeds.map((s) => (filtered ? renderFilteredPng(width, height) : draw(s)));
  if (wantsRawPng && fault !== 'bad-base64') {
    const first = images[0] ?? renderPng(width, height, base);
    return ok(first, 'image/png', seeds.slice(0, 1));
  }
  if (req.pngFor && fault === null) return ok(precomputedAnswer(images, seeds), 'application/json', seeds);
  const artifacts = images.map((img, i) => ({
    base64: fault === 'bad-base64' ? `!!not*base64:${i}~~` : img.toString('base64'),
    seed: seeds[i],
    finishReason: filtered ? 'CONTENT_FILTERED' : 'SUCCESS',
  }));
  return ok(json({ artifacts }), 'application/json', seeds);
}

// ---------------------------------------------------------------------------
// jumpstart-sd (JumpStart Stable Diffusion 2.x)

function sizeMultipleOf8(
  value: number | undefined,
  key: string,
  range: { min: number; max: number; default: number },
): number {
  const v = value ?? range.default;
  if (v % 8 !== 0 || v < range.min || v > range.max) {
    throw new ContainerError(`${key}: must be a multiple of 8 between ${range.min} and ${range.max}, got ${v}`);
  }
  return v;
}

/** The MMS-style error body the JumpStart and Hugging Face containers answer with. */
function toolkitErrorBody(message: string): string {
  return JSON.stringify({ code: 400, type: 'InternalServerException', message });
}

function runJumpStartSd(req: ContainerRequest): ContainerResult {
  const { rawBody, parsed, parseOk, fault } = req;
  const contentType = normaliseMediaType(req.contentType) ?? 'application/json';
  let body: Record<string, unknown>;
  if (contentType.startsWith('application/x-text')) {
    // The container also takes the bare prompt as text.
    body = { prompt: rawBody.toString('utf8') };
  } else if (contentType.startsWith('application/json')) {
    if (!parseOk) throw new ContainerError(`request body is not valid JSON (${rawBody.length} bytes)`);
    if (!isRecord(parsed)) throw new ContainerError('request body must be a JSON object');
    body = parsed;
  } else {
    throw new ContainerError(
      `unsupported content type ${req.contentType ?? ''}; use application/json or application/x-text`,
    );
  }
  const accept = normaliseMediaType(req.accept) ?? 'application/json';
  if (accept !== 'application/json;jpeg') {
    throw new ContainerError(
      `unsupported accept ${req.accept ?? '(none)'}: this endpoint answers only application/json;jpeg ` +
        '(application/json would return raw pixel arrays, which the fake does not implement)',
    );
  }
  const prompt = body['prompt'];
  if (typeof prompt !== 'string' || prompt.trim() === '')
    throw new ContainerError('prompt: must be a non-empty string');
  optionalString(body, 'negative_prompt');
  optionalNumber(body, 'num_inference_steps', 1, 500, true);
  optionalNumber(body, 'guidance_scale', 0, 50, false);
  const count = optionalNumber(body, 'num_images_per_prompt', 1, JUMPSTART_MAX_IMAGES, true) ?? 1;
  const requestSeed = optionalNumber(body, 'seed', 0, MAX_SEED, true);

  let width: number;
  let height: number;
  if (body['image'] !== undefined && body['image'] !== null) {
    // Inpainting: the size comes from the image; white in the mask is repainted.
    ({ width, height } = decodeImage(body, 'image'));
    if (width % 8 !== 0 || height % 8 !== 0) {
      throw new ContainerError(`image: dimensions ${width}x${height} must be multiples of 8`);
    }
    const mask = decodeImage(body, 'mask_image');
    if (mask.width !== width || mask.height !== height) {
      throw new ContainerError(
        `mask_image: dimensions ${mask.width}x${mask.height} must match image dimensions ${width}x${height}`,
      );
    }
  } else {
    if (body['mask_image'] !== undefined && body['mask_image'] !== null)
      throw new ContainerError('mask_image: requires image');
    width = sizeMultipleOf8(optionalNumber(body, 'width', 1, 100000, true), 'width', JUMPSTART_SD_SIZE);
    height = sizeMultipleOf8(optionalNumber(body, 'height', 1, 100000, true), 'height', JUMPSTART_SD_SIZE);
  }
  const seed = requestSeed ?? randomInt(0, MAX_SEED);
  const seeds = Array.from({ length: count }, (_, i) => batchSeed(seed, i));

  if (fault === 'no-artifacts') return ok(json({ generated_images: [], prompt }), 'application/json', []);
  if (fault === 'malformed-json') {
    return ok(Buffer.from('{"generated_images": ["/9j/4AAQSkZJRgABAQAAAQABAAD'), 'application/json', seeds);
  }
  const images = seeds.map((s) =>
    fault === 'bad-base64' ? NOT_AN_IMAGE.toString('base64') : renderJpeg(width, height, s).toString('base64'),
  );
  return ok(json({ generated_images: images, prompt }), 'application/json', seeds);
}

// ---------------------------------------------------------------------------
// hf-diffusers (Hugging Face inference toolkit, text-to-image)

function runHfDiffusers(req: ContainerRequest): ContainerResult {
  const { rawBody, parsed, parseOk, fault } = req;
  const contentType = normaliseMediaType(req.contentType) ?? 'application/json';
  if (!contentType.startsWith('application/json')) {
    throw new ContainerError(`unsupported content type ${req.contentType ?? ''}; use application/json`);
  }
  if (!parseOk) throw new ContainerError(`request body is not valid JSON (${rawBody.length} bytes)`);
  if (!isRecord(parsed)) throw new ContainerError('request body must be a JSON object');
  const accept = normaliseMediaType(req.accept) ?? 'application/json';
  let raw: boolean;
  if (accept.startsWith('image/png')) raw = true;
  else if (accept.startsWith('application/json') || accept === '*/*') raw = false;
  else throw new ContainerError(`unsupported accept ${req.accept ?? ''}; use image/png or application/json`);

  const inputs = parsed['inputs'];
  if (typeof inputs !== 'string' || inputs.trim() === '')
    throw new ContainerError('inputs: must be a non-empty string (the prompt)');
  const parametersValue = parsed['parameters'];
  if (parametersValue !== undefined && parametersValue !== null && !isRecord(parametersValue)) {
    throw new ContainerError('parameters: must be an object');
  }
  const parameters: Record<string, unknown> = isRecord(parametersValue) ? parametersValue : {};
  optionalString(parameters, 'negative_prompt');
  optionalNumber(parameters, 'num_inference_steps', 1, 500, true);
  optionalNumber(parameters, 'guidance_scale', 0, 50, false);
  const width = sizeMultipleOf8(optionalNumber(parameters, 'width', 1, 100000, true), 'width', HF_DIFFUSERS_SIZE);
  const height = sizeMultipleOf8(optionalNumber(parameters, 'height', 1, 100000, true), 'height', HF_DIFFUSERS_SIZE);
  const seed = optionalNumber(parameters, 'seed', 0, MAX_SEED, true) ?? randomInt(0, MAX_SEED);

  if (fault === 'no-artifacts') return ok(json({}), 'application/json', []);
  if (fault === 'malformed-json') {
    return raw
      ? ok(renderPng(width, height, seed).subarray(0, 40), 'image/png', [seed])
      : ok(Buffer.from('{"generated_image": "iVBORw0KGgoAAAANSUhEUgAA'), 'application/json', [seed]);
  }
  const png = fault === 'bad-base64' ? NOT_AN_IMAGE : renderPng(width, height, seed);
  return raw
    ? ok(png, 'image/png', [seed])
    : ok(json({ generated_image: png.toString('base64') }), 'application/json', [seed]);
}

// ---------------------------------------------------------------------------
// jumpstart-inpaint and jumpstart-upscale-x4 (JumpStart SD 2 inpainting, SD x4 upscaler)

/** The JSON body of a JumpStart edit model: Content-Type application/json (`;jpeg` allowed), Accept application/json;jpeg. */
function jumpStartEditBody(req: ContainerRequest): Record<string, unknown> {
  const contentType = normaliseMediaType(req.contentType) ?? 'application/json';
  if (!contentType.startsWith('application/json')) {
    throw new ContainerError(`unsupported content type ${req.contentType ?? ''}; use application/json;jpeg`);
  }
  if (!req.parseOk) throw new ContainerError(`request body is not valid JSON (${req.rawBody.length} bytes)`);
  if (!isRecord(req.parsed)) throw new ContainerError('request body must be a JSON object');
  const accept = normaliseMediaType(req.accept) ?? 'application/json';
  if (accept !== 'application/json;jpeg') {
    throw new ContainerError(
      `unsupported accept ${req.accept ?? '(none)'}: this endpoint answers only application/json;jpeg`,
    );
  }
  const body = req.parsed;
  const prompt = body['prompt'];
  if (typeof prompt !== 'string' || prompt.trim() === '')
    throw new ContainerError('prompt: must be a non-empty string');
  optionalString(body, 'negative_prompt');
  optionalNumber(body, 'num_inference_steps', 1, 500, true);
  optionalNumber(body, 'guidance_scale', 0, 50, false);
  return body;
}

function checkSide(key: string, width: number, height: number, range: { min: number; max: number }): void {
  const fits = (v: number): boolean => v % 8 === 0 && v >= range.min && v <= range.max;
  if (!fits(width) || !fits(height)) {
    throw new ContainerError(
      `${key}: dimensions ${width}x${height} must be multiples of 8 between ${range.min} and ${range.max}`,
    );
  }
}

/** The JumpStart answer for `images` (RGB pixels, JPEG quality 100), or the fault asked for. */
function jumpStartAnswer(
  fault: ContainerFault | null,
  width: number,
  height: number,
  seeds: number[],
  rgbFor: (seed: number) => Buffer,
  prompt: unknown,
): ContainerResult {
  if (fault === 'no-artifacts') return ok(json({ generated_images: [], prompt }), 'application/json', []);
  if (fault === 'malformed-json') {
    return ok(Buffer.from('{"generated_images": ["/9j/4AAQSkZJRgABAQAAAQABAAD'), 'application/json', seeds);
  }
  const images = seeds.map((s) =>
    fault === 'bad-base64'
      ? NOT_AN_IMAGE.toString('base64')
      : encodeRgbJpeg(width, height, rgbFor(s), 100).toString('base64'),
  );
  return ok(json({ generated_images: images, prompt }), 'application/json', seeds);
}

function runJumpStartInpaint(req: ContainerRequest): ContainerResult {
  const body = jumpStartEditBody(req);
  const count = optionalNumber(body, 'num_images_per_prompt', 1, JUMPSTART_MAX_IMAGES, true) ?? 1;
  const seed = optionalNumber(body, 'seed', 0, MAX_SEED, true) ?? randomInt(0, MAX_SEED);
  const image = decodePixels(body, 'image');
  checkSide('image', image.width, image.height, JUMPSTART_INPAINT_SIZE);
  if (body['mask_image'] === undefined || body['mask_image'] === null)
    throw new ContainerError('mask_image: required (white pixels are repainted, black ones kept)');
  const mask = decodePixels(body, 'mask_image');
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new ContainerError(
      `mask_image: dimensions ${mask.width}x${mask.height} must match image dimensions ${image.width}x${image.height}`,
    );
  }
  const seeds = Array.from({ length: count }, (_, i) => batchSeed(seed, i));
  const rgbFor = (s: number): Buffer => paintMasked(image, mask, 'MASK_IMAGE_WHITE', s);
  return jumpStartAnswer(req.fault, image.width, image.height, seeds, rgbFor, body['prompt']);
}

function runJumpStartUpscale(req: ContainerRequest): ContainerResult {
  const body = jumpStartEditBody(req);
  optionalNumber(body, 'noise_level', 0, 350, true);
  const count = optionalNumber(body, 'num_images_per_prompt', 1, JUMPSTART_MAX_IMAGES, true) ?? 1;
  const seed = optionalNumber(body, 'seed', 0, MAX_SEED, true) ?? randomInt(0, MAX_SEED);
  if (body['image'] === undefined || body['image'] === null)
    throw new ContainerError('image: required (the low-resolution image to upscale)');
  const image = decodePixels(body, 'image');
  checkSide('image', image.width, image.height, UPSCALE_X4_SIZE);
  const seeds = Array.from({ length: count }, (_, i) => batchSeed(seed, i));
  const rgb = upscaleNearest(image, 4);
  return jumpStartAnswer(req.fault, image.width * 4, image.height * 4, seeds, () => rgb, body['prompt']);
}

// ---------------------------------------------------------------------------

/**
 * Runs the container for `format`. Request problems come back as
 * `client-error` (the SageMaker layer wraps them in a ModelError with
 * OriginalStatusCode 400); `content-filtered` only means something for
 * `stability` and is a plain success elsewhere.
 */
export function runContainer(format: PayloadFormat, req: ContainerRequest): ContainerResult {
  try {
    switch (format) {
      case 'stability':
        return runStability(req);
      case 'jumpstart-sd':
        return runJumpStartSd(req);
      case 'hf-diffusers':
        return runHfDiffusers(req);
      case 'jumpstart-inpaint':
        return runJumpStartInpaint(req);
      case 'jumpstart-upscale-x4':
        return runJumpStartUpscale(req);
    }
  } catch (err) {
    if (err instanceof ContainerError) {
      return {
        kind: 'client-error',
        originalStatus: 400,
        originalMessage: format === 'stability' ? stabilityErrorBody(err.message) : toolkitErrorBody(err.message),
      };
    }
    throw err;
  }
}
