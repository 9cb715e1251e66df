/**
 * Fast, deterministic placeholder images for the fakes: real PNG files
 * (pngjs) whose look derives from a seed, so different seeds give visibly
 * different pictures and the same seed always gives the same bytes.
 */
import { encode as encodeJpeg } from 'jpeg-js';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

/** mulberry32: tiny seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Disc {
  cx: number;
  cy: number;
  r2: number;
  rgb: [number, number, number];
}

const CACHE_LIMIT = 12;
const cache = new Map<string, Buffer>();

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v | 0;
}

/** Encodes an RGB (3 bytes per pixel) buffer as an 8-bit truecolour PNG, fast settings. */
export function encodeRgbPng(width: number, height: number, rgb: Buffer): Buffer {
  const png = new PNG({ width: 1, height: 1 });
  png.width = width;
  png.height = height;
  png.data = rgb;
  return PNG.sync.write(png, {
    colorType: 2,
    inputColorType: 2,
    inputHasAlpha: false,
    bitDepth: 8,
    deflateLevel: 1,
    filterType: 2,
  });
}

/**
 * A grey PNG of about `bytes` bytes (a little more), 2048 pixels wide: stored without compression,
 * so the file is as large as a test needs, and written by hand, so it is quick to make.
 */
export function pngOfSize(bytes: number): Buffer {
  const width = 2048;
  const stride = 1 + 3 * width;
  const height = Math.max(1, Math.ceil(bytes / stride));
  const rows = Buffer.alloc(stride * height, 128);
  for (let y = 0; y < height; y++) rows[y * stride] = 0; // filter type None
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit truecolour, deflate, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function paint(width: number, height: number, seed: number): Buffer {
  const rand = seededRandom(seed);
  const colour = (): [number, number, number] => [rand() * 255, rand() * 255, rand() * 255];
  // Four corner colours for a bilinear gradient.
  const [tl, tr, bl, br] = [colour(), colour(), colour(), colour()];
  // A few discs and a stripe pattern on top.
  const discs: Disc[] = [];
  const discCount = 2 + Math.floor(rand() * 3);
  for (let i = 0; i < discCount; i++) {
    const r = (0.08 + rand() * 0.22) * Math.min(width, height);
    const [cr, cg, cb] = colour();
    discs.push({ cx: rand() * width, cy: rand() * height, r2: r * r, rgb: [cr | 0, cg | 0, cb | 0] });
  }
  const stripePeriod = 16 + Math.floor(rand() * 48);
  const stripeAngle = rand() > 0.5 ? 1 : -1;
  const stripeStrength = 10 + rand() * 25;

  const rgb = Buffer.allocUnsafe(width * height * 3);
  const invW = width > 1 ? 1 / (width - 1) : 0;
  const invH = height > 1 ? 1 / (height - 1) : 0;
  const halfPeriod = stripePeriod >> 1;
  const rowBytes = width * 3;
  for (let y = 0; y < height; y++) {
    const fy = y * invH;
    // Left edge colour and per-pixel step for this row of the bilinear gradient.
    let r = tl[0] + (bl[0] - tl[0]) * fy;
    let g = tl[1] + (bl[1] - tl[1]) * fy;
    let b = tl[2] + (bl[2] - tl[2]) * fy;
    const dr = (tr[0] + (br[0] - tr[0]) * fy - r) * invW;
    const dg = (tr[1] + (br[1] - tr[1]) * fy - g) * invW;
    const db = (tr[2] + (br[2] - tr[2]) * fy - b) * invW;
    // Diagonal stripes: phase advances by one per pixel.
    let phase = (((stripeAngle * y) % stripePeriod) + stripePeriod) % stripePeriod;
    let o = y * rowBytes;
    for (let x = 0; x < width; x++) {
      const lift = phase < halfPeriod ? stripeStrength : 0;
      rgb[o] = clampByte(r + lift);
      rgb[o + 1] = clampByte(g + lift);
      rgb[o + 2] = clampByte(b + lift);
      o += 3;
      r += dr;
      g += dg;
      b += db;
      if (++phase === stripePeriod) phase = 0;
    }
    // Discs: blend the covered span of this row half-way towards the disc colour.
    for (const d of discs) {
      const dy = y - d.cy;
      const rest = d.r2 - dy * dy;
      if (rest <= 0) continue;
      const half = Math.sqrt(rest);
      const x0 = Math.max(0, Math.ceil(d.cx - half));
      const x1 = Math.min(width - 1, Math.floor(d.cx + half));
      const [cr, cg, cb] = d.rgb;
      for (let x = x0, p = y * rowBytes + x0 * 3; x <= x1; x++, p += 3) {
        rgb[p] = ((rgb[p] ?? 0) + cr) >> 1;
        rgb[p + 1] = ((rgb[p + 1] ?? 0) + cg) >> 1;
        rgb[p + 2] = ((rgb[p + 2] ?? 0) + cb) >> 1;
      }
    }
  }
  return rgb;
}

/** The raw RGB pixels (3 bytes per pixel) `renderPng` / `renderJpeg` encode, deterministic from `seed`. */
export function renderRgb(width: number, height: number, seed: number): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`renderRgb: invalid size ${width}x${height}`);
  }
  return paint(width, height, seed >>> 0);
}

