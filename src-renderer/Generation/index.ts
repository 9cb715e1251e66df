import { useSidebarStore } from './sidebarStore';
import type { FormState, GenerationForm } from './sidebarStore';
import { useStreamStore } from './streamStore';
import type { StreamView } from './streamStore';

/**
 * Generation: the sidebar's form, the stream of generations (live and from the history) and
 * the actions on them. Both stores stay private; other features use this façade.
 */

/** The sidebar's form and the catalogs it picks from (StableStudio's `Count.get/set/use`). */
export const Form = {
  get: (): FormState => useSidebarStore.getState(),
  set: (partial: Partial<GenerationForm>): void => useSidebarStore.getState().update(partial),
  use: <T>(selector: (state: FormState) => T): T => useSidebarStore(selector),
};

/** The generations on screen, newest first, and the history's paging (read-only: change it through the actions). */
export const Generations = {
  get: (): StreamView => useStreamStore.getState(),
  use: <T>(selector: (state: StreamView) => T): T => useStreamStore(selector),
  /** Calls `listener` after every change; returns the function that stops. */
  subscribe: (listener: (state: StreamView) => void): (() => void) => useStreamStore.subscribe(listener),
};

export type { FormState, GenerationForm, Size } from './sidebarStore';
export type { Block, ErrorInfo, Slot, StreamView } from './streamStore';
export {
  randomSeed,
  reuseParameters,
  selectedModel,
  setInitImage,
  sizesOf,
  takesInitImage,
  takesStyles,
  textModels,
  upscalerOf,
} from './sidebarStore';
export { blockFromImages, changeBlocks, removeImages, runningKeys, setSync, withoutImages } from './streamStore';
export {
  cancelRunning,
  dream,
  initGeneration,
  isDreaming,
  isOwnRequest,
  loadMoreHistory,
  onDreamStart,
  refreshModels,
  reloadHistory,
  retryHistory,
  selectModel,
  upscaleImage,
} from './actions';
export { AdvancedSection } from './Advanced';
export { Collapsible, Slider, fillStyle } from './controls';
