import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { maxCount, maxSeed } from '../../src-shared/sdxl';
import type { GenerationForm, Size } from './form';
import { formOf, readSaved } from './savedForm';
import type { InitImageRef } from '../../src-shared/generation';
import { formatInfo, payloadFormats } from '../../src-shared/formats';
import type { PayloadFormat } from '../../src-shared/formats';
import { negativePromptOf, promptOf } from '@stability/stablestudio-plugin';
import type {
  StableDiffusionInput,
  StableDiffusionModel,
  StableDiffusionSampler,
  StableDiffusionStyle,
} from '@stability/stablestudio-plugin';

export type { GenerationForm, Size } from './form';

/** The form and the catalogs the plugin lists for it. */
export interface FormState extends GenerationForm {
  /** undefined while loading (or after a failure, reported as a toast). */
  models?: StableDiffusionModel[];
  samplers: StableDiffusionSampler[];
  styles: StableDiffusionStyle[];
}

interface SidebarState extends FormState {
  update: (partial: Partial<GenerationForm>) => void;
  setCatalog: (partial: {
    models?: StableDiffusionModel[];
    samplers?: StableDiffusionSampler[];
    styles?: StableDiffusionStyle[];
  }) => void;
}

export const defaultSizes: Size[] = [{ width: 1024, height: 1024 }];

const storageKey = 'stablestudio.sidebar';

/** Whether this start found a saved sidebar (then the model's defaults do not overwrite it). */
const savedAtStart = ((): boolean => {
  try {
    return window.localStorage.getItem(storageKey) !== null;
  } catch {
    return false;
  }
})();
export const hasSavedForm = (): boolean => savedAtStart;

/** A fresh sidebar: the same defaults as the contract's (the model's own come from the plugin at start). */
const initialForm: GenerationForm = {
  prompt: '',
  negativePrompt: '',
  negativeOpen: false,
  uploadOpen: false,
  settingsOpen: true,
  advancedOpen: true,
  model: '',
  style: '',
  size: { width: 1024, height: 1024 },
  count: 4,
  sampler: '',
  cfgScale: 7,
  steps: 30,
  seed: 0,
  seedLocked: false,
  imageStrength: 0.35,
};

export const useSidebarStore = create<SidebarState>()(
  persist(
    (set) => ({
      ...initialForm,
      samplers: [],
      styles: [],
      update: (partial) => set(partial),
      setCatalog: (partial) => set(partial),
    }),
    {
      // The form only: catalogs come from the plugin, errors are of the moment.
      name: storageKey,
      version: 1,
      storage: createJSONStorage(() => window.localStorage),
      partialize: (state: SidebarState) => formOf(state),
      merge: (persisted, current) => ({ ...current, ...readSaved(persisted) }),
      // A future shape this version does not know: start from the defaults.
      migrate: () => ({}),
    },
  ),
);

/** The selected model's sizes, widest first (the aspect slider runs landscape → portrait). */
export const sizesOf = (model: StableDiffusionModel | undefined): Size[] => {
  const sizes = model?.sizes && model.sizes.length > 0 ? model.sizes : defaultSizes;
  return [...sizes].sort((a, b) => b.width / b.height - a.width / a.height);
};

/** The allowed size nearest in aspect ratio (the size itself when allowed). */
export const closestSize = (model: StableDiffusionModel | undefined, size: Size): Size => {
  const sizes = sizesOf(model);
  const exact = sizes.find((s) => s.width === size.width && s.height === size.height);
  if (exact) return exact;
  const ratio = Math.log(size.width / size.height);
  return sizes.reduce((best, s) =>
    Math.abs(Math.log(s.width / s.height) - ratio) < Math.abs(Math.log(best.width / best.height) - ratio) ? s : best,
  );
};

export const isPayloadFormat = (format: string | undefined): format is PayloadFormat =>
  (payloadFormats as readonly string[]).includes(format ?? '');

/** Whether the model makes images from text (the sidebar's Dream); unknown formats are assumed to. */
export const makesFromText = (model: StableDiffusionModel | undefined): boolean =>
  model !== undefined && (!isPayloadFormat(model.format) || formatInfo[model.format].kinds.includes('txt2img'));

/** The models the sidebar offers: those that make images from text (not inpainters or upscalers). */
export const textModels = (models: StableDiffusionModel[] | undefined): StableDiffusionModel[] | undefined =>
  models?.filter(makesFromText);

/** The first configured upscaler (format jumpstart-upscale-x4), if any. */
export const upscalerOf = (models: StableDiffusionModel[] | undefined): StableDiffusionModel | undefined =>
  models?.find((m) => m.format === 'jumpstart-upscale-x4');

export const selectedModel = (state: {
  models?: StableDiffusionModel[];
  model: string;
}): StableDiffusionModel | undefined => {
  const offered = textModels(state.models);
  return offered?.find((m) => m.id === state.model) ?? offered?.[0];
};

/** Whether the model takes style presets (unknown format: assume it does, as SDXL does). */
export const takesStyles = (model: StableDiffusionModel | undefined): boolean =>
  !isPayloadFormat(model?.format) || formatInfo[model.format].stylePresets;

/** Whether the model takes an init image (only the stability format does). */
export const takesInitImage = (model: StableDiffusionModel | undefined): boolean =>
  !isPayloadFormat(model?.format) || model.format === 'stability';

/**
 * Fills the sidebar with a generation's parameters ("reuse", an imported PNG). What the input
 * leaves out takes the defaults; an init image in it keeps the sidebar's (its preview is set
 * apart, with setInitImage), none clears it. `count`, when given, becomes the image count.
 */
export const reuseParameters = (input: StableDiffusionInput, count?: number): void => {
  const state = useSidebarStore.getState();
  // A model this app no longer has keeps the current one.
  // So does an edit's model (an upscaler, an inpainter): the sidebar makes images from text.
  const model =
    input.model && (state.models === undefined || makesFromText(state.models.find((m) => m.id === input.model)))
      ? input.model
      : state.model;
  const size = closestSize(selectedModel({ models: state.models, model }), {
    width: input.width ?? initialForm.size.width,
    height: input.height ?? initialForm.size.height,
  });
  const negativePrompt = negativePromptOf(input);
  const seed = input.seed ?? 0;
  state.update({
    prompt: promptOf(input),
    negativePrompt,
    negativeOpen: negativePrompt !== '' || state.negativeOpen,
    model,
    style: input.style ?? initialForm.style,
    size,
    sampler: input.sampler?.id ?? initialForm.sampler,
    cfgScale: input.cfgScale ?? initialForm.cfgScale,
    steps: input.steps ?? initialForm.steps,
    seed,
    // A real seed is worth keeping; 0 means the generation asked for random ones.
    seedLocked: seed !== 0,
    imageStrength: input.initialImage?.weight ?? initialForm.imageStrength,
    ...(count !== undefined ? { count: Math.min(maxCount, Math.max(1, Math.round(count))) } : {}),
    promptError: undefined,
  });
  if (!input.initialImage?.ref) useSidebarStore.getState().update({ initImage: undefined });
};

/** Start the next Dream from this image ("use as init image", "variations"). */
export const setInitImage = (ref: InitImageRef, previewUrl: string): void => {
  useSidebarStore.getState().update({ initImage: { ref, previewUrl }, uploadOpen: true });
};

/** A fresh random seed (1 … maxSeed; 0 would mean "random"). */
export const randomSeed = (): number => {
  const [n = 0] = crypto.getRandomValues(new Uint32Array(1));
  return (n % maxSeed) + 1;
};
