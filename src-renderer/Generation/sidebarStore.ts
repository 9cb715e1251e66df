import { create } from 'zustand';
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
