import type { GenerationInput } from '../../../src-shared/generation';

/** What a generation is searched by: its prompt and negative prompt, lower-cased. */
export const searchText = (input: Pick<GenerationInput, 'prompt' | 'negativePrompt'>): string =>
  `${input.prompt}\n${input.negativePrompt}`.toLowerCase();

/** The words of a search box query; a generation matches when its text contains every one. */
export const queryWords = (query: string): string[] => query.toLowerCase().split(/\s+/).filter(Boolean);

export const matchesWords = (text: string, words: string[]): boolean => words.every((w) => text.includes(w));
