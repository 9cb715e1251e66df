import type { FinishReason, GenerationInput } from '../../../src-shared/generation';

export type ImageContentType = 'image/png' | 'image/jpeg';

export interface Artifact {
  finishReason: FinishReason;
  /** The seed the endpoint reports; undefined when the format reports none (then the requested seed applies). */
  seed: number | undefined;
  /** Image bytes exactly as received, present when finishReason is SUCCESS. */
  bytes: Buffer | undefined;
  contentType: ImageContentType;
}

/**
 * The images a request sends, as base64 PNG, both exactly the input's width × height: `init` to
 * start from (or to upscale), `mask` white where pixels are generated and black where they are kept.
 */
export interface RequestImages {
  init?: string;
  mask?: string;
}

/** How one payload format turns an input into a request body and a response into images. */
export interface PayloadFormatCodec {
  contentType: string;
  accept: string;
  /** `images`: what the request sends besides text, for the kinds the format can do (formatInfo's `kinds`). */
  encode(input: GenerationInput, seed: number, images?: RequestImages): string;
  /** `contentType` is the response's Content-Type header, when the endpoint sent one. */
  decode(body: Uint8Array, contentType: string | undefined): Artifact[];
}
