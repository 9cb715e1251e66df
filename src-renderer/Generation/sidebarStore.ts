import { create } from 'zustand';
import type { GenerationInput, InitImageRef } from '../../src-shared/generation';
import type {
  StableDiffusionModel,
  StableDiffusionSampler,
  StableDiffusionStyle,
} from '@stability/stablestudio-plugin';

export interface Size {
  width: number;
  height: number;
}

/** What the user has typed and picked in the sidebar. */
export interface GenerationForm {
  prompt: string;
  negativePrompt: string;
  negativeOpen: boolean;
  samplingOpen: boolean;
  model: string;
  style: string;
  size: Size;
  count: number;
  sampler: string;
  cfgScale: number;
  steps: number;
  seed: number;
  /** Image-to-image: the image to start from and how much of it to keep (0–1). */
  initImage?: { ref: InitImageRef; previewUrl: string };
  imageStrength: number;
  /** Shown under the prompt when Dream is pressed without one. */
  promptError?: string;
}

interface SidebarState extends GenerationForm {
  /** undefined while loading (or after a failure, reported as a toast). */
  models?: StableDiffusionModel[];
  samplers: StableDiffusionSampler[];
  styles: StableDiffusionStyle[];
  update: (partial: Partial<GenerationForm>) => void;
  setCatalog: (partial: {
    models?: StableDiffusionModel[];
    samplers?: StableDiffusionSampler[];
    styles?: StableDiffusionStyle[];
  }) => void;
}

export const defaultSizes: Size[] = [{ width: 1024, height: 1024 }];

export const useSidebarStore = create<SidebarState>()((set) => ({
  prompt: '',
  negativePrompt: '',
  negativeOpen: false,
  samplingOpen: false,
  model: '',
  style: '',
  size: { width: 1024, height: 1024 },
  count: 4,
  sampler: '',
  cfgScale: 7,
  steps: 30,
  seed: 0,
  imageStrength: 0.35,
  samplers: [],
  styles: [],
  update: (partial) => set(partial),
  setCatalog: (partial) => set(partial),
}));

/** The selected model's sizes, widest first (the aspect slider runs landscape → portrait). */
export const sizesOf = (model: StableDiffusionModel | undefined): Size[] => {
  const sizes = model?.sizes && model.sizes.length > 0 ? model.sizes : defaultSizes;
  return [...sizes].sort((a, b) => b.width / b.height - a.width / a.height);
};

export const selectedModel = (state: {
  models?: StableDiffusionModel[];
  model: string;
}): StableDiffusionModel | undefined => state.models?.find((m) => m.id === state.model) ?? state.models?.[0];

/** Façade for other features: fill the sidebar with a generation's parameters ("reuse"). */
export const reuseParameters = (input: GenerationInput, count?: number): void => {
  const { initImage, imageStrength } = input;
  useSidebarStore.getState().update({
    prompt: input.prompt,
    negativePrompt: input.negativePrompt,
    negativeOpen: input.negativePrompt !== '' || useSidebarStore.getState().negativeOpen,
    ...(input.modelId ? { model: input.modelId } : {}),
    style: input.stylePreset,
    size: { width: input.width, height: input.height },
    sampler: input.sampler,
    cfgScale: input.cfgScale,
    steps: input.steps,
    seed: input.seed,
    imageStrength,
    ...(count !== undefined ? { count } : {}),
    promptError: undefined,
  });
  if (!initImage) useSidebarStore.getState().update({ initImage: undefined });
};

/** Façade for other features: start the next Dream from this image ("use as init image", "variations"). */
export const setInitImage = (ref: InitImageRef, previewUrl: string): void => {
  useSidebarStore.getState().update({ initImage: { ref, previewUrl } });
};
