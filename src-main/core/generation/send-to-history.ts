import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { ParsedInputOf } from '../../../src-shared/contract';
import { generationInputSchema } from '../../../src-shared/generation';
import type { Generation } from '../../../src-shared/generation';
import type { CloudLibrary } from '../cloud/cloud-library';
import { StudioError } from '../errors';
import type { EventBus } from '../events';
import type { AreaHandlers } from '../handlers';
import type { GenerationView } from '../history/view';
import type { ImageAnswer } from '../images/service';
import { newId } from '../library/ids';
import type { LocalLibrary } from '../library/local-library';
import type { GenerationRecord } from '../library/record';
import { queueThumbnail } from '../library/thumbnails';
import { imageFileIn } from '../safe-path';

export interface SendToHistoryOptions {
  library: LocalLibrary;
  cloud: CloudLibrary;
  events: EventBus;
  view: GenerationView;
  /** Where a stored image is (the upload holding the image to send). */
  original: (generationId: string, imageId: string) => Promise<ImageAnswer>;
}

/** What the history says of an image sent from the Edit tab with no parameters of its own. */
export const sentWithoutPrompt = 'Edited in the Edit tab';

/**
 * An image made in the Edit tab, kept as a generation of one image: an image-to-image of what was
 * on the canvas (the parameters it was made with when the editor knows them). Saved like any
 * generation, shown in the history at once, and uploaded to the cloud when cloud storage is on.
 */
export class SendToHistory {
  constructor(private readonly o: SendToHistoryOptions) {}

  private async send({ uploadId, input }: ParsedInputOf<'sendToHistory'>): Promise<Generation> {
    const found = await this.o.original('uploads', uploadId);
    if ('problem' in found) throw new StudioError('library.not_found', `The image to send is gone: ${found.problem}`);
    const bytes = await readFile(found.path);
    const meta = await sharp(bytes)
      .metadata()
      .catch(() => undefined);
    if (meta?.format !== 'png' || !meta.width || !meta.height)
      throw new StudioError('input.invalid', 'Only a PNG image can be sent to the history; nothing was kept.');
    const { width, height } = meta;
    const id = newId();
    const imageId = newId();
    const file = await this.o.library.writeImage(id, imageId, 'image/png', bytes);
    const given = input ?? generationInputSchema.parse({ prompt: sentWithoutPrompt });
    // The image's own size; no init image (the image is the result), so nothing is reused by mistake.
    const { initImage: _init, maskImage: _mask, ...rest } = given;
    const record: GenerationRecord = {
      version: 1,
      id,
      createdAt: new Date().toISOString(),
      input: { ...rest, width, height, kind: rest.kind ?? 'img2img' },
      count: 1,
      modelId: rest.modelId,
      endpointName: '',
      status: 'done',
      images: [{ id: imageId, index: 0, seed: rest.seed, width, height, contentType: 'image/png', file }],
      failures: [],
    };
    await this.o.library.save(record);
    // Safe on disk first; the upload goes through the outbox like a Dream's.
    const kept = this.o.cloud.enabled() ? await this.o.cloud.enqueueUpload(record) : record;
    const generation = this.o.view.toGeneration(kept);
    this.o.events.emit({ type: 'generation.done', generationId: id, clientId: id, generation });
    const { dir } = this.o.library;
    queueThumbnail(imageFileIn(dir, id, file), imageFileIn(dir, id, `${imageId}.thumb.webp`));
    return generation;
  }

  readonly handlers: AreaHandlers<'sendToHistory'> = {
    sendToHistory: (input) => this.send(input),
  };
}
