import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { kindOf } from '../../../src-shared/formats';
import type { GenerationInput } from '../../../src-shared/generation';
import type { PayloadFormat } from '../../../src-shared/settings';
import { StudioError } from '../errors';
import { hfDiffusersCodec } from './hf-diffusers';
import { jumpstartInpaintCodec } from './jumpstart-inpaint';
import { jumpstartSdCodec } from './jumpstart-sd';
import { jumpstartUpscaleCodec } from './jumpstart-upscale';
import { stabilityCodec } from './stability';
import type { Artifact, PayloadFormatCodec, RequestImages } from './types';

export const codecs: Record<PayloadFormat, PayloadFormatCodec> = {
  stability: stabilityCodec,
  'jumpstart-sd': jumpstartSdCodec,
  'hf-diffusers': hfDiffusersCodec,
  'jumpstart-inpaint': jumpstartInpaintCodec,
  'jumpstart-upscale-x4': jumpstartUpscaleCodec,
};

/** SageMaker real-time inference refuses request bodies over 6 MB. */
export const maxRequestBytes = 6 * 1024 * 1024;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** What to do about a request that is too large, in the words of what the user made. */
const shrinkHint = (input: GenerationInput, images: RequestImages): string => {
  const imageBytes = (images.init?.length ?? 0) + (images.mask?.length ?? 0);
  if (imageBytes === 0) return 'Use a shorter prompt.';
  const kind = kindOf(input);
  const what = images.mask ? 'the image and its mask' : 'the image';
  const smaller =
    kind === 'txt2img' || kind === 'img2img'
      ? 'Use a smaller size'
      : `Make the box smaller (it is ${input.width}×${input.height}; half as wide and high is a quarter of the bytes)`;
  return (
    `${smaller}, or start from an image with less fine detail or noise (PNG grows with it): ` +
    `${what} take ${mb(imageBytes)} of it, as base64.`
  );
};

/**
 * The request body for one image, refused with a clear message when it is over SageMaker's
 * limit, so it is never sent (the service checks once before a generation starts, too).
 */
export const requestBody = (
  format: PayloadFormat,
  input: GenerationInput,
  seed: number,
  images: RequestImages = {},
): string => {
  const body = codecs[format].encode(input, seed, images);
  const size = Buffer.byteLength(body);
  if (size > maxRequestBytes) {
    throw new StudioError(
      'sagemaker.validation',
      `The request would be ${mb(size)}; SageMaker accepts at most 6 MB, so it was not sent.`,
      shrinkHint(input, images),
    );
  }
  return body;
};

export interface InvokeParams {
  endpointName: string;
  format: PayloadFormat;
  input: GenerationInput;
  seed: number;
  /** Base64 PNGs at the input's size: init image (image-to-image, edits, upscaling) and mask. */
  images?: RequestImages;
  signal?: AbortSignal;
}

/** One InvokeEndpoint call for one image. */
export const invokeForImage = async (client: SageMakerRuntimeClient, p: InvokeParams): Promise<Artifact[]> => {
  const codec = codecs[p.format];
  const body = requestBody(p.format, p.input, p.seed, p.images);
  const out = await client.send(
    new InvokeEndpointCommand({
      EndpointName: p.endpointName,
      ContentType: codec.contentType,
      Accept: codec.accept,
      Body: body,
    }),
    p.signal ? { abortSignal: p.signal } : {},
  );
  if (!out.Body) throw new StudioError('sagemaker.bad_response', 'The endpoint answered with an empty body.');
  return codec.decode(out.Body, out.ContentType);
};
