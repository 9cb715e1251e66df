import { describeError, negativePromptOf, promptOf, toPrompts } from '@stability/stablestudio-plugin';
import { formatInfo } from '../../src-shared/formats';
import type { InitImageRef } from '../../src-shared/generation';
import type { StableDiffusionInput, StableDiffusionModel } from '@stability/stablestudio-plugin';
import { getPlugin, pluginFunction } from '../Plugin';
import { showError } from '../Toast';
import { hasSavedForm, isPayloadFormat, selectedModel, sizesOf, textModels, useSidebarStore } from './sidebarStore';
import type { GenerationForm } from './sidebarStore';
import {
  addFinishedBlock,
  addPendingBlock,
  appendHistory,
  failBlock,
  fillSlot,
  findBlock,
  finishBlock,
  markStarted,
  resetHistory,
  runningKeys,
  setSlotProgress,
  useStreamStore,
} from './streamStore';

const pageSize = 20;
/** The first page holds what the first screen shows and a little more: it comes sooner. */
const firstPageSize = 8;
const maxCount = 10;

/** crypto.randomUUID needs a secure context; web mode on a LAN address is not one. */
const newClientId = (): string => {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
};

const clampCount = (n: number): number => Math.min(maxCount, Math.max(1, Math.round(n)));

/** The sidebar → the plugin's input: the one place the form's prompts become weighted prompts. */
const formToInput = (form: GenerationForm): StableDiffusionInput => ({
  prompts: toPrompts(form.prompt, form.negativePrompt),
  model: form.model,
  style: form.style,
  sampler: { id: form.sampler, name: form.sampler },
  width: form.size.width,
  height: form.size.height,
  cfgScale: form.cfgScale,
  steps: form.steps,
  // Unlocked: 0 asks for a random seed per image.
  seed: form.seedLocked ? form.seed : 0,
  ...(form.initImage ? { initialImage: { ref: form.initImage.ref, weight: form.imageStrength } } : {}),
});

/** Default input → form fields (the prompt stays what the user typed). */
const applyDefaultInput = (input: StableDiffusionInput): void => {
  const state = useSidebarStore.getState();
  const partial: Partial<GenerationForm> = {};
  if (input.model) partial.model = input.model;
  if (input.style !== undefined) partial.style = input.style;
  if (input.sampler) partial.sampler = input.sampler.id;
  if (input.cfgScale !== undefined) partial.cfgScale = input.cfgScale;
  if (input.steps !== undefined) partial.steps = input.steps;
  if (input.seed !== undefined) partial.seed = input.seed;
  if (input.width && input.height) partial.size = { width: input.width, height: input.height };
  if (state.prompt === '' && input.prompts) {
    const negative = negativePromptOf(input);
    if (negative) partial.negativePrompt = negative;
  }
  state.update(partial);
};

/** Keep the chosen size when the new model offers it, else the closest aspect ratio. */
const fitSize = (model: StableDiffusionModel | undefined): void => {
  const { size, update } = useSidebarStore.getState();
  const sizes = sizesOf(model);
  if (sizes.some((s) => s.width === size.width && s.height === size.height)) return;
  const ratio = size.width / size.height;
  const closest = sizes.reduce((best, s) =>
    Math.abs(s.width / s.height - ratio) < Math.abs(best.width / best.height - ratio) ? s : best,
  );
  update({ size: closest });
};

const loadSamplers = async (): Promise<void> => {
  const { model, sampler, update, setCatalog } = useSidebarStore.getState();
  try {
    const samplers = (await pluginFunction('getStableDiffusionSamplers')({ model })) ?? [];
    setCatalog({ samplers });
    if (sampler !== '' && !samplers.some((s) => s.id === sampler)) update({ sampler: '' });
  } catch (error) {
    showError('Could not list samplers', error);
  }
};

/** Reload the model list (after settings change). Returns it, or undefined when it failed. */
export const refreshModels = async (): Promise<StableDiffusionModel[] | undefined> => {
  try {
    const models = (await pluginFunction('getStableDiffusionModels')()) ?? [];
    const { model, setCatalog, update } = useSidebarStore.getState();
    setCatalog({ models });
    const offered = textModels(models) ?? [];
    if (!offered.some((m) => m.id === model)) update({ model: offered[0]?.id ?? '' });
    fitSize(selectedModel(useSidebarStore.getState()));
    void loadSamplers();
    return models;
  } catch (error) {
    showError('Could not list models', error);
    return undefined;
  }
};

export const selectModel = (id: string): void => {
  useSidebarStore.getState().update({ model: id });
  fitSize(selectedModel(useSidebarStore.getState()));
  void loadSamplers();
};

export const loadMoreHistory = async (): Promise<void> => {
  const { loading, hasMore, cursor, epoch } = useStreamStore.getState();
  if (loading || !hasMore) return;
  useStreamStore.setState({ loading: true, historyError: undefined });
  try {
    const batches =
      (await pluginFunction('getStableDiffusionExistingImages')({
        limit: cursor ? pageSize : firstPageSize,
        ...(cursor ? { exclusiveStartImageID: cursor } : {}),
      })) ?? [];
    // The history was reset meanwhile (another project): this page belongs to the old one.
    if (useStreamStore.getState().epoch !== epoch) return;
    appendHistory(batches, batches.at(-1)?.exclusiveStartImageID);
  } catch (error) {
    if (useStreamStore.getState().epoch !== epoch) return;
    useStreamStore.setState({ loading: false, historyError: describeError(error) });
  }
};

