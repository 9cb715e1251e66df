import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { LimitFunction } from 'p-limit';
import type { AppError } from '../../../src-shared/errors';
import type { Generation, GenerationInput, ImageFailure } from '../../../src-shared/generation';
import type { ModelConfig } from '../../../src-shared/settings';
import { mapAwsError } from '../aws/map-error';
import type { ErrorContext } from '../aws/map-error';
import type { CloudLibrary } from '../cloud/cloud-library';
import { StudioError } from '../errors';
import type { EventBus } from '../events';
import type { GenerationView } from '../history/view';
import { invokeForImage } from '../inference/invoke';
import type { Artifact, RequestImages } from '../inference/types';
import { newId } from '../library/ids';
import type { LocalLibrary } from '../library/local-library';
import type { GenerationRecord, ImageRecord, InflightImage, RecordSources, RecordSync } from '../library/record';
import { queueThumbnail } from '../library/thumbnails';
import { imageFileIn } from '../safe-path';
import { outputSize } from './edit-input';
import { seedFor } from './models';
import type { TilePlan } from './tiles';
import { TilesCancelled, upscaleInTiles } from './upscale-tiles';
import type { RgbImage } from './upscale-tiles';
import { log } from '../log';

export interface RunDeps {
  library: LocalLibrary;
  cloud: CloudLibrary;
  events: EventBus;
  view: GenerationView;
  client: SageMakerRuntimeClient;
  /** Credentials failed: fresh clients and credentials next time (so `aws sso login` works without a restart). */
  resetClients: () => void;
}

export interface RunPlan {
  id: string;
  clientId: string;
  model: ModelConfig;
  input: GenerationInput;
  count: number;
  /** Base64 PNGs at the input's size: the image to start from (or upscale) and the mask. */
  images: RequestImages;
  /** An upscale too large for one request: the image as pixels, and the tiles it goes in. */
  tiles?: { plan: TilePlan; image: RgbImage };
  errorContext: ErrorContext;
  /** The endpoint's limit of parallel calls. */
  limit: LimitFunction;
  signal: AbortSignal;
}

const cancelled: AppError = { code: 'cancelled', message: 'Cancelled.' };

/** A tiled upscale stopped part way: half an image is no use, so none is kept, and the message says so. */
const cancelledTiles = (stop: TilesCancelled): AppError => ({
  code: 'cancelled',
  message: `Upscale cancelled after ${stop.done} of ${stop.total} tiles: nothing was kept.`,
  hint: 'Upscale the image again to make it.',
});

/**
 * One Dream: `count` InvokeEndpoint calls in parallel (within the endpoint's limit), each image
 * saved to the library as it arrives and announced, the record kept on disk at every step.
 */
export class GenerationRun {
  private readonly record: GenerationRecord;
  /** With cloud storage on, the generation belongs to the cloud history from its start. */
  private cloudSync: RecordSync | undefined;
  /** Images whose bytes are being written: saved first, so a stop mid-write loses nothing. */
  private readonly inflight: InflightImage[] = [];
  /** Saves run one after another, so the newest state is always the one left on disk. */
  private saving = Promise.resolve();
  /** The save waiting for the current one to end; it takes its snapshot when it starts. */
  private nextSave: Promise<void> | undefined;
  /** An edit's source image and mask being written into the generation's folder. */
  private sources: Promise<void> = Promise.resolve();

  constructor(
    private readonly d: RunDeps,
    private readonly plan: RunPlan,
  ) {
    this.record = {
      version: 1,
      id: plan.id,
      createdAt: new Date().toISOString(),
      input: plan.input,
      count: plan.count,
      modelId: plan.model.modelId,
      endpointName: plan.model.endpointName,
      status: 'running',
      images: [],
      failures: [],
    };
  }

  async execute(): Promise<Generation> {
    const { id, clientId, input, count, limit } = this.plan;
    // Marked pending on disk from the start, so a stop in the middle still uploads what it made.
    this.cloudSync = this.d.cloud.enabled()
      ? { state: 'pending', project: await this.d.cloud.uploadProject() }
      : undefined;
    await this.d.library.running.mark(id);
    // Written while the requests go out: they do not wait on the disk (finish() waits for it).
    this.sources = this.keepSources().catch((e: unknown) =>
      log.warn(`Keeping the source image of generation ${id} failed: ${String(e)}`),
    );
    const { createdAt } = this.record;
    this.d.events.emit({ type: 'generation.started', generationId: id, clientId, createdAt, input, count });
    await Promise.all(Array.from({ length: count }, (_, i) => limit(() => this.one(i))));
    return this.finish();
  }

  /**
   * An edit's source image and mask, as sent, go into the generation's folder, so the record
   * says what it was made from (older image-to-image requests, without a kind, keep none).
   */
  private async keepSources(): Promise<void> {
    const { id, input, images } = this.plan;
    if (!input.kind || input.kind === 'txt2img' || !images.init) return;
    // Once the requests are on their way (decoding the base64 back to bytes would hold them up).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const write = (base64: string): Promise<string> =>
      this.d.library.writeImage(id, newId(), 'image/png', Buffer.from(base64, 'base64'));
    const sources: RecordSources = { image: await write(images.init) };
    if (images.mask) sources.mask = await write(images.mask);
    this.record.sources = sources;
    await this.persist();
  }

  /**
   * Resolves once a save that started after this call is on disk. Calls made while a save is
   * waiting share it: images arriving together cost one write of generation.json, not one each.
   */
  private persist(): Promise<void> {
    this.nextSave ??= this.saving
      .catch(() => undefined)
      .then(() => {
        this.nextSave = undefined;
        return this.d.library.save(
          structuredClone({
            ...this.record,
            ...(this.cloudSync ? { sync: this.cloudSync } : {}),
            ...(this.inflight.length > 0 ? { inflight: this.inflight } : {}),
          }),
        );
      });
    this.saving = this.nextSave;
    return this.nextSave;
  }

