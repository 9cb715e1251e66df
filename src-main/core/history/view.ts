import type { Generation, ImageFailure, StoredImage, SyncInfo } from '../../../src-shared/generation';
import type { InProgress } from '../generation/in-progress';
import type { LocalLibrary } from '../library/local-library';
import type { GenerationRecord, ImageRecord } from '../library/record';

/** Turns a library image into the URL the renderer loads (protocol in Electron, HTTP route in web mode). */
export type ImageUrl = (generationId: string, file: string) => string;

/** Records as the renderer sees them: generations with image URLs, every place accounted for. */
export class GenerationView {
  constructor(
    private readonly library: LocalLibrary,
    private readonly imageUrl: ImageUrl,
    private readonly inProgress: InProgress,
  ) {}

  toImage(generationId: string, r: ImageRecord): StoredImage {
    return {
      id: r.id,
      generationId,
      index: r.index,
      seed: r.seed,
      width: r.width,
      height: r.height,
      contentType: r.contentType,
      finishReason: 'SUCCESS',
      url: this.imageUrl(generationId, r.file),
      thumbUrl: this.imageUrl(generationId, `${r.id}.thumb.webp`),
    };
  }

  /**
   * A record → what the renderer shows. Every place of the generation is accounted for: an
   * image, why it failed, or nothing when the user deleted it. An image of this computer's
   * library whose file is gone is "missing"; a place never filled was cut short (cancelled, or
   * the app stopped), which is said as such, never as missing.
   */
  toGeneration(r: GenerationRecord, sync?: SyncInfo, fromCloud = false): Generation {
    const syncState =
      sync ?? (r.sync ? { state: r.sync.state, ...(r.sync.reason ? { reason: r.sync.reason } : {}) } : undefined);
    const failures: ImageFailure[] = [...r.failures];
    const images = [...r.images].sort((a, b) => a.index - b.index);
    const present = fromCloud ? images : images.filter((i) => this.library.imagePath(r.id, i.file));
    for (const gone of images.filter((i) => !present.includes(i)))
      failures.push({
        index: gone.index,
        error: { code: 'library.not_found', message: 'This image is missing from the library: its file is gone.' },
      });
    if (!this.inProgress.has(r.id)) {
      const covered = new Set([...images.map((i) => i.index), ...failures.map((f) => f.index), ...(r.deleted ?? [])]);
      for (let index = 0; index < r.count; index++) {
        if (covered.has(index)) continue;
        const message =
          r.status === 'cancelled' ? 'Cancelled.' : 'Not made: the app stopped before this image was finished.';
        failures.push({ index, error: { code: 'cancelled', message } });
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
      ...(r.sources
        ? {
            sources: {
              imageUrl: this.imageUrl(r.id, r.sources.image),
              ...(r.sources.mask ? { maskUrl: this.imageUrl(r.id, r.sources.mask) } : {}),
            },
          }
        : {}),
    };
  }
}
