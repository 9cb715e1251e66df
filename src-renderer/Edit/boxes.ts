import { monotonicFactory } from 'ulid';
import { Form } from '../Generation';
import { boxTakesStyles, modelOfBox, sizeRuleOf } from './box-models';
import { snapSize } from './model';
import type { Box } from './model';

export { boxModels, boxTakesStrength, boxTakesStyles, editsImages, modelOfBox, sizeRuleOf } from './box-models';

const newBoxId = monotonicFactory();

/**
 * A new box centred at `centre` (canvas pixels), with the Generate sidebar's current values; its
 * size is the sidebar's when the model makes it, else the nearest the model does.
 */
export const newBox = (centre: { x: number; y: number }): Box => {
  const form = Form.get();
  const model = modelOfBox({ modelId: form.model }, form.models);
  const size = snapSize(sizeRuleOf(model), form.size);
  return {
    id: newBoxId(),
    x: Math.round(centre.x - size.width / 2),
    y: Math.round(centre.y - size.height / 2),
    width: size.width,
    height: size.height,
    prompt: form.prompt.slice(0, 2000),
    negativePrompt: form.negativePrompt.slice(0, 2000),
    modelId: model?.id ?? '',
    stylePreset: boxTakesStyles(model) ? form.style.slice(0, 100) : '',
    count: form.count,
    cfgScale: form.cfgScale,
    steps: form.steps,
    seed: form.seedLocked ? form.seed : 0,
    strength: form.imageStrength,
  };
};
