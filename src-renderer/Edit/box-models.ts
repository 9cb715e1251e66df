import { formatInfo, payloadFormats } from '../../src-shared/formats';
import type { PayloadFormat } from '../../src-shared/formats';
import type { StableDiffusionModel } from '@stability/stablestudio-plugin';
import type { Box, SizeRule } from './model';

/** The models a dream box can use (what the Generate sidebar lists, narrowed to editing models) and their sizes. Pure. */

const isPayloadFormat = (format: string | undefined): format is PayloadFormat =>
  (payloadFormats as readonly string[]).includes(format ?? '');

/** Whether a model can fill a box: its format does image-to-image, inpainting or outpainting. */
export const editsImages = (model: StableDiffusionModel): boolean =>
  isPayloadFormat(model.format) &&
  formatInfo[model.format].kinds.some((kind) => kind === 'img2img' || kind === 'inpaint' || kind === 'outpaint');

/** The configured models a box may use. */
export const boxModels = (models: readonly StableDiffusionModel[] | undefined): StableDiffusionModel[] =>
  (models ?? []).filter(editsImages);

/** The box's model: the one it names, else the first editing model. */
export const modelOfBox = (
  box: Pick<Box, 'modelId'>,
  models: readonly StableDiffusionModel[] | undefined,
): StableDiffusionModel | undefined => {
  const usable = boxModels(models);
  return usable.find((m) => m.id === box.modelId) ?? usable[0];
};

/** The sizes a model makes: its format's range when it has one, else its list (SDXL's nine when unknown). */
export const sizeRuleOf = (model: StableDiffusionModel | undefined): SizeRule => {
  const format = isPayloadFormat(model?.format) ? model.format : 'stability';
  const info = formatInfo[format];
  const sizes =
    model?.sizes && model.sizes.length > 0 ? model.sizes : info.sizes.map(([width, height]) => ({ width, height }));
  return info.sizeRange ? { sizes, range: info.sizeRange } : { sizes };
};

/** Whether the model takes style presets. */
export const boxTakesStyles = (model: StableDiffusionModel | undefined): boolean =>
  !isPayloadFormat(model?.format) || formatInfo[model.format].stylePresets;

/** Whether the model does image-to-image (a box without transparency). */
export const boxTakesStrength = (model: StableDiffusionModel | undefined): boolean =>
  !isPayloadFormat(model?.format) || formatInfo[model.format].kinds.includes('img2img');
