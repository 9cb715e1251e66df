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

export const parseJson = (body: Uint8Array): unknown => {
  try {
    return JSON.parse(asBuffer(body).toString('utf8')) as unknown;
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

/** Decodes one base64 image, once, and checks it really is an image. */
export const decodeBase64Image = (
  base64: unknown,
  body: Uint8Array,
): { bytes: Buffer; contentType: ImageContentType } => {
  if (typeof base64 !== 'string' || base64 === '') throw badResponse('an image in it is missing', body);
  const bytes = Buffer.from(base64, 'base64');
  const contentType = sniffImage(bytes);
  if (!contentType) throw badResponse('an image in it is not a PNG or JPEG', body);
  return { bytes, contentType };
};
