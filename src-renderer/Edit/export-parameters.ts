import type { EditorBox, EditorImageLayer } from '../../src-shared/editor';
import { generationInputSchema } from '../../src-shared/generation';
import type { GenerateRequest } from '../../src-shared/generation';
import type { ImageParameters } from '../../src-shared/png-params';

/** What was exported: its size, and the box or layer it is (absent: the whole canvas). */
export interface ExportedRegion {
  width: number;
  height: number;
  box?: EditorBox;
  layer?: EditorImageLayer;
}

/** A box's parameters as a generation's (when it has a prompt): what the history records with its pixels. */
export const boxInput = (box: EditorBox): GenerateRequest['input'] | undefined =>
  box.prompt.trim()
    ? {
        prompt: box.prompt,
        negativePrompt: box.negativePrompt,
        modelId: box.modelId,
        stylePreset: box.stylePreset,
        cfgScale: box.cfgScale,
        steps: box.steps,
        seed: box.seed,
        imageStrength: box.strength,
        kind: 'img2img',
      }
    : undefined;

/**
 * The parameters an export carries (the same chunks as Save as PNG): an accepted result layer's
 * generation's, a box's own (when it has a prompt); none for the canvas or a plain image.
 */
export const parametersOf = (rendered: ExportedRegion): ImageParameters | undefined => {
  const size = { width: rendered.width, height: rendered.height };
  if (rendered.layer?.made) {
    const { input, seed, model } = rendered.layer.made;
    return { input, seed, model, ...size };
  }
  const input = rendered.box ? boxInput(rendered.box) : undefined;
  if (!rendered.box || !input) return undefined;
  return {
    input: generationInputSchema.parse({ ...input, ...size }),
    seed: rendered.box.seed,
    model: rendered.box.modelId,
    ...size,
  };
};
