import { z } from '../Zod';
import { samplerNames } from '../../src-shared/formats';
import { stabilitySamplers, stylePresets } from '../../src-shared/sdxl';

/** What a PNG says about how it was made; absent fields were not in the file. */
export interface ImportedParameters {
  prompt: string;
  negativePrompt?: string;
  steps?: number;
  cfgScale?: number;
  seed?: number;
  width?: number;
  height?: number;
  /** A sampler ID of the stability format ('' = the model's default), when the name was recognised. */
  sampler?: string;
  /** The model as the file names it (an ID here, a checkpoint name elsewhere). */
  model?: string;
  style?: string;
  imageStrength?: number;
}

const finite = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
};

/** AUTOMATIC1111's sampler names (and a few spellings of other tools) → stability sampler IDs. */
const samplerAliases: Record<string, string> = {
  default: '',
  'euler a': 'K_EULER_ANCESTRAL',
  'euler ancestral': 'K_EULER_ANCESTRAL',
  euler_a: 'K_EULER_ANCESTRAL',
  euler: 'K_EULER',
  lms: 'K_LMS',
  heun: 'K_HEUN',
  dpm2: 'K_DPM_2',
  'dpm 2': 'K_DPM_2',
  dpm_2: 'K_DPM_2',
  'dpm2 a': 'K_DPM_2_ANCESTRAL',
  'dpm2 ancestral': 'K_DPM_2_ANCESTRAL',
  dpm_2_ancestral: 'K_DPM_2_ANCESTRAL',
  'dpm++ 2s a': 'K_DPMPP_2S_ANCESTRAL',
  'dpm++ 2s ancestral': 'K_DPMPP_2S_ANCESTRAL',
  dpmpp_2s_ancestral: 'K_DPMPP_2S_ANCESTRAL',
  'dpm++ 2m': 'K_DPMPP_2M',
  dpmpp_2m: 'K_DPMPP_2M',
  'dpm++ sde': 'K_DPMPP_SDE',
  'dpm++ 2m sde': 'K_DPMPP_SDE',
  'dpm++ 3m sde': 'K_DPMPP_SDE',
  dpmpp_sde: 'K_DPMPP_SDE',
  dpmpp_2m_sde: 'K_DPMPP_SDE',
  ddim: 'DDIM',
  ddpm: 'DDPM',
  // And the names this app shows.
  ...Object.fromEntries(Object.entries(samplerNames).map(([id, name]) => [name.toLowerCase(), id])),
};

