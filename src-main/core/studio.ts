import { randomInt } from 'node:crypto';
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { OperationName, OutputOf, ParsedInputOf } from '../../src-shared/contract';
import type { AppError } from '../../src-shared/errors';
import { formatInfo, isAllowedSize, samplerName } from '../../src-shared/formats';
import { generationInputSchema, maxSeed } from '../../src-shared/generation';
import type {
  Generation,
  GenerationInput,
  GenerationPage,
  ImageFailure,
  StoredImage,
  StudioEvent,
} from '../../src-shared/generation';
import type { ConnectionReport } from '../../src-shared/aws';
import type { SyncInfo } from '../../src-shared/generation';
import { CloudLibrary } from './cloud/cloud-library';
import { NotAnImageError } from './cloud/store';
import type { CloudPage } from './cloud/cloud-library';
import { ensureThumbnail } from './library/thumbnails';
import type { ImageRef } from './policy';
import { existsSync } from 'node:fs';
import { isItemId } from '../../src-shared/ids';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { withParameters } from './library/png-params';
import { Uploads, initImageBase64 } from './library/uploads';
import type { ModelConfig, Settings } from '../../src-shared/settings';
import { AwsClients } from './aws/clients';
import { checkConnection, errorContextFor } from './aws/connection';
import { statusPill } from './aws/health';
import type { CheckedReport } from './aws/health';
import { listEndpoints } from './aws/endpoints';
import { mapAwsError } from './aws/map-error';
import { listProfiles } from './aws/profiles';
import { StudioError } from './errors';
import { codecs, invokeForImage } from './inference/invoke';
import { newId } from './library/ids';
import type { GenerationRecord, ImageRecord, LocalLibrary, RecordPage } from './library/local-library';
import type { InflightImage } from './library/record';
import { imageFileIn } from './safe-path';
import type { SettingsService } from './settings';
import type { StateStore } from './state-store';

export type Handlers = { [N in OperationName]: (input: ParsedInputOf<N>) => Promise<OutputOf<N>> };
export type EventListener = (event: StudioEvent) => void;

/** What an image URL leads to: a file, or why there is none (shown in place of the image). */
export type ImageAnswer = { path: string } | { problem: string };

export interface StudioOptions {
  settings: SettingsService;
  library: LocalLibrary;
  state: StateStore;
  dataDir: string;
  /** Desktop-only actions, provided by the Electron shell. */
  desktop?: { reveal(path: string): void; startDrag(path: string): void };
  /** How long to wait for InvokeEndpoint's answer (default ~70 s, past SageMaker's 60 s limit). */
  invokeTimeoutMs?: number;
  /** Turns a library image into the URL the renderer loads (protocol in Electron, HTTP route in web mode). */
  imageUrl: (generationId: string, file: string) => string;
}

const randomSeed = (): number => randomInt(1, maxSeed + 1);
/** Seed for image i: the user's seed + i (wrapping, never 0, which means "random"), or a fresh random one. */
export const seedFor = (base: number, i: number): number =>
  base === 0 ? randomSeed() : ((base - 1 + i) % maxSeed) + 1;

/** The service behind the contract, shared by Electron IPC and web mode. Plain Node, no Electron. */
export class Studio {
  private readonly listeners = new Set<EventListener>();
  private readonly clients: AwsClients;
  private readonly limits = new Map<string, LimitFunction>();
  private readonly running = new Map<string, AbortController>();
  /** IDs of the generations being made right now. */
  private readonly generating = new Set<string>();
  private health: { at: number; report: Promise<ConnectionReport> } | undefined;
  readonly cloud: CloudLibrary;
  /** The start-up look for pending generations whose upload job was lost. */
  private readonly recovered: Promise<unknown>;
  private readonly uploads: Uploads;

