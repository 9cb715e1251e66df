import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { GenerationInput } from '../../../src-shared/generation';
import type { PayloadFormat } from '../../../src-shared/settings';
import { StudioError } from '../errors';
import { hfDiffusersCodec } from './hf-diffusers';
import { jumpstartSdCodec } from './jumpstart-sd';
import { stabilityCodec } from './stability';
import type { Artifact, PayloadFormatCodec } from './types';

export const codecs: Record<PayloadFormat, PayloadFormatCodec> = {
  stability: stabilityCodec,
  'jumpstart-sd': jumpstartSdCodec,
  'hf-diffusers': hfDiffusersCodec,
};

/** SageMaker real-time inference refuses request bodies over 6 MB. */
export const maxRequestBytes = 6 * 1024 * 1024;

export interface InvokeParams {
  endpointName: string;
  format: PayloadFormat;
  input: GenerationInput;
  seed: number;
  /** Base64 PNG at the output size, for image-to-image. */
  initImage?: string;
  signal?: AbortSignal;
}

/** One InvokeEndpoint call for one image. */
export const invokeForImage = async (client: SageMakerRuntimeClient, p: InvokeParams): Promise<Artifact[]> => {
  const codec = codecs[p.format];
  const body = codec.encode(p.input, p.seed, p.initImage);
  const size = Buffer.byteLength(body);
  if (size > maxRequestBytes) {
    throw new StudioError(
      'sagemaker.validation',
      `The request is ${(size / 1024 / 1024).toFixed(1)} MB; SageMaker accepts at most 6 MB.`,
      'Use a smaller size, or an init image with less detail.',
    );
  }
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
