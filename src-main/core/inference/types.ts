import type { FinishReason, GenerationInput } from '../../../src-shared/generation';

export interface Artifact {
  finishReason: FinishReason;
  seed: number;
  /** Image bytes, present when finishReason is SUCCESS. */
  bytes: Buffer | undefined;
  contentType: 'image/png' | 'image/jpeg';
}

/** How one payload format turns an input into a request body and a response into images. */
export interface PayloadFormatCodec {
  contentType: string;
  accept: string;
  encode(input: GenerationInput, seed: number): string;
  decode(body: Uint8Array): Artifact[];
}
