import type { StableDiffusionLibraryChange } from '@stability/stablestudio-plugin';
import { changeBlocks, removeImages, setSync, withoutImages } from '../Generation';
import { getPlugin } from '../Plugin';
import { useSearchStore } from './searchStore';

/**
 * Applies a change of the library to every place a generation shows: the stream (live and
 * history) and the search results.
 */
export const applyLibraryChange = (change: StableDiffusionLibraryChange): void => {
  const match = (block: { id?: string }): boolean => block.id === change.imagesID;
  if (change.type === 'sync') setSync(change.imagesID, change.sync);
  else removeImages(change.imagesID, change.imageIDs, change.remaining);
  const search = useSearchStore.getState().search;
  if (!search) return;
  const blocks = changeBlocks(search.blocks, match, (block) =>
    change.type === 'sync' ? { ...block, sync: change.sync } : withoutImages(block, change.imageIDs, change.remaining),
  );
  if (blocks !== search.blocks) useSearchStore.setState({ search: { ...search, blocks } });
};

let unsubscribe: (() => void) | undefined;

/** Keeps the stream in step with the library: sync states and deletions, from this window or another. */
export const followLibrary = (): void => {
  if (unsubscribe) return;
  unsubscribe = getPlugin().onStableDiffusionLibraryChange?.(applyLibraryChange);
};
