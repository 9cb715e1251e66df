import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { isItemId } from '../../../src-shared/ids';
import type { Settings } from '../../../src-shared/settings';
import { errorContextFor, mapAwsError } from '../aws/map-error';
import type { CloudLibrary } from '../cloud/cloud-library';
import { NotAnImageError } from '../cloud/store';
import type { AreaHandlers } from '../handlers';
import type { ImageUrl } from '../history/view';
import type { LocalLibrary } from '../library/local-library';
import { withParameters } from '../library/png-params';
import { ensureThumbnail } from '../library/thumbnails';
import type { FreshUpload, Uploads } from '../library/uploads';
import { contentTypeOf, parseImagePath } from '../policy';
import type { ImageRef } from '../policy';
import { imageFileIn } from '../safe-path';
import { log } from '../log';

/** What an image URL leads to: a file, or why there is none (shown in place of the image). */
export type ImageAnswer = { path: string } | { problem: string };

/**
 * The answer to an image URL, the same for the desktop's `studio-image://` protocol and web
 * mode's `/images/` route (each only writes it out): a file, bytes made for a download, or
 * the reason there is no image, as text the page shows in its place.
 */
export interface ImageResponse {
  status: 200 | 404;
  headers: Record<string, string>;
  body: { file: string } | { bytes: Uint8Array } | { text: string };
}

export interface ImageServiceOptions {
  library: LocalLibrary;
  cloud: CloudLibrary;
  uploads: Uploads;
  /** The Edit tab's layer images (`editor/<imageId>.png`). */
  editorImage?: (imageId: string) => string | undefined;
  settings: () => Settings;
  imageUrl: ImageUrl;
}

const notInLibrary = 'This image is not in the library.';

/** Every image the app shows or sends: the library's, the cloud's (fetched once), the uploads. */
export class ImageService {
  constructor(private readonly o: ImageServiceOptions) {}

  /**
   * The original image file (PNG or JPEG): local library, cloud cache, or fetched from S3 once.
   * Only IDs of the known grammars are looked up; anything else is not an image of ours.
   */
  async original(generationId: string, imageId: string): Promise<ImageAnswer> {
    if (generationId === 'uploads') {
      // A raw upload answered before its file was written: wait for the file.
      await this.o.uploads.settled(imageId);
      const upload = this.o.uploads.path(imageId);
      return upload ? { path: upload } : { problem: notInLibrary };
    }
    if (generationId === 'editor') {
      const layer = this.o.editorImage?.(imageId);
      return layer ? { path: layer } : { problem: 'This image is no longer in the editor folder.' };
    }
    if (!isItemId(generationId) || !isItemId(imageId)) return { problem: notInLibrary };
    for (const ext of ['png', 'jpg'] as const) {
      const local = this.o.library.imagePath(generationId, `${imageId}.${ext}`);
      if (local) return { path: local };
    }
    const cached = this.o.cloud.cache.cachedPath(generationId, imageId);
    if (cached) return { path: cached };
    const known = this.o.cloud.cache.imageExtension(generationId, imageId);
    let problem: string | undefined;
    for (const ext of known ? [known] : (['png', 'jpg'] as const)) {
      try {
        const path = await this.o.cloud.cachedImage(generationId, imageId, ext);
        if (path) return { path };
      } catch (error) {
        log.warn(`Image ${generationId}/${imageId}.${ext} could not be fetched: ${String(error)}`);
        // The first reason is the one that matters (the extension the item named, or PNG).
        problem ??= this.fetchProblem(error);
      }
    }
    return { problem: problem ?? notInLibrary };
  }

  /** Why an image could not be fetched from the cloud, in words for the place the image would be. */
  private fetchProblem(error: unknown): string {
    if (error instanceof NotAnImageError) return `The cloud copy of this image is not an image: ${error.message}`;
    const name = error instanceof Error ? error.name : '';
    if (name === 'NoSuchKey' || name === 'NotFound')
      return 'This image is no longer in the cloud (S3 has no such object).';
    return `This image could not be fetched from the cloud: ${mapAwsError(error, errorContextFor(this.o.settings())).message}`;
  }

  /** The file behind an image reference; thumbnails are made on first request. */
  async resolve(ref: ImageRef): Promise<ImageAnswer> {
    const { generationId, imageId, variant } = ref;
    if (variant === 'params.png') return { problem: 'Not an image file.' };
    if (variant !== 'thumb.webp') {
      const found = await this.original(generationId, imageId);
      return 'problem' in found || found.path.endsWith(`.${variant}`) ? found : { problem: notInLibrary };
    }
    const file = `${imageId}.thumb.webp`;
    const ready =
      generationId === 'uploads' || generationId === 'editor'
        ? []
        : [
            imageFileIn(this.o.library.dir, generationId, file),
            imageFileIn(this.o.cloud.cache.dir, generationId, file),
          ];
    for (const path of ready) if (existsSync(path)) return { path };
    const source = await this.original(generationId, imageId);
    if ('problem' in source) return source;
    // Next to its source: the library's, the cloud cache's or the uploads folder, each checked by its own helper.
    const thumb = source.path.replace(/\.(png|jpg)$/, '.thumb.webp');
    try {
      await ensureThumbnail(source.path, thumb);
      return { path: thumb };
    } catch (error) {
      log.warn(`Thumbnail of ${generationId}/${imageId} failed: ${String(error)}`);
      return source;
    }
  }

  /** "Save as PNG": the image with its parameters embedded (AUTOMATIC1111's `parameters` + our JSON). */
  async export(ref: ImageRef): Promise<{ bytes: Buffer; filename: string } | undefined> {
    const record = (await this.o.library.get(ref.generationId)) ?? this.o.cloud.cache.recordOf(ref.generationId);
    const image = record?.images.find((i) => i.id === ref.imageId);
    const found = await this.original(ref.generationId, ref.imageId);
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

  /** The answer to an image URL's path (`/<generationId>/<imageId>.<variant>`), for either transport. */
  async serve(pathname: string): Promise<ImageResponse> {
    const missing = (text: string): ImageResponse => ({
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      body: { text },
    });
    const ref = parseImagePath(pathname);
    if (!ref) return missing('Not found');
    if (ref.variant === 'params.png') {
      const exported = await this.export(ref);
      if (!exported) return missing(notInLibrary);
      return {
        status: 200,
        headers: {
          'Content-Type': 'image/png',
          'Content-Disposition': `attachment; filename="${exported.filename}"`,
          'Cache-Control': 'no-store',
        },
        body: { bytes: exported.bytes },
      };
    }
    const found = await this.resolve(ref);
    if ('problem' in found) return missing(found.problem);
    return {
      status: 200,
      headers: { 'Content-Type': contentTypeOf(found.path), 'Cache-Control': 'private, max-age=31536000, immutable' },
      body: { file: found.path },
    };
  }

  /** An upload made from raw pixels a moment ago, still in memory as encoded (see `Uploads.fresh`). */
  freshUpload(id: string): Promise<FreshUpload | undefined> {
    return this.o.uploads.fresh(id);
  }

  readonly handlers: AreaHandlers<'uploadInitImage' | 'uploadPixels'> = {
    uploadInitImage: async ({ bytes }) => {
      const saved = await this.o.uploads.save(bytes);
      return { ...saved, url: this.o.imageUrl('uploads', `${saved.id}.png`) };
    },
    uploadPixels: async ({ bytes, width, height, channels }) => {
      const saved = this.o.uploads.saveRaw(bytes, width, height, channels);
      return { ...saved, url: this.o.imageUrl('uploads', `${saved.id}.png`) };
    },
  };
}
