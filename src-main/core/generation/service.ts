import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { ParsedInputOf } from '../../../src-shared/contract';
import { maxSeed } from '../../../src-shared/generation';
import type { Generation } from '../../../src-shared/generation';
import type { Settings } from '../../../src-shared/settings';
import type { AwsClients } from '../aws/clients';
import { errorContextFor } from '../aws/map-error';
import type { CloudLibrary } from '../cloud/cloud-library';
import type { EventBus } from '../events';
import type { AreaHandlers } from '../handlers';
import type { GenerationView } from '../history/view';
import type { ImageService } from '../images/service';
import { newId } from '../library/ids';
import type { LocalLibrary } from '../library/local-library';
import type { InProgress } from './in-progress';
import { modelFor, modelHandlers } from './models';
import { maxRequestBytes, requestBody } from '../inference/invoke';
import { inputFor } from './edit-input';
import { requestImagesFor } from './request-images';
import { GenerationRun } from './run';

export interface GenerationServiceOptions {
  settings: () => Settings;
  clients: AwsClients;
  library: LocalLibrary;
  cloud: CloudLibrary;
  images: ImageService;
  view: GenerationView;
  events: EventBus;
  inProgress: InProgress;
}

/**
 * Room the text of a request can take besides its images: two prompts of at most 2,000
 * characters, each at worst 6 bytes in JSON (a `\u00XX` escape), and the other fields.
 */
const textRoom = 2 * 2000 * 6 + 4096;

/** Dreams: the models on offer, generations running in parallel per endpoint, cancelling them. */
export class GenerationService {
  /** Parallel InvokeEndpoint calls, per endpoint. */
  private readonly limits = new Map<string, LimitFunction>();
  /** What cancels each running generation, by the caller's client ID. */
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly o: GenerationServiceOptions) {}

  /** Settings changed: each endpoint's limit follows the concurrency setting. */
  settingsChanged(next: Settings): void {
    for (const limit of this.limits.values()) limit.concurrency = next.concurrency;
  }

  /** Cancels everything in flight (app shutdown). */
  close(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  private limitFor(endpointName: string): LimitFunction {
    let limit = this.limits.get(endpointName);
    if (!limit) {
      limit = pLimit(this.o.settings().concurrency);
      this.limits.set(endpointName, limit);
    }
    return limit;
  }

  private async generate(req: ParsedInputOf<'generate'>): Promise<Generation> {
    const id = newId();
    // Until its own upload is queued, a generation in progress is not this computer's to upload.
    this.o.inProgress.add(id);
    try {
      const settings = this.o.settings();
      const model = modelFor(settings, req.input.modelId);
      const input = inputFor(model, req.input);
      const images = await requestImagesFor(this.o.images, input);
      // Too large for SageMaker: refused before anything starts. Only worth building the body to
      // measure it when the images come near the limit (the rest of a body is a few kilobytes).
      const imageBytes = (images.init?.length ?? 0) + (images.mask?.length ?? 0);
      if (imageBytes + textRoom > maxRequestBytes) requestBody(model.format, input, maxSeed, images);
      const clientId = req.clientId || id;
      const controller = new AbortController();
      this.running.set(clientId, controller);
      try {
        const { clients, library, cloud, events, view } = this.o;
        const run = new GenerationRun(
          { library, cloud, events, view, client: clients.sagemakerRuntime(), resetClients: () => clients.reset() },
          {
            id,
            clientId,
            model,
            input,
            count: req.count,
            images,
            errorContext: errorContextFor(settings, model.endpointName),
            limit: this.limitFor(model.endpointName),
            signal: controller.signal,
          },
        );
        return await run.execute();
      } finally {
        this.running.delete(clientId);
      }
    } finally {
      this.o.inProgress.delete(id);
    }
  }

  readonly handlers: AreaHandlers<
    'generate' | 'cancelGeneration' | 'listModels' | 'listSamplers' | 'getDefaultInput' | 'getDefaultCount'
  > = {
    ...modelHandlers(() => this.o.settings()),
    generate: (input) => this.generate(input),
    cancelGeneration: async ({ clientId }) => {
      const controller = this.running.get(clientId);
      controller?.abort();
      return controller !== undefined;
    },
  };
}