/** Encodes RGB pixels as a baseline JPEG (jpeg-js). */
export function encodeRgbJpeg(width: number, height: number, rgb: Buffer, quality = 80): Buffer {
  const rgba = Buffer.allocUnsafe(width * height * 4);
  for (let i = 0, o = 0; i < rgb.length; i += 3, o += 4) {
    rgba[o] = rgb[i] ?? 0;
    rgba[o + 1] = rgb[i + 1] ?? 0;
    rgba[o + 2] = rgb[i + 2] ?? 0;
    rgba[o + 3] = 255;
  }
  return Buffer.from(encodeJpeg({ width, height, data: rgba }, quality).data);
}

const jpegCache = new Map<string, Buffer>();

/**
 * A real (baseline) JPEG of exactly width×height, deterministic from `seed`:
 * the same picture `renderPng` draws for that seed. Cached like `renderPng`.
 */
export function renderJpeg(width: number, height: number, seed: number, quality = 80): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`renderJpeg: invalid size ${width}x${height}`);
  }
  const key = `${width}x${height}:${seed >>> 0}:q${quality}`;
  const hit = jpegCache.get(key);
  if (hit) {
    jpegCache.delete(key);
    jpegCache.set(key, hit);
    return Buffer.from(hit);
  }
  const jpeg = encodeRgbJpeg(width, height, paint(width, height, seed >>> 0), quality);
  jpegCache.set(key, jpeg);
  while (jpegCache.size > CACHE_LIMIT) {
    const oldest = jpegCache.keys().next().value;
    if (oldest === undefined) break;
    jpegCache.delete(oldest);
  }
  return Buffer.from(jpeg);
}

/**
 * A real PNG of exactly width×height, deterministic from `seed`.
 * Results are cached (small LRU); each call returns its own copy.
 */
export function renderPng(width: number, height: number, seed: number): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`renderPng: invalid size ${width}x${height}`);
  }
  const key = `${width}x${height}:${seed >>> 0}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return Buffer.from(hit);
  }
  const png = encodeRgbPng(width, height, paint(width, height, seed >>> 0));
  cache.set(key, png);
  while (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return Buffer.from(png);
}

/** A flat mid-grey PNG, what a content filter hands back instead of the image. */
export function renderFilteredPng(width: number, height: number): Buffer {
  const rgb = Buffer.alloc(width * height * 3, 0x80);
  return encodeRgbPng(width, height, rgb);
}

/** Reads width/height from a PNG's IHDR, or undefined if the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((v, i) => bytes[i] !== v)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Reads width/height from a JPEG's SOF marker, or undefined if not a JPEG. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1] ?? 0;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const len = ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      const height = ((bytes[i + 5] ?? 0) << 8) | (bytes[i + 6] ?? 0);
      const width = ((bytes[i + 7] ?? 0) << 8) | (bytes[i + 8] ?? 0);
      return { width, height };
    }
    i += 2 + len;
  }
  return undefined;
}