  constructor(private readonly options: StudioOptions) {
    this.clients = new AwsClients(options.settings.get(), options.state, options.invokeTimeoutMs);
    this.uploads = new Uploads(options.dataDir);
    this.cloud = new CloudLibrary({
      dataDir: options.dataDir,
      library: options.library,
      state: options.state,
      settings: () => this.settings,
      clients: () => this.clients,
      onSync: (generationId, sync) => this.emit({ type: 'sync.changed', generationId, clientId: '', sync }),
    });
    // A cache left over its size (a crash mid-trim) is trimmed once start-up is done.
    this.cloud.cacheLimit.soon(10_000);
    // Uploads and deletes left from the last run (or a crash) go first; then any generation
    // still marked pending whose job was lost, or cut short by the crash, is queued.
    void this.cloud.outbox.kick();
    // A generation the last run stopped in the middle of is finished first (its complete images kept).
    this.recovered = options.library
      .recoverInterrupted()
      .catch((error: unknown) => console.warn('Library: could not finish interrupted generations', error))
      .then(() => this.cloud.requeueUnqueued((id) => this.generating.has(id)))
      .catch((error: unknown) => console.warn('Cloud: could not look for unqueued generations', error));
    options.settings.onChange((next) => {
      this.clients.update(next);
      this.cloud.invalidate();
      this.health = undefined;
      for (const limit of this.limits.values()) limit.concurrency = next.concurrency;
    });
  }

