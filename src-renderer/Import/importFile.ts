// First: zod's config, before the parameter schemas are built.
import '../Zod';
import { toPrompts } from '@stability/stablestudio-plugin';
import type { StableDiffusionInput } from '@stability/stablestudio-plugin';
import { maxSeed, stylePresets } from '../../src-shared/sdxl';
import { Form, reuseParameters, selectModel, selectedModel } from '../Generation';
import { showError, showInfo } from '../Toast';
import { firstImage, uploadInitImage } from '../Upload';
import { parametersFromText } from './parameters';
import type { ImportedParameters } from './parameters';
import { isPng, readPngText } from './pngText';

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** The file's parameters over the sidebar's current values (what the file does not say stays). */
const toInput = (p: ImportedParameters): { input: StableDiffusionInput; modelChanged: boolean } => {
  const state = Form.get();
  const wanted = p.model?.toLowerCase();
  const match = wanted
    ? state.models?.find((m) => m.id.toLowerCase() === wanted || m.name?.toLowerCase() === wanted)
    : undefined;
  const model = match ?? selectedModel(state);
  const knownSampler = p.sampler !== undefined && (p.sampler === '' || state.samplers.some((s) => s.id === p.sampler));
  const knownStyle = p.style !== undefined && (p.style === '' || (stylePresets as readonly string[]).includes(p.style));
  const seed = p.seed !== undefined ? clamp(p.seed, 0, maxSeed) : state.seedLocked ? state.seed : 0;
  const sampler = knownSampler && p.sampler !== undefined ? p.sampler : state.sampler;
  const input: StableDiffusionInput = {
    prompts: toPrompts(p.prompt, p.negativePrompt ?? ''),
    model: model?.id ?? state.model,
    sampler: { id: sampler, name: sampler },
    style: knownStyle && p.style !== undefined ? p.style : state.style,
    cfgScale: clamp(p.cfgScale ?? state.cfgScale, 0, 35),
    steps: Math.round(clamp(p.steps ?? state.steps, 10, 150)),
    seed,
    width: p.width ?? state.size.width,
    height: p.height ?? state.size.height,
    initialImage: {
      weight: clamp(p.imageStrength ?? state.imageStrength, 0, 1),
      // Importing parameters leaves the init image as it is.
      ...(state.initImage ? { ref: state.initImage.ref } : {}),
    },
  };
  return { input, modelChanged: match !== undefined && match.id !== state.model };
};

/** Reads a PNG's parameters; undefined when it carries none (or is not a PNG). */
export const readParameters = async (file: File): Promise<ImportedParameters | undefined> => {
  const buffer = await file.arrayBuffer();
  if (!isPng(new Uint8Array(buffer, 0, Math.min(8, buffer.byteLength)))) return undefined;
  return parametersFromText(await readPngText(buffer));
};

export const applyParameters = (p: ImportedParameters): void => {
  const { input, modelChanged } = toInput(p);
  reuseParameters(input);
  // A different model may have other samplers and sizes.
  if (modelChanged && input.model) selectModel(input.model);
};

/**
 * Files dropped on the window: a PNG with parameters fills the sidebar; any
 * other image becomes the init image (and says so).
 */
export const importDroppedFiles = async (files: File[]): Promise<void> => {
  const file = firstImage(files);
  if (!file) {
    const name = files[0]?.name;
    showError('Nothing to import', new Error(`${name ? `${name} is not` : 'Drop'} a PNG, JPEG or WebP image.`));
    return;
  }
  let parameters: ImportedParameters | undefined;
  try {
    parameters = await readParameters(file);
  } catch (error) {
    showError(`Could not read ${file.name}`, error);
    return;
  }
  if (parameters) {
    applyParameters(parameters);
    showInfo(`Parameters imported from ${file.name}`, 'The prompt and settings are in the sidebar.');
    return;
  }
  if (await uploadInitImage(file)) {
    showInfo(`${file.name} carries no parameters`, 'It is the init image of the next Dream instead.');
  }
};
