import type { InitImageRef } from '../../src-shared/generation';

export interface Size {
  width: number;
  height: number;
}

/** What the user has typed and picked in the sidebar. */
export interface GenerationForm {
  prompt: string;
  negativePrompt: string;
  negativeOpen: boolean;
  uploadOpen: boolean;
  settingsOpen: boolean;
  advancedOpen: boolean;
  model: string;
  style: string;
  size: Size;
  count: number;
  sampler: string;
  cfgScale: number;
  steps: number;
  seed: number;
  /** Locked: every Dream reuses `seed`. Unlocked: every Dream asks for a random seed. */
  seedLocked: boolean;
  /** Image-to-image: the image to start from and how much of it to keep (0–1). */
  initImage?: { ref: InitImageRef; previewUrl: string };
  imageStrength: number;
  /** Shown under the prompt when Dream is pressed without one. */
  promptError?: string;
}