  /** Resolves once the start-up work is done: the look for pending generations that lost their job. */
  async started(): Promise<void> {
    await this.recovered;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StudioEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('Event listener failed', error);
      }
    }
  }

  /** Cancels everything in flight (app shutdown). */
  close(): void {
    for (const controller of this.running.values()) controller.abort();
    this.cloud.close();
    this.clients.reset();
  }

  /**
   * The original image file (PNG or JPEG): local library, cloud cache, or fetched from S3 once.
   * Only IDs of the known grammars are looked up; anything else is not an image of ours.
   */
  private async originalImage(generationId: string, imageId: string): Promise<ImageAnswer> {
    const notFound = { problem: 'This image is not in the library.' };
    if (generationId === 'uploads') {
      const upload = this.uploads.path(imageId);
      return upload ? { path: upload } : notFound;
    }
    if (!isItemId(generationId) || !isItemId(imageId)) return notFound;
    for (const ext of ['png', 'jpg'] as const) {
      const local = this.options.library.imagePath(generationId, `${imageId}.${ext}`);
      if (local) return { path: local };
      const cached = imageFileIn(this.cloud.cacheDir, generationId, `${imageId}.${ext}`);
      if (existsSync(cached)) {
        void this.cloud.cacheLimit.used(cached);
        return { path: cached };
      }
    }
    const known = this.cloud.imageExtension(generationId, imageId);
    let problem: string | undefined;
    for (const ext of known ? [known] : (['png', 'jpg'] as const)) {
      try {
        const fetched = await this.cloud.cachedImage(generationId, imageId, ext);
        if (fetched) return { path: fetched };
      } catch (error) {
        console.warn(`Image ${generationId}/${imageId}.${ext} could not be fetched: ${String(error)}`);
        // The first reason is the one that matters (the extension the item named, or PNG).
        problem ??= this.fetchProblem(error);
      }
    }
    return problem ? { problem } : notFound;
  }

  /** Why an image could not be fetched from the cloud, in words for the place the image would be. */
  private fetchProblem(error: unknown): string {
    if (error instanceof NotAnImageError) return `The cloud copy of this image is not an image: ${error.message}`;
    const name = error instanceof Error ? error.name : '';
    if (name === 'NoSuchKey' || name === 'NotFound')
      return 'This image is no longer in the cloud (S3 has no such object).';
    const e = mapAwsError(error, errorContextFor(this.settings));
    return `This image could not be fetched from the cloud: ${e.message}`;
  }

  /**
   * The file behind an image URL: the local library, then the cloud cache, then S3
   * (fetched once, cached); thumbnails are made on first request. Undefined when unknown.
   */
  async resolveImage(ref: ImageRef): Promise<ImageAnswer> {
    const { generationId, imageId, variant } = ref;
    if (variant === 'params.png') return { problem: 'Not an image file.' };
    if (variant !== 'thumb.webp') {
      const found = await this.originalImage(generationId, imageId);
      return 'problem' in found || found.path.endsWith(`.${variant}`)
        ? found
        : { problem: 'This image is not in the library.' };
    }
    const file = `${imageId}.thumb.webp`;
    const candidates =
      generationId === 'uploads'
        ? []
        : [
            imageFileIn(this.options.library.dir, generationId, file),
            imageFileIn(this.cloud.cacheDir, generationId, file),
          ];
    for (const ready of candidates) if (existsSync(ready)) return { path: ready };
    const source = await this.originalImage(generationId, imageId);
    if ('problem' in source) return source;
    // Next to its source: the library's, the cloud cache's or the uploads folder, each checked by its own helper.
    const thumb = source.path.replace(/\.(png|jpg)$/, '.thumb.webp');
    try {
      await ensureThumbnail(source.path, thumb);
      return { path: thumb };
    } catch (error) {
      console.warn(`Thumbnail of ${generationId}/${imageId} failed: ${String(error)}`);
      return source;
    }
  }

  /** "Save as PNG": the image with its parameters embedded (AUTOMATIC1111's `parameters` + our JSON). */
  async exportImage(ref: ImageRef): Promise<{ bytes: Buffer; filename: string } | undefined> {
    const record = (await this.options.library.get(ref.generationId)) ?? this.cloud.recordOf(ref.generationId);
    const image = record?.images.find((i) => i.id === ref.imageId);
    const found = await this.originalImage(ref.generationId, ref.imageId);
    if (!record || !image || 'problem' in found) return undefined;
    let png = await readFile(found.path);
    if (image.contentType !== 'image/png') png = await sharp(png).png().toBuffer();
    const bytes = withParameters(png, {
      input: record.input,
      seed: image.seed,
      width: image.width,
      height: image.height,
      model: record.modelId,
    });
    const slug =
      record.input.prompt
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 60) || 'image';
    return { bytes, filename: `${slug}-${image.seed}.png` };
  }

  /** A file path for the desktop's reveal and drag actions. */
  private async desktopPath(generationId: string, imageId: string): Promise<string> {
    if (!this.options.desktop) throw new StudioError('unsupported', 'This action needs the desktop app.');
    const found = await this.originalImage(generationId, imageId);
    if ('problem' in found) throw new StudioError('library.not_found', found.problem);
    return found.path;
  }

  /** The init image of a request, at the output size, as base64 PNG (once per generation). */
  private async initImageFor(input: GenerationInput): Promise<string | undefined> {
    const ref = input.initImage;
    if (!ref) return undefined;
    let path: string | undefined;
    if (ref.kind === 'upload') path = this.uploads.path(ref.id);
    else {
      const found = await this.originalImage(ref.generationId, ref.imageId);
      if ('path' in found) path = found.path;
    }
    if (!path)
      throw new StudioError(
        'library.not_found',
        'The image to start from is no longer in the library.',
        'Choose another image.',
      );
    return initImageBase64(path, input.width, input.height);
  }

  private get settings(): Settings {
    return this.options.settings.get();
  }

  private findModel(modelId: string): ModelConfig | undefined {
    const models = this.settings.models;
    return modelId ? models.find((m) => m.modelId === modelId) : models[0];
  }

  private modelFor(modelId: string): ModelConfig {
    const model = this.findModel(modelId);
    if (!model) {
      throw modelId
        ? new StudioError(
            'settings.no_model',
            `Model "${modelId}" is not configured.`,
            'Pick a model, or add it in Settings.',
          )
        : new StudioError(
            'settings.no_model',
            'No SageMaker endpoint is configured yet.',
            'Open Settings and add a model.',
          );
    }
    return model;
  }

  private limitFor(endpointName: string): LimitFunction {
    let limit = this.limits.get(endpointName);
    if (!limit) {
      limit = pLimit(this.settings.concurrency);
      this.limits.set(endpointName, limit);
    }
    return limit;
  }

  /** Runs with the saved settings' clients, or with throw-away clients for the dialog's unsaved settings. */
  private async withClients<T>(
    settings: Settings | undefined,
    run: (clients: AwsClients, s: Settings) => Promise<T>,
  ): Promise<T> {
    if (!settings) return this.guard(this.settings, () => run(this.clients, this.settings));
    const clients = new AwsClients(settings, this.options.state);
    try {
      return await this.guard(settings, () => run(clients, settings));
    } finally {
      clients.reset();
    }
  }

  /** AWS errors become the contract's errors. */
  private async guard<T>(settings: Settings, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const e = mapAwsError(error, errorContextFor(settings));
      throw new StudioError(e.code, e.message, e.hint);
    }
  }

  /** Endpoint health for the status line, checked at most once a minute (statusPill merges in the Dreams since). */
  private async healthReport(): Promise<CheckedReport> {
    if (!this.health || Date.now() - this.health.at > 60_000) {
      this.health = { at: Date.now(), report: checkConnection(this.clients, this.settings) };
    }
    const { at, report } = this.health;
    return { at, report: await report };
  }

  private toImage(generationId: string, r: ImageRecord): StoredImage {
    return {
      id: r.id,
      generationId,
      index: r.index,
      seed: r.seed,
      width: r.width,
      height: r.height,
      contentType: r.contentType,
      finishReason: 'SUCCESS',
      url: this.options.imageUrl(generationId, r.file),
      thumbUrl: this.options.imageUrl(generationId, `${r.id}.thumb.webp`),
    };
  }

  /**
   * A record → what the renderer shows. Every place of the generation is accounted for: an
   * image, why it failed, or nothing when the user deleted it. An image of this computer's
   * library whose file is gone is "missing"; a place never filled was cut short (cancelled, or
   * the app stopped), which is said as such, never as missing.
   */
  private toGeneration(r: GenerationRecord, sync?: SyncInfo, fromCloud = false): Generation {
    const syncState =
      sync ?? (r.sync ? { state: r.sync.state, ...(r.sync.reason ? { reason: r.sync.reason } : {}) } : undefined);
    const failures: ImageFailure[] = [...r.failures];
    const images = [...r.images].sort((a, b) => a.index - b.index);
    const present = fromCloud ? images : images.filter((i) => this.options.library.imagePath(r.id, i.file));
    for (const gone of images.filter((i) => !present.includes(i)))
      failures.push({
        index: gone.index,
        error: { code: 'library.not_found', message: 'This image is missing from the library: its file is gone.' },
      });
    if (!this.generating.has(r.id)) {
      const covered = new Set([...images.map((i) => i.index), ...failures.map((f) => f.index), ...(r.deleted ?? [])]);
      for (let index = 0; index < r.count; index++) {
        if (covered.has(index)) continue;
        failures.push({
          index,
          error:
            r.status === 'cancelled'
              ? { code: 'cancelled', message: 'Cancelled.' }
              : { code: 'cancelled', message: 'Not made: the app stopped before this image was finished.' },
        });
      }
    }
    return {
      ...(syncState ? { sync: syncState } : {}),
      id: r.id,
      createdAt: r.createdAt,
      input: r.input,
      count: r.count,
      modelId: r.modelId,
      endpointName: r.endpointName,
      // A record still marked running was interrupted (the app stopped mid-generation).
      status: r.status === 'running' ? 'partial' : r.status,
      images: present.map((i) => this.toImage(r.id, i)),
      failures: failures.sort((a, b) => a.index - b.index),
    };
  }

  private async generate(req: ParsedInputOf<'generate'>): Promise<Generation> {
    const id = newId();
    // Until its own upload is queued, a generation in progress is not this computer's to upload.
    this.generating.add(id);
    try {
      return await this.runGeneration(req, id);
    } finally {
      this.generating.delete(id);
    }
  }

  private async runGeneration(req: ParsedInputOf<'generate'>, id: string): Promise<Generation> {
    const model = this.modelFor(req.input.modelId);
    const settings = this.settings;
    const input: GenerationInput = { ...req.input, modelId: model.modelId };
    const info = formatInfo[model.format];
    if (!isAllowedSize(model.format, input.width, input.height)) {
      throw new StudioError(
        'input.invalid',
        `${input.width}×${input.height} is not a size ${model.modelName || model.modelId} can make.`,
        `Sizes for ${info.label}: ${info.sizes.map(([w, h]) => `${w}×${h}`).join(', ')}.`,
      );
    }
    if (!info.samplers.includes(input.sampler)) input.sampler = '';
    if (!info.stylePresets) input.stylePreset = '';
    if (input.initImage && !codecs[model.format].imageToImage) {
      throw new StudioError(
        'input.invalid',
        `${info.label} models do not take an image to start from.`,
        'Remove the image, or pick an SDXL (stability) model.',
      );
    }
    const initImage = await this.initImageFor(input);
    const clientId = req.clientId || id;
    const controller = new AbortController();
    this.running.set(clientId, controller);

    const record: GenerationRecord = {
      version: 1,
      id,
      createdAt: new Date().toISOString(),
      input,
      count: req.count,
      modelId: model.modelId,
      endpointName: model.endpointName,
      status: 'running',
      images: [],
      failures: [],
    };
    // With cloud storage on, the generation belongs to the cloud history from its start: on disk
    // it is marked pending, so a stop in the middle still uploads what it made (at the next start).
    const cloudSync: GenerationRecord['sync'] = this.cloud.enabled()
      ? { state: 'pending', project: await this.cloud.uploadProject() }
      : undefined;
    // Saves are chained so the newest state is always the one left on disk.
    let saving = Promise.resolve();

    // Images whose bytes are being written: saved first, so a stop mid-write loses nothing.
    const inflight: InflightImage[] = [];
    const persist = (): Promise<void> => {
      const snapshot = structuredClone({
        ...record,
        ...(cloudSync ? { sync: cloudSync } : {}),
        ...(inflight.length > 0 ? { inflight } : {}),
      });
      saving = saving.then(() => this.options.library.save(snapshot));
      return saving;
    };
    await this.options.library.markRunning(id);

    const errorContext = errorContextFor(settings, model.endpointName);
    const fail = (index: number, error: AppError, finishReason?: ImageFailure['finishReason']): void => {
      const failure: ImageFailure = finishReason ? { index, error, finishReason } : { index, error };
      record.failures.push(failure);
      this.emit({ type: 'image.failed', generationId: id, clientId, failure });
    };

    this.emit({
      type: 'generation.started',
      generationId: id,
      clientId,
      createdAt: record.createdAt,
      input,
      count: req.count,
    });
    const limit = this.limitFor(model.endpointName);
    const client = this.clients.sagemakerRuntime();

    const one = async (index: number): Promise<void> => {
      if (controller.signal.aborted) return fail(index, { code: 'cancelled', message: 'Cancelled.' });
      try {
        const seed = seedFor(input.seed, index);
        const artifacts = await invokeForImage(client, {
          endpointName: model.endpointName,
          format: model.format,
          input,
          seed,
          ...(initImage ? { initImage } : {}),
          signal: controller.signal,
        });
        for (const artifact of artifacts) {
          if (artifact.finishReason === 'CONTENT_FILTERED') {
            fail(
              index,
              { code: 'sagemaker.content_filtered', message: 'The image was withheld by the content filter.' },
              'CONTENT_FILTERED',
            );
          } else if (artifact.finishReason === 'ERROR' || !artifact.bytes) {
            fail(index, { code: 'sagemaker.image_error', message: 'The model failed to produce this image.' }, 'ERROR');
          } else {
            const pending: InflightImage = {
              id: newId(),
              index,
              seed: artifact.seed ?? seed,
              contentType: artifact.contentType,
            };
            inflight.push(pending);
            await persist();
            const file = await this.options.library.writeImage(id, pending.id, pending.contentType, artifact.bytes);
            const image: ImageRecord = {
              id: pending.id,
              index,
              seed: pending.seed,
              width: input.width,
              height: input.height,
              contentType: pending.contentType,
              file,
            };
            inflight.splice(inflight.indexOf(pending), 1);
            record.images.push(image);
            await persist();
            this.emit({ type: 'image.ready', generationId: id, clientId, image: this.toImage(id, image) });
            // The grid thumbnail is made off the critical path; history pages then only read small files.
            const library = this.options.library;
            ensureThumbnail(
              imageFileIn(library.dir, id, file),
              imageFileIn(library.dir, id, `${pending.id}.thumb.webp`),
            ).catch((e: unknown) => console.warn(`Thumbnail of ${id}/${pending.id} failed: ${String(e)}`));
          }
        }
      } catch (error) {
        const mapped = controller.signal.aborted
          ? { code: 'cancelled' as const, message: 'Cancelled.' }
          : mapAwsError(error, errorContext);
        // Fresh clients and credentials next time, so `aws sso login` or a fixed profile works without a restart.
        if (mapped.code.startsWith('aws.credentials.')) this.clients.reset();
        fail(index, mapped);
      }
    };

    try {
      await Promise.all(Array.from({ length: req.count }, (_, i) => limit(() => one(i))));
    } finally {
      this.running.delete(clientId);
    }

    const cancelled = record.failures.some((f) => f.error.code === 'cancelled');
    record.status =
      record.images.length === req.count
        ? 'done'
        : cancelled
          ? 'cancelled'
          : record.images.length === 0
            ? 'failed'
            : 'partial';
    const generation = this.toGeneration(record);

    if (record.images.length === 0) {
      // Nothing to keep: no empty entries in the history.
      await saving.catch(() => undefined);
      await this.options.library.remove(id);
      await this.options.library.markFinished(id);
      this.emit({ type: 'generation.done', generationId: id, clientId, generation });
      const first = [...record.failures].sort((a, b) => a.index - b.index)[0];
      throw new StudioError(
        first?.error.code ?? 'internal',
        first?.error.message ?? 'No image was generated.',
        first?.error.hint,
      );
    }
    await persist();
    await this.options.library.markFinished(id);
    let done = generation;
    if (this.cloud.enabled()) {
      // Safe on disk first; the upload goes through the outbox and never loses the images.
      done = this.toGeneration(
        await this.cloud.enqueueUpload({ ...record, ...(cloudSync ? { sync: cloudSync } : {}) }),
      );
    }
    this.emit({ type: 'generation.done', generationId: id, clientId, generation: done });
    return done;
  }

  /**
   * A page of history: the project's cloud history when cloud storage is on, this computer's
   * library otherwise. When the cloud cannot be reached, the first page falls back to the
   * library with a notice saying so.
   */
  private async historyPage(
    cursor: string | undefined,
    fromCloud: () => Promise<CloudPage>,
    fromLibrary: () => Promise<RecordPage>,
  ): Promise<GenerationPage> {
    // What could not be read is said, never hidden: damaged local files, unreadable cloud items.
    const withNotice = (page: GenerationPage, ...notices: Array<string | undefined>): GenerationPage => {
      const text = [...notices, this.options.library.damagedNotice()].filter(Boolean).join(' ');
      return text ? { ...page, notice: text } : page;
    };
    let unreachable: string | undefined;
    if (this.cloud.enabled()) {
      try {
        const page = await fromCloud();
        const generations = page.records.map(({ record, sync }) =>
          this.toGeneration(record, sync, sync.state === 'cloud'),
        );
        return withNotice(
          page.nextCursor ? { generations, nextCursor: page.nextCursor } : { generations },
          this.cloud.unreadableNotice(),
        );
      } catch (error) {
        const e = mapAwsError(error, errorContextFor(this.settings));
        unreachable = `Cloud history is unreachable (${e.message}); showing this computer's library.`;
        if (cursor) return { generations: [], notice: unreachable };
      }
    }
    const page = await fromLibrary();
    return withNotice(
      {
        generations: page.records.map((r) => this.toGeneration(r)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
      unreachable,
    );
  }

  readonly handlers: Handlers = {
    getSettings: async () => this.options.settings.get(),
    saveSettings: async (input) => this.options.settings.save(input),
    getStatus: async () => {
      const s = this.settings;
      if (this.options.settings.recovery) return { indicator: 'warning', text: this.options.settings.recovery };
      if (s.models.length === 0) return { indicator: 'warning', text: 'No SageMaker endpoint configured' };
      return statusPill(s, await this.healthReport(), this.clients.invokeOutcomes);
    },
    listProfiles: () => listProfiles(),
    discoverEndpoints: (input) => this.withClients(input, (clients) => listEndpoints(clients.sagemaker())),
    testConnection: (input) => this.withClients(input, (clients, s) => checkConnection(clients, s)),
    listModels: async () =>
      this.settings.models.map((m) => ({
        id: m.modelId,
        name: m.modelName || m.modelId,
        endpointName: m.endpointName,
        format: m.format,
        sizes: formatInfo[m.format].sizes.map(([width, height]) => ({ width, height })),
      })),
    listSamplers: async (input) => {
      const model = this.findModel(input?.modelId ?? '');
      return (model ? formatInfo[model.format].samplers : []).map((id) => ({ id, name: samplerName(id) }));
    },
    getDefaultInput: async (input) => {
      const model = this.findModel(input?.modelId ?? '');
      const defaults = formatInfo[model?.format ?? 'stability'].defaults;
      return {
        ...generationInputSchema.parse({ prompt: '-', ...defaults }),
        prompt: '',
        modelId: model?.modelId ?? '',
      };
    },
    getDefaultCount: async () => 4,
    generate: (input) => this.generate(input),
    cancelGeneration: async ({ clientId }) => {
      const controller = this.running.get(clientId);
      controller?.abort();
      return controller !== undefined;
    },
    listGenerations: async ({ limit, cursor }) =>
      this.historyPage(
        cursor,
        () => this.cloud.list(limit, cursor),
        () => this.options.library.list(limit, cursor),
      ),
    deleteImages: async ({ generationId, imageIds }) => {
      const record = await this.options.library.get(generationId);
      // Not on this computer: a cloud generation (seen in a listing), or nothing to delete.
      const cloudRecord = record ? undefined : this.cloud.recordOf(generationId);
      if (!record && !this.cloud.enabled())
        throw new StudioError('library.not_found', 'That generation is not in the library (or cannot be read).');
      const before = (record ?? cloudRecord)?.images.length ?? 0;
      const left = await this.options.library.removeImages(generationId, imageIds);
      if (this.cloud.enabled() || record?.sync) await this.cloud.enqueueDelete(record, generationId, imageIds);
      const removed = imageIds ? imageIds.length : before;
      const remaining =
        left?.images.length ??
        (imageIds && cloudRecord ? cloudRecord.images.filter((i) => !imageIds.includes(i.id)).length : 0);
      this.emit({ type: 'generation.deleted', generationId, clientId: '', imageIds: imageIds ?? [], remaining });
      return { removed, remaining };
    },
    uploadToCloud: async ({ generationIds }) => {
      if (!this.cloud.enabled()) {
        throw new StudioError(
          'storage.unavailable',
          'Cloud storage is off.',
          'Turn on “Store generated images” in Settings (table, bucket, project ID), then upload.',
        );
      }
      const ids = (generationIds ?? (await this.options.library.localOnly())).filter((id) => !this.generating.has(id));
      let queued = 0;
      for (const id of ids) {
        const record = await this.options.library.get(id);
        if (!record || record.sync || record.images.length === 0) continue;
        await this.cloud.enqueueUpload({ ...record, status: record.status === 'running' ? 'partial' : record.status });
        this.emit({ type: 'sync.changed', generationId: id, clientId: '', sync: { state: 'pending' } });
        queued++;
      }
      return { queued };
    },
    retrySync: async () => {
      await this.recovered;
      await this.cloud.requeueUnqueued((id) => this.generating.has(id));
      return { pending: this.cloud.outbox.retryNow() };
    },
    searchGenerations: async ({ query, limit, cursor }) =>
      this.historyPage(
        cursor,
        () => this.cloud.search(query, limit, cursor),
        () => this.options.library.search(query, limit, cursor),
      ),
    uploadInitImage: async ({ bytes }) => {
      const saved = await this.uploads.save(bytes);
      return { ...saved, url: this.options.imageUrl('uploads', `${saved.id}.png`) };
    },
    getCapabilities: async () => ({ desktop: this.options.desktop !== undefined }),
    revealImage: async ({ generationId, imageId }) => {
      const path = await this.desktopPath(generationId, imageId);
      this.options.desktop?.reveal(path);
      return true;
    },
    startImageDrag: async ({ generationId, imageId }) => {
      const path = await this.desktopPath(generationId, imageId);
      this.options.desktop?.startDrag(path);
      return true;
    },
  };
}
