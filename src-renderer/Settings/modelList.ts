import { z } from '../Zod';
import { payloadFormats } from '../../src-shared/formats';
import type { PayloadFormat } from '../../src-shared/formats';
import { modelConfigSchema } from '../../src-shared/settings';
import type { ModelConfig } from '../../src-shared/settings';

/**
 * A first guess at an endpoint's payload format from its name; the user can
 * change it. JumpStart names SD 2.x endpoints after the model
 * (`jumpstart-dft-stable-diffusion-2-1-base`), diffusers ones say so; the inpainting
 * and x4 upscaler models say what they do (`…-stable-diffusion-2-inpainting`,
 * `…-stable-diffusion-x4-upscaler-fp16`).
 */
export const guessFormat = (endpointName: string): PayloadFormat => {
  const name = endpointName.toLowerCase();
  if (/inpaint/.test(name)) return 'jumpstart-inpaint';
  if (/upscal|(^|[^a-z0-9])x4([^0-9]|$)/.test(name)) return 'jumpstart-upscale-x4';
  // `sd-2` but not a date such as `sd-2024…`.
  if (/sd-?2(?!\d{2})|stable-diffusion-v?2/.test(name)) return 'jumpstart-sd';
  if (/(^|[^a-z])hf([^a-z]|$)|huggingface|diffusers/.test(name)) return 'hf-diffusers';
  return 'stability';
};

/** A model ID not yet in `taken`: the wanted one, else with -2, -3 … appended. */
export const uniqueModelId = (wanted: string, taken: ReadonlySet<string>): string => {
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) {
    const candidate = `${wanted}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
};

/** One row of the browser plugin's list; `format` is ours and optional. */
const pastedModelSchema = modelConfigSchema.extend({
  format: z.enum(payloadFormats, { error: `must be one of ${payloadFormats.join(', ')}` }).optional(),
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the user may have copied: the list itself, the list as a JSON string
 * (the plugin's setting value), the setting object `{type, value}`, an object
 * with `modelConfiguration` or `models`, or one model on its own.
 */
const unwrapList = (value: unknown, depth = 0): unknown => {
  if (depth > 4) return value;
  if (typeof value === 'string') {
    try {
      return unwrapList(JSON.parse(value), depth + 1);
    } catch {
      return value;
    }
  }
  if (!isRecord(value)) return value;
  for (const key of ['modelConfiguration', 'models', 'value']) {
    if (key in value) return unwrapList(value[key], depth + 1);
  }
  return 'modelId' in value || 'endpointName' in value ? [value] : value;
};

const shapeHint =
  'Expected a JSON array like [{"modelId": "sdxl", "modelName": "SDXL 1.0", "endpointName": "my-endpoint"}].';

export type ParsedModelList = { ok: true; models: ModelConfig[] } | { ok: false; error: string };

/** The browser plugin's hand-typed model list → model rows, or one message saying what is wrong. */
export const parseModelList = (text: string): ParsedModelList => {
  if (text.trim() === '') return { ok: false, error: `Nothing to import. ${shapeHint}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `This is not valid JSON (${detail}). ${shapeHint}` };
  }
  const list = unwrapList(json);
  if (!Array.isArray(list)) return { ok: false, error: `Not a list of models. ${shapeHint}` };
  if (list.length === 0) return { ok: false, error: 'The list is empty: nothing to import.' };
  const models: ModelConfig[] = [];
  const seen = new Map<string, number>();
  for (const [index, row] of list.entries()) {
    const position = `Model ${index + 1}`;
    if (!isRecord(row)) return { ok: false, error: `${position} is not an object. ${shapeHint}` };
    const parsed = pastedModelSchema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      const message =
        issue?.code === 'invalid_type' && field !== ''
          ? `${field} ${row[field] === undefined ? 'is missing' : 'must be a string'}`
          : [field, issue?.message ?? 'is invalid']
              .filter(Boolean)
              .join(issue?.message.startsWith('must') ? ' ' : ': ');
      return { ok: false, error: `${position}: ${message}.` };
    }
    const first = seen.get(parsed.data.modelId);
    if (first !== undefined) {
      return { ok: false, error: `${position} repeats the model ID "${parsed.data.modelId}" of model ${first + 1}.` };
    }
    seen.set(parsed.data.modelId, index);
    models.push({ ...parsed.data, format: parsed.data.format ?? guessFormat(parsed.data.endpointName) });
  }
  return { ok: true, models };
};
