import { randomInt } from 'node:crypto';
import { formatInfo, samplerName } from '../../../src-shared/formats';
import type { GenerationKind } from '../../../src-shared/formats';
import { generationInputSchema, maxSeed } from '../../../src-shared/generation';
import type { ModelConfig, Settings } from '../../../src-shared/settings';
import { StudioError } from '../errors';
import type { AreaHandlers } from '../handlers';

/**
 * The configured model with this ID; when the ID is empty, the first that can do `kind` (an
 * upscaler listed first is not the one to Dream with), else the first.
 */
export const findModel = (
  settings: Settings,
  modelId: string,
  kind: GenerationKind = 'txt2img',
): ModelConfig | undefined =>
  modelId
    ? settings.models.find((m) => m.modelId === modelId)
    : (settings.models.find((m) => formatInfo[m.format].kinds.includes(kind)) ?? settings.models[0]);

/** Like findModel, but says what to do when there is none. */
export const modelFor = (settings: Settings, modelId: string, kind?: GenerationKind): ModelConfig => {
  const model = findModel(settings, modelId, kind);
  if (model) return model;
  throw modelId
    ? new StudioError(
        'settings.no_model',
        `Model "${modelId}" is not configured.`,
        'Pick a model, or add it in Settings.',
      )
    : new StudioError(
        'settings.no_model',
        'No SageMaker endpoint is configured yet.',
        'Open Settings and add a model.',
      );
};

const randomSeed = (): number => randomInt(1, maxSeed + 1);
/** Seed for image i: the user's seed + i (wrapping, never 0, which means "random"), or a fresh random one. */
export const seedFor = (base: number, i: number): number =>
  base === 0 ? randomSeed() : ((base - 1 + i) % maxSeed) + 1;

/** What the sidebar offers: models, their samplers, the defaults of their format. */
export const modelHandlers = (
  settings: () => Settings,
): AreaHandlers<'listModels' | 'listSamplers' | 'getDefaultInput' | 'getDefaultCount'> => ({
  listModels: async () =>
    settings().models.map((m) => ({
      id: m.modelId,
      name: m.modelName || m.modelId,
      endpointName: m.endpointName,
      format: m.format,
      sizes: formatInfo[m.format].sizes.map(([width, height]) => ({ width, height })),
    })),
  listSamplers: async (input) => {
    const model = findModel(settings(), input?.modelId ?? '');
    return (model ? formatInfo[model.format].samplers : []).map((id) => ({ id, name: samplerName(id) }));
  },
  getDefaultInput: async (input) => {
    const model = findModel(settings(), input?.modelId ?? '');
    const defaults = formatInfo[model?.format ?? 'stability'].defaults;
    return { ...generationInputSchema.parse({ prompt: '-', ...defaults }), prompt: '', modelId: model?.modelId ?? '' };
  },
  getDefaultCount: async () => formatInfo[findModel(settings(), '')?.format ?? 'stability'].defaultCount,
});
