import { deflateSync } from 'node:zlib';
import * as shared from '../../../src-shared/png-params';
import type { ImageParameters } from '../../../src-shared/png-params';

/** The parameters chunks (written in src-shared, so the page writes the same ones), as Buffers. */
export type { ImageParameters } from '../../../src-shared/png-params';
export { a1111Parameters } from '../../../src-shared/png-params';

export const textChunk = (keyword: string, text: string): Buffer => Buffer.from(shared.textChunk(keyword, text));

/** iTXt, optionally zlib-compressed (readers must take both). */
export const itxtChunk = (keyword: string, text: string, compress = false): Buffer =>
  compress
    ? Buffer.from(
        shared.pngChunk(
          'iTXt',
          Buffer.concat([
            Buffer.from(keyword, 'latin1'),
            Buffer.from([0, 1, 0, 0, 0]),
            deflateSync(Buffer.from(text, 'utf8')),
          ]),
        ),
      )
    : Buffer.from(shared.itxtChunk(keyword, text));

export const withParameters = (png: Buffer, p: ImageParameters): Buffer => Buffer.from(shared.withParameters(png, p));
