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

/** How one payload format turns an input into a request body and a response into images. */
export interface PayloadFormatCodec {
  contentType: string;
  accept: string;
  /** `initImage`: base64 PNG already at the output size, for image-to-image (formats that support it). */
  encode(input: GenerationInput, seed: number, initImage?: string): string;
  /** Whether the format takes an init image. */
  imageToImage: boolean;
  /** `contentType` is the response's Content-Type header, when the endpoint sent one. */
  decode(body: Uint8Array, contentType: string | undefined): Artifact[];
}