/** The history's source may have changed (settings saved: another project, cloud on or off): load it afresh. */
export const reloadHistory = async (): Promise<void> => {
  resetHistory();
  await loadMoreHistory();
};

/** Try the page that failed again. */
export const retryHistory = (): void => {
  useStreamStore.setState({ historyError: undefined });
  void loadMoreHistory();
};

let unsubscribeProgress: (() => void) | undefined;

const subscribeProgress = (): void => {
  if (unsubscribeProgress) return;
  const subscribe = getPlugin().onStableDiffusionProgress;
  if (!subscribe) return;
  unsubscribeProgress = subscribe((progress) => {
    switch (progress.type) {
      case 'started':
        markStarted(progress.requestID, progress.imagesID, progress.createdAt);
        return;
      case 'image':
        fillSlot(progress.requestID, progress.index, progress.image);
        return;
      case 'progress':
        setSlotProgress(progress.requestID, progress.index, progress.message);
        return;
      case 'done':
        if (findBlock(progress.requestID)) finishBlock(progress.requestID, progress.images);
        else addFinishedBlock(progress.images);
        return;
    }
  });
};

/**
 * Everything the Generate view needs at start but the history's first page, which the entry
 * asks for before React mounts. Returns the models (undefined when listing failed).
 */
export const initGeneration = async (): Promise<StableDiffusionModel[] | undefined> => {
  subscribeProgress();
  const plugin = getPlugin();
  useSidebarStore.getState().setCatalog({ styles: (await plugin.getStableDiffusionStyles?.()) ?? [] });
  // A sidebar saved by the last session wins over the model's defaults.
  const saved = hasSavedForm();
  const [models] = await Promise.all([
    refreshModels(),
    (async () => {
      if (saved) return;
      try {
        const count = await plugin.getStableDiffusionDefaultCount?.();
        if (count !== undefined) useSidebarStore.getState().update({ count: clampCount(count) });
      } catch (error) {
        showError('Could not read the default image count', error);
      }
    })(),
    (async () => {
      if (saved) return;
      try {
        const input = await plugin.getStableDiffusionDefaultInput?.();
        if (input) applyDefaultInput(input);
      } catch (error) {
        showError('Could not read the default settings', error);
      }
    })(),
  ]);
  fitSize(selectedModel(useSidebarStore.getState()));
  return models;
};

const dreamListeners = new Set<() => void>();

/** Called when a Dream of this window starts (its placeholders are on screen); returns the unsubscribe. */
export const onDreamStart = (listener: () => void): (() => void) => {
  dreamListeners.add(listener);
  return () => dreamListeners.delete(listener);
};

/** Whether a Dream with this requestID was started by this window. */
export const isOwnRequest = (requestID: string): boolean => findBlock(requestID) !== undefined;

/** Whether any Dream of this window is still running. */
export const isDreaming = (): boolean => runningKeys(useStreamStore.getState().blocks).length > 0;

/** Start a generation from the sidebar's current values. */
export const dream = async (): Promise<void> => {
  const form = useSidebarStore.getState();
  if (form.prompt.trim() === '') {
    form.update({ promptError: 'Type a prompt first' });
    return;
  }
  if (form.promptError) form.update({ promptError: undefined });
  await startGeneration(formToInput(form), clampCount(form.count));
};

/**
 * Upscale ×4 of a library image with the upscaler model `model`: a new generation of kind
 * upscale, on top of the stream with its progress, sent with the image's own prompt (the
 * upscaler needs one) and size.
 */
export const upscaleImage = async (
  source: { ref: InitImageRef; input: StableDiffusionInput; width: number; height: number },
  model: StableDiffusionModel,
): Promise<void> => {
  const defaults = formatInfo[isPayloadFormat(model.format) ? model.format : 'jumpstart-upscale-x4'].defaults;
  const input: StableDiffusionInput = {
    prompts: toPrompts(promptOf(source.input) || 'a photo', negativePromptOf(source.input)),
    model: model.id,
    kind: 'upscale',
    width: source.width,
    height: source.height,
    cfgScale: defaults.cfgScale,
    steps: defaults.steps,
    seed: 0,
    initialImage: { ref: source.ref },
  };
  await startGeneration(input, 1);
};

/** A generation on top of the stream: its placeholders at once, filled as its images arrive. */
const startGeneration = async (input: StableDiffusionInput, count: number): Promise<void> => {
  const requestID = newClientId();
  addPendingBlock({
    key: requestID,
    prompt: promptOf(input),
    input,
    createdAt: new Date(),
    startedAt: Date.now(),
    running: true,
    slots: Array.from({ length: count }, () => ({ state: 'pending' as const })),
  });
  for (const listener of dreamListeners) listener();
  try {
    const images = await pluginFunction('createStableDiffusionImages')({ input, count, requestID });
    if (images) finishBlock(requestID, images);
    else failBlock(requestID, { code: 'internal', message: 'The plugin returned no images.' });
  } catch (error) {
    failBlock(requestID, describeError(error));
  }
};

/** Stop every generation still running. */
export const cancelRunning = async (): Promise<void> => {
  const keys = runningKeys(useStreamStore.getState().blocks);
  await Promise.all(
    keys.map(async (requestID) => {
      try {
        await pluginFunction('cancelStableDiffusionImages')({ requestID });
      } catch (error) {
        showError('Could not cancel the generation', error);
      }
    }),
  );
};
