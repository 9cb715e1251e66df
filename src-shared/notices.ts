import type { Generation } from './generation';

/**
 * What the "your images are ready" notification says when a Dream finishes out of sight: one
 * wording for the desktop app's native notification and web mode's browser notification.
 */
export const generationNotice = (generation: Generation): { title: string; body: string } => {
  const made = generation.images.length;
  const title = made === 0 ? 'Dream failed' : made === 1 ? 'Your image is ready' : `Your ${made} images are ready`;
  const prompt = generation.input.prompt;
  return { title, body: prompt.length > 120 ? `${prompt.slice(0, 117)}…` : prompt };
};
