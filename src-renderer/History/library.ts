import type { StableDiffusionImages } from '@stability/stablestudio-plugin';
import { getBridge } from '../bridge';
import { pluginFunction } from '../Plugin';
import { toImages, toSync, unwrap } from '../plugin-sagemaker/mapping';
import { removeImages, setSync } from '../Generation/streamStore';

/**
 * App-specific library calls the StableStudio plugin API has no words for
 * (search, sync, desktop-only file actions). Deleting goes through the plugin.
 */

export interface SearchPage {
  batches: StableDiffusionImages[];
  cursor?: string;
  notice?: string;
}

export const searchLibrary = async (query: string, limit: number, cursor?: string): Promise<SearchPage> => {
  const page = unwrap(await getBridge().searchGenerations({ query, limit, ...(cursor ? { cursor } : {}) }));
  return {
    batches: page.generations.map((generation) => toImages(generation)),
    ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
    ...(page.notice ? { notice: page.notice } : {}),
  };
};

/** Uploads generations made while cloud storage was off (these, or all of them); answers how many were queued. */
export const uploadToCloud = async (generationIds?: string[]): Promise<number> =>
  unwrap(await getBridge().uploadToCloud(generationIds ? { generationIds } : {})).queued;

/** Retries every pending cloud upload and delete now; answers how many are still waiting. */
export const retrySync = async (): Promise<number> => unwrap(await getBridge().retrySync()).pending;

let desktop: Promise<boolean> | undefined;

/** True in the Electron app (native file actions exist), false in web mode. */
export const isDesktop = (): Promise<boolean> => {
  desktop ??= getBridge()
    .getCapabilities()
    .then((result) => result.ok && result.value.desktop)
    .catch(() => false);
  return desktop;
};

export const revealImage = async (generationId: string, imageId: string): Promise<void> => {
  unwrap(await getBridge().revealImage({ generationId, imageId }));
};

export const startImageDrag = async (generationId: string, imageId: string): Promise<void> => {
  unwrap(await getBridge().startImageDrag({ generationId, imageId }));
};

/** Deletes images of a generation, or the whole generation when `imageIds` is absent. */
export const deleteImages = async (generationId: string, imageIds?: string[]): Promise<void> => {
  await pluginFunction('deleteStableDiffusionImages')({
    imagesID: generationId,
    ...(imageIds ? { imageIDs: imageIds } : {}),
  });
};

let unsubscribe: (() => void) | undefined;

/** Keeps the stream in step with the library: sync states and deletions, from this window or another. */
export const followLibrary = (): void => {
  if (unsubscribe) return;
  unsubscribe = getBridge().onEvent((event) => {
    if (event.type === 'sync.changed') setSync(event.generationId, toSync(event.sync));
    else if (event.type === 'generation.deleted') removeImages(event.generationId, event.imageIds, event.remaining);
  });
};
