import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import sharp from 'sharp';
import { formatInfo } from '../../../src-shared/formats';
import type { GenerationInput } from '../../../src-shared/generation';
import { defaultInputLimitPx } from '../../../src-shared/settings';
import type { ModelConfig } from '../../../src-shared/settings';
import { StudioError } from '../errors';
import { invokeForImage } from '../inference/invoke';
import type { Artifact } from '../inference/types';
import { blendTiles, cutTile, overlapFor, planTiles } from './tiles';
import type { TilePlan } from './tiles';

/** RGB pixels, row after row. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

const channels = 3;

/** The tiles an upscale of `width` × `height` goes in, under the model's input limit. */
export const upscaleTilePlan = (model: ModelConfig, width: number, height: number): TilePlan => {
  const limit = model.inputLimit ?? defaultInputLimitPx;
  const range = formatInfo[model.format].sizeRange ?? { min: 64, max: limit, step: 8 };
  try {
    return planTiles(width, height, {
      limit,
      overlap: overlapFor(limit, range.step),
      step: range.step,
      min: range.min,
    });
  } catch (error) {
    throw new StudioError(
      'input.invalid',
      `A ${width}×${height} image cannot be upscaled in tiles: ${error instanceof Error ? error.message : String(error)}.`,
      `Use an image at least ${range.min} px on each side.`,
    );
  }
};

/** The image to upscale (base64 PNG at the input's size) as RGB pixels (transparency over white). */
export const decodeRgb = async (base64: string): Promise<RgbImage> => {
  const { data, info } = await sharp(Buffer.from(base64, 'base64'))
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
};

export interface TiledUpscale {
  client: SageMakerRuntimeClient;
  model: ModelConfig;
  input: GenerationInput;
  seed: number;
  image: RgbImage;
  plan: TilePlan;
  signal: AbortSignal;
  /** Called as each tile is done (`done` of `total`), and once with 0 before the first. */
  onTile: (done: number, total: number) => void;
}

/** Thrown when the upscale was cancelled: how far it got, so the message can say. */
export class TilesCancelled extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`Cancelled after ${done} of ${total} tiles.`);
  }
}

/**
 * An image larger than the upscaler takes, upscaled tile by tile (one request each, in order) and
 * blended into one PNG `factor` times larger. A tile the model fails or filters fails the whole
 * image, with the model's reason; a cancel stops before the next tile, or aborts the one in flight.
 */
export const upscaleInTiles = async (t: TiledUpscale): Promise<Artifact> => {
  const factor = formatInfo[t.model.format].upscaleFactor ?? 4;
  const total = t.plan.tiles.length;
  const upscaled: Buffer[] = [];
  t.onTile(0, total);
  for (const [i, tile] of t.plan.tiles.entries()) {
    if (t.signal.aborted) throw new TilesCancelled(i, total);
    const pixels = cutTile(t.image.data, t.image.width, channels, tile);
    const png = await sharp(pixels, { raw: { width: tile.width, height: tile.height, channels } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    let artifacts: Artifact[];
    try {
      artifacts = await invokeForImage(t.client, {
        endpointName: t.model.endpointName,
        format: t.model.format,
        input: { ...t.input, width: tile.width, height: tile.height },
        seed: t.seed,
        images: { init: png.toString('base64') },
        signal: t.signal,
      });
    } catch (error) {
      if (t.signal.aborted) throw new TilesCancelled(i, total);
      throw error;
    }
    const artifact = artifacts[0];
    if (!artifact?.bytes || artifact.finishReason !== 'SUCCESS')
      return {
        finishReason: artifact?.finishReason ?? 'ERROR',
        seed: t.seed,
        bytes: undefined,
        contentType: 'image/png',
      };
    // Models may round sizes: each answer is brought to exactly its tile's size times the factor.
    const [width, height] = [tile.width * factor, tile.height * factor];
    const rgb = sharp(artifact.bytes).flatten({ background: '#ffffff' }).removeAlpha();
    const answer = await rgb.raw().toBuffer({ resolveWithObject: true });
    upscaled.push(
      answer.info.width === width && answer.info.height === height
        ? answer.data
        : await sharp(answer.data, { raw: answer.info }).resize(width, height, { fit: 'fill' }).raw().toBuffer(),
    );
    t.onTile(i + 1, total);
  }
  if (t.signal.aborted) throw new TilesCancelled(total, total);
  const blended = blendTiles(t.plan, upscaled, factor, channels);
  const bytes = await sharp(blended, {
    raw: { width: t.plan.width * factor, height: t.plan.height * factor, channels },
  })
    .png({ compressionLevel: 3 })
    .toBuffer();
  return { finishReason: 'SUCCESS', seed: t.seed, bytes, contentType: 'image/png' };
};
