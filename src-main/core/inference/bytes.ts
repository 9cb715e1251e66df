import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { StudioError } from '../errors';
import type { ImageContentType } from './types';

export const asBuffer = (body: Uint8Array): Buffer => Buffer.from(body.buffer, body.byteOffset, body.byteLength);

/** Which image the bytes are, by their magic numbers; undefined when neither PNG nor JPEG. */
export const sniffImage = (bytes: Uint8Array): ImageContentType | undefined => {
  if (
    bytes.length > 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47 &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  ) {
    return 'image/png';
  }
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
};

export const badResponse = (what: string, body: Uint8Array): StudioError => {
  const head = asBuffer(body)
    .subarray(0, 120)
    .toString('utf8')
    .replace(/[^\x20-\x7e]/g, '.');
  return new StudioError(
    'sagemaker.bad_response',
    `The endpoint answered, but ${what}. It began with: ${head || '(empty)'}`,
    'Check that the model speaks the payload format chosen for it in Settings.',
  );
};

/** A long base64 string of an answer, decoded from the answer's bytes where it lay. */
export class Base64Field {
  constructor(readonly bytes: Buffer) {}
}

/** Strings at least this long are images worth decoding in place; the rest JSON.parse reads. */
const longString = 1024;
const equals = 0x3d;
/** Not in base64 as encoders write it (either alphabet, padding, line breaks and spaces). */
const notBase64Text = /[^\sA-Za-z0-9+/_=-]/;

/**
 * What `buf[start, end)` decodes to when it is nothing but base64 digits (either alphabet) and
 * up to two `=` at the end, else undefined. Node's decoder skips (or stops at) any other character, which
 * leaves the output shorter than the digits promise: comparing lengths checks every character
 * without a pass of its own over megabytes (a test holds the decoder to it).
 */
const plainBase64 = (buf: Buffer, start: number, end: number): Buffer | undefined => {
  let digits = end - start;
  for (let pad = 0; pad < 2 && digits > 0 && buf[start + digits - 1] === equals; pad++) digits--;
  if (digits % 4 === 1) return undefined;
  const bytes = Buffer.from(buf.toString('latin1', start, end), 'base64');
  return bytes.length === Math.floor((digits * 3) / 4) ? bytes : undefined;
};
const quote = 0x22;
const backslash = 0x5c;

/** True when the quote at `at` is escaped: an odd number of backslashes right before it. */
const escaped = (buf: Buffer, at: number): boolean => {
  let n = 0;
  while (at - n - 1 >= 0 && buf[at - n - 1] === backslash) n++;
  return n % 2 === 1;
};

/**
 * The answer's JSON, where every long string that is plain base64 (no escapes) comes back as a
 * Base64Field decoded straight from the body's bytes: no multi-megabyte UTF-8 string, no JSON
 * parse of it, no second copy. The rest (a few hundred bytes) goes through JSON.parse as it is,
 * so what is valid JSON, and what is not, stays exactly JSON's decision: a string is swapped for
 * another string. Strings with escapes or other characters are left to JSON.parse.
 */
export const parseJson = (body: Uint8Array): unknown => {
  const buf = asBuffer(body);
  const fields = new Map<string, Buffer>();
  const tag = randomUUID();
  const parts: Buffer[] = [];
  let kept = 0;
  let nextBackslash = buf.indexOf(backslash);
  for (let at = buf.indexOf(quote); at >= 0;) {
    // `at` opens a string: outside strings, a quote can only open one.
    let close = buf.indexOf(quote, at + 1);
    while (close >= 0 && nextBackslash >= 0 && nextBackslash < close && escaped(buf, close))
      close = buf.indexOf(quote, close + 1);
    if (close < 0) break; // unterminated: JSON.parse says so below
    const plain = nextBackslash < 0 || nextBackslash > close;
    if (!plain) nextBackslash = buf.indexOf(backslash, close);
    if (plain && close - at - 1 >= longString) {
      const decoded = plainBase64(buf, at + 1, close);
      if (decoded) {
        const key = `${tag}:${fields.size}`;
        fields.set(key, decoded);
        parts.push(buf.subarray(kept, at), Buffer.from(JSON.stringify(key)));
        kept = close + 1;
      }
    }
    at = buf.indexOf(quote, close + 1);
  }
  parts.push(buf.subarray(kept));
  try {
    const text = (fields.size === 0 ? buf : Buffer.concat(parts)).toString('utf8');
    if (fields.size === 0) return JSON.parse(text) as unknown;
    return JSON.parse(text, (_key, value: unknown) => {
      const bytes = typeof value === 'string' ? fields.get(value) : undefined;
      return bytes ? new Base64Field(bytes) : value;
    }) as unknown;
  } catch {
    throw badResponse('the answer is not JSON', body);
  }
};

/** The answer's JSON by its schema: what an endpoint sends is parsed, never cast; `what` says what was missing. */
export const parseAnswer = <S extends z.ZodType>(body: Uint8Array, schema: S, what: string): z.output<S> => {
  const parsed = schema.safeParse(parseJson(body));
  if (!parsed.success) throw badResponse(what, body);
  return parsed.data;
};

/** Whether a field of a parsed answer can hold an image: a non-empty string, or one decoded in place. */
export const isImageField = (value: unknown): value is string | Base64Field =>
  value instanceof Base64Field || (typeof value === 'string' && value !== '');

/** Decodes one base64 image, once (if `parseJson` has not already), and checks it really is an image. */
export const decodeBase64Image = (
  base64: unknown,
  body: Uint8Array,
): { bytes: Buffer; contentType: ImageContentType } => {
  if (!isImageField(base64)) throw badResponse('an image in it is missing', body);
  // Line breaks and spaces are what encoders put in base64; anything else is not an image of ours.
  if (typeof base64 === 'string' && notBase64Text.test(base64)) throw badResponse('an image in it is not base64', body);
  const bytes = base64 instanceof Base64Field ? base64.bytes : Buffer.from(base64, 'base64');
  const contentType = sniffImage(bytes);
  if (!contentType) throw badResponse('an image in it is not a PNG or JPEG', body);
  return { bytes, contentType };
};
