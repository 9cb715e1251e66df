import type { StableDiffusionInput, StableDiffusionPrompt } from './types';

/**
 * The one reading of StableStudio's weighted prompts, used by the UI and the plugin alike:
 * the positive prompts joined are the prompt, the negative ones the negative prompt.
 */
const joined = (input: StableDiffusionInput | undefined, positive: boolean): string =>
  (input?.prompts ?? [])
    .filter((p) => (p.weight ?? 1) >= 0 === positive)
    .map((p) => p.text?.trim() ?? '')
    .filter((text) => text !== '')
    .join(', ');

export const promptOf = (input: StableDiffusionInput | undefined): string => joined(input, true);

export const negativePromptOf = (input: StableDiffusionInput | undefined): string => joined(input, false);

/** A prompt and a negative prompt as weighted prompts (the negative one only when there is one). */
export const toPrompts = (prompt: string, negativePrompt = ''): StableDiffusionPrompt[] => [
  { text: prompt.trim(), weight: 1 },
  ...(negativePrompt.trim() ? [{ text: negativePrompt.trim(), weight: -1 }] : []),
];