  private fail(index: number, error: AppError, finishReason?: ImageFailure['finishReason']): void {
    const failure: ImageFailure = finishReason ? { index, error, finishReason } : { index, error };
    this.record.failures.push(failure);
    this.d.events.emit({ type: 'image.failed', generationId: this.plan.id, clientId: this.plan.clientId, failure });
  }

  private async one(index: number): Promise<void> {
    const { model, input, images, signal } = this.plan;
    if (signal.aborted) return this.fail(index, cancelled);
    try {
      const seed = seedFor(input.seed, index);
      const artifacts = this.plan.tiles
        ? [await this.inTiles(index, seed, this.plan.tiles)]
        : await invokeForImage(this.d.client, {
            endpointName: model.endpointName,
            format: model.format,
            input,
            seed,
            images,
            signal,
          });
      for (const artifact of artifacts) {
        if (artifact.finishReason === 'CONTENT_FILTERED') {
          const error: AppError = {
            code: 'sagemaker.content_filtered',
            message: 'The image was withheld by the content filter.',
          };
          this.fail(index, error, 'CONTENT_FILTERED');
        } else if (artifact.finishReason === 'ERROR' || !artifact.bytes) {
          const error: AppError = { code: 'sagemaker.image_error', message: 'The model failed to produce this image.' };
          this.fail(index, error, 'ERROR');
        } else await this.keep(index, artifact, artifact.bytes, seed);
      }
    } catch (error) {
      if (error instanceof TilesCancelled) return this.fail(index, cancelledTiles(error));
      const mapped = signal.aborted ? cancelled : mapAwsError(error, this.plan.errorContext);
      if (mapped.code.startsWith('aws.credentials.')) this.d.resetClients();
      this.fail(index, mapped);
    }
  }

  /** One upscale in tiles, each tile's progress announced ("Upscaling tile 3 of 9"). */
  private inTiles(index: number, seed: number, tiles: NonNullable<RunPlan['tiles']>): Promise<Artifact> {
    const { id: generationId, clientId, model, input, signal } = this.plan;
    return upscaleInTiles({
      client: this.d.client,
      model,
      input,
      seed,
      ...tiles,
      signal,
      onTile: (done, total) =>
        this.d.events.emit({
          type: 'image.progress',
          generationId,
          clientId,
          index,
          done,
          total,
          message: done < total ? `Upscaling tile ${done + 1} of ${total}` : `Blending ${total} tiles`,
        }),
    });
  }

  /** An image arrived: into the library (its place saved before its bytes), then announced. */
  private async keep(index: number, artifact: Artifact, bytes: Uint8Array, seed: number): Promise<void> {
    const { id, clientId, input, model } = this.plan;
    const pending: InflightImage = {
      id: newId(),
      index,
      seed: artifact.seed ?? seed,
      contentType: artifact.contentType,
    };
    this.inflight.push(pending);
    await this.persist();
    const file = await this.d.library.writeImage(id, pending.id, pending.contentType, bytes);
    const image: ImageRecord = { ...pending, ...outputSize(model, input), file };
    this.inflight.splice(this.inflight.indexOf(pending), 1);
    this.record.images.push(image);
    // Its file is in place and its place saved (as in flight), so a stop now loses nothing: shown
    // at once, while the record catches up (finish() awaits the last save, and fails if it fails).
    this.persist().catch((e: unknown) => log.warn(`Saving generation ${id} failed: ${String(e)}`));
    this.d.events.emit({ type: 'image.ready', generationId: id, clientId, image: this.d.view.toImage(id, image) });
  }

  /**
   * Grid thumbnails, once every image is saved and shown: one at a time in the background, so
   * they never compete with receiving the images (one asked for earlier is made on demand).
   */
  private queueThumbnails(): void {
    const { dir } = this.d.library;
    for (const image of this.record.images)
      queueThumbnail(
        imageFileIn(dir, this.plan.id, image.file),
        imageFileIn(dir, this.plan.id, `${image.id}.thumb.webp`),
      );
  }

  private async finish(): Promise<Generation> {
    const { id, clientId, count } = this.plan;
    await this.sources;
    const record = this.record;
    const made = record.images.length;
    const wasCancelled = record.failures.some((f) => f.error.code === 'cancelled');
    record.status = made === count ? 'done' : wasCancelled ? 'cancelled' : made === 0 ? 'failed' : 'partial';
    const generation = this.d.view.toGeneration(record);
    if (made === 0) {
      // Nothing to keep: no empty entries in the history.
      await this.saving.catch(() => undefined);
      await this.d.library.remove(id);
      await this.d.library.running.finish(id);
      this.d.events.emit({ type: 'generation.done', generationId: id, clientId, generation });
      const first = [...record.failures].sort((a, b) => a.index - b.index)[0];
      throw new StudioError(
        first?.error.code ?? 'internal',
        first?.error.message ?? 'No image was generated.',
        first?.error.hint,
      );
    }
    await this.persist();
    await this.d.library.running.finish(id);
    let done = generation;
    if (this.d.cloud.enabled()) {
      // Safe on disk first; the upload goes through the outbox and never loses the images.
      const queued = await this.d.cloud.enqueueUpload({
        ...record,
        ...(this.cloudSync ? { sync: this.cloudSync } : {}),
      });
      done = this.d.view.toGeneration(queued);
    }
    this.d.events.emit({ type: 'generation.done', generationId: id, clientId, generation: done });
    this.queueThumbnails();
    return done;
  }
}
