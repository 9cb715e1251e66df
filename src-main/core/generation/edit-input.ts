import { allowedSizesText, formatInfo, isAllowedSize, kindOf, maskedKinds } from '../../../src-shared/formats';
import type { GenerationKind } from '../../../src-shared/formats';
import type { GenerationInput } from '../../../src-shared/generation';
import type { ModelConfig } from '../../../src-shared/settings';
import { StudioError } from '../errors';

const invalid = (message: string, hint?: string): StudioError => new StudioError('input.invalid', message, hint);

const kindWords: Record<GenerationKind, string> = {
  txt2img: 'make images from text alone',
  img2img: 'take an image to start from',
  inpaint: 'inpaint (repaint inside a mask)',
  outpaint: 'outpaint (paint past an image’s edge)',
  upscale: 'upscale images',
};

/** The formats that can do a kind, for the hint of a refusal. */
const whoCan = (kind: GenerationKind): string =>
  Object.values(formatInfo)
    .filter((info) => info.kinds.includes(kind))
    .map((info) => info.label)
    .join(' or ');

/** Refuses an input whose images do not fit what it asks for. */
const checkImages = (input: GenerationInput, kind: GenerationKind): void => {
  const masked = maskedKinds.includes(kind);
  if (kind !== 'txt2img' && !input.initImage)
    throw invalid(`To ${kindWords[kind]}, choose the image first.`, 'Add an image, or pick text-to-image.');
  if (masked && !input.maskImage)
    throw invalid(
      `${kind === 'inpaint' ? 'Inpainting' : 'Outpainting'} needs a mask: white where to paint, black where to keep.`,
      'Erase the part of the image to repaint, inside the box.',
    );
  if (input.maskImage && !masked)
    throw invalid(`A mask only goes with inpainting or outpainting, not ${kind}.`, 'Remove the mask.');
};

/** The input as the model's format takes it, or why it cannot. */
export const inputFor = (model: ModelConfig, requested: GenerationInput): GenerationInput => {
  const input: GenerationInput = { ...requested, modelId: model.modelId };
  const info = formatInfo[model.format];
  const kind = kindOf(input);
  const name = model.modelName || model.modelId;
  if (!info.kinds.includes(kind)) {
    if (kind === 'img2img')
      throw invalid(
        `${info.label} models do not take an image to start from.`,
        'Remove the image, or pick an SDXL (stability) model.',
      );
    throw invalid(`${name} (${info.label}) cannot ${kindWords[kind]}.`, `Pick a model of format ${whoCan(kind)}.`);
  }
  checkImages(input, kind);
  if (!isAllowedSize(model.format, input.width, input.height)) {
    throw invalid(
      `${input.width}×${input.height} is not a size ${name} can ${kind === 'upscale' ? 'upscale' : 'make'}.`,
      `Sizes for ${info.label}: ${allowedSizesText(model.format)}.`,
    );
  }
  if (!info.samplers.includes(input.sampler)) input.sampler = '';
  if (!info.stylePresets) input.stylePreset = '';
  return input;
};

/** The size of the images a generation makes: the input's, or that times the upscaler's factor. */
export const outputSize = (model: ModelConfig, input: GenerationInput): { width: number; height: number } => {
  const factor = formatInfo[model.format].upscaleFactor ?? 1;
  return { width: input.width * factor, height: input.height * factor };
};
