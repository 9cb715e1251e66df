import { generationInputSchema } from '../../../src-shared/generation';
import type { GenerationInput } from '../../../src-shared/generation';

/**
 * The StableStudio browser plugin's `input_obj` (its StableDiffusionInput, as JSON): written
 * into every item so the plugin can still read our history, and read from the plugin's items.
 */

/** Our input in the browser plugin's StableDiffusionInput shape. */
export const pluginInput = (input: GenerationInput): Record<string, unknown> => ({
  prompts: [
    { text: input.prompt, weight: 1 },
    ...(input.negativePrompt ? [{ text: input.negativePrompt, weight: -1 }] : []),
  ],
  model: input.modelId,
  sampler: input.sampler ? { id: input.sampler, name: input.sampler } : undefined,
  style: input.stylePreset || undefined,
  width: input.width,
  height: input.height,
  cfgScale: input.cfgScale,
  steps: input.steps,
  seed: input.seed,
});

/** The browser plugin's input_obj → our input, tolerating anything missing. */
export const fromPluginInput = (raw: unknown): GenerationInput => {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  const prompts = Array.isArray(o.prompts) ? (o.prompts as unknown[]) : [];
  const entries = prompts.map((p) => (typeof p === 'object' && p !== null ? (p as Record<string, unknown>) : {}));
  const text = (p: Record<string, unknown> | undefined): string =>
    typeof p?.text === 'string' ? p.text.slice(0, 2000) : '';
  const positive = entries.find((p) => num(p.weight, 1) >= 0);
  const negative = entries.find((p) => num(p.weight, 1) < 0);
  const sampler = typeof o.sampler === 'object' && o.sampler !== null ? (o.sampler as Record<string, unknown>) : {};
  const base = generationInputSchema.parse({ prompt: '-' });
  const candidate = {
    ...base,
    prompt: text(positive).trim() || '(no prompt)',
    negativePrompt: text(negative),
    modelId: typeof o.model === 'string' ? o.model : '',
    sampler: typeof sampler.name === 'string' ? sampler.name : '',
    stylePreset: typeof o.style === 'string' ? o.style : '',
    cfgScale: num(o.cfgScale, base.cfgScale),
    steps: num(o.steps, base.steps),
    seed: num(o.seed, 0),
    width: num(o.width, base.width),
    height: num(o.height, base.height),
  };
  // Field by field: a value out of range falls back to its default rather than hiding the generation.
  const shape = generationInputSchema.shape;
  const field = <K extends keyof GenerationInput>(key: K): GenerationInput[K] => {
    const checked = shape[key].safeParse(candidate[key]);
    return checked.success ? (checked.data as GenerationInput[K]) : base[key];
  };
  return {
    ...base,
    prompt: field('prompt'),
    negativePrompt: field('negativePrompt'),
    modelId: field('modelId'),
    sampler: field('sampler'),
    stylePreset: field('stylePreset'),
    cfgScale: field('cfgScale'),
    steps: field('steps'),
    seed: field('seed'),
    width: field('width'),
    height: field('height'),
  };
};