/** A sampler name from any tool → a stability sampler ID, or undefined when unknown. */
export const samplerFromName = (name: string): string | undefined => {
  const trimmed = name.trim();
  const upper = trimmed.toUpperCase();
  if ((stabilitySamplers as readonly string[]).includes(upper)) return upper;
  // Schedules ride along in older names ("DPM++ 2M Karras"); the sampler is what matters here.
  const normal = trimmed
    .toLowerCase()
    .replace(/\b(karras|exponential|polyexponential|uniform|sgm uniform|beta|normal|simple)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return samplerAliases[normal];
};

/** AUTOMATIC1111's own pattern for `Key: value` pairs, values optionally quoted (they may hold commas). */
const pairPattern = /\s*(\w[\w \-/+().]*):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/g;

const parsePairs = (line: string): Map<string, string> => {
  const pairs = new Map<string, string>();
  for (const match of line.matchAll(pairPattern)) {
    const key = match[1]?.trim().toLowerCase();
    let value = match[2]?.trim() ?? '';
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (key) pairs.set(key, value);
  }
  return pairs;
};

/**
 * AUTOMATIC1111's `parameters` text: the prompt, then an optional line starting
 * "Negative prompt:", then one line of "Steps: 30, Sampler: Euler a, CFG scale: 7, …".
 */
export const parseA1111 = (text: string): ImportedParameters | undefined => {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let settingsIndex = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/(^|,\s*)Steps:\s*\d/.test(lines[i] ?? '')) {
      settingsIndex = i;
      break;
    }
  }
  const textLines = settingsIndex === -1 ? lines : lines.slice(0, settingsIndex);
  const negativeAt = textLines.findIndex((line) => line.startsWith('Negative prompt:'));
  const promptLines = negativeAt === -1 ? textLines : textLines.slice(0, negativeAt);
  const prompt = promptLines.join('\n').trim();
  if (prompt === '') return undefined;
  const out: ImportedParameters = { prompt };
  if (negativeAt !== -1) {
    out.negativePrompt = textLines.slice(negativeAt).join('\n').slice('Negative prompt:'.length).trim();
  }
  if (settingsIndex === -1) return out;

  const pairs = parsePairs(lines.slice(settingsIndex).join(', '));
  const steps = finite(pairs.get('steps'));
  if (steps !== undefined) out.steps = Math.round(steps);
  const cfg = finite(pairs.get('cfg scale'));
  if (cfg !== undefined) out.cfgScale = cfg;
  const seed = finite(pairs.get('seed'));
  if (seed !== undefined && seed >= 0) out.seed = Math.floor(seed);
  const size = /^(\d+)\s*x\s*(\d+)$/i.exec(pairs.get('size') ?? '');
  if (size?.[1] && size[2]) {
    out.width = Number(size[1]);
    out.height = Number(size[2]);
  }
  const samplerName = pairs.get('sampler');
  if (samplerName !== undefined) {
    const sampler = samplerFromName(samplerName);
    if (sampler !== undefined) out.sampler = sampler;
  }
  const model = pairs.get('model');
  if (model) out.model = model;
  const style = pairs.get('style');
  if (style && (stylePresets as readonly string[]).includes(style)) out.style = style;
  const denoising = finite(pairs.get('denoising strength'));
  if (denoising !== undefined && denoising >= 0 && denoising <= 1) out.imageStrength = 1 - denoising;
  return out;
};

/** Our own JSON chunk (`stablestudio`): the full input plus the image's real seed and size. */
const ourChunk = z.object({
  input: z.object({
    prompt: z.string().min(1),
    negativePrompt: z.string().optional(),
    modelId: z.string().optional(),
    sampler: z.string().optional(),
    stylePreset: z.string().optional(),
    cfgScale: z.number().optional(),
    steps: z.number().optional(),
    imageStrength: z.number().min(0).max(1).optional(),
  }),
  seed: z.number().int().min(0).optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  model: z.string().optional(),
});

export const parseStableStudio = (json: string): ImportedParameters | undefined => {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = ourChunk.safeParse(data);
  if (!parsed.success) return undefined;
  const { input, seed, width, height, model } = parsed.data;
  const out: ImportedParameters = { prompt: input.prompt };
  if (input.negativePrompt !== undefined) out.negativePrompt = input.negativePrompt;
  if (input.steps !== undefined) out.steps = input.steps;
  if (input.cfgScale !== undefined) out.cfgScale = input.cfgScale;
  if (input.sampler !== undefined) out.sampler = input.sampler;
  if (input.stylePreset !== undefined) out.style = input.stylePreset;
  if (input.imageStrength !== undefined) out.imageStrength = input.imageStrength;
  if (seed !== undefined) out.seed = seed;
  if (width !== undefined && height !== undefined) {
    out.width = width;
    out.height = height;
  }
  const modelId = input.modelId || model;
  if (modelId) out.model = modelId;
  return out;
};

/** The parameters a PNG carries: ours first (complete), else AUTOMATIC1111's text. */
export const parametersFromText = (chunks: Map<string, string>): ImportedParameters | undefined => {
  const ours = chunks.get('stablestudio');
  const fromOurs = ours ? parseStableStudio(ours) : undefined;
  if (fromOurs) return fromOurs;
  const a1111 = chunks.get('parameters');
  return a1111 ? parseA1111(a1111) : undefined;
};
