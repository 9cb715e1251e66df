import { describe, expect, it } from 'vitest';
import {
  boxModels,
  boxTakesStrength,
  boxTakesStyles,
  modelOfBox,
  sizeRuleOf,
} from '../../src-renderer/Edit/box-models';
import { snapSize } from '../../src-renderer/Edit/model';

const sdxl = {
  id: 'sdxl',
  name: 'SDXL',
  format: 'stability',
  sizes: [
    { width: 1024, height: 1024 },
    { width: 1536, height: 640 },
  ],
};
const inpaint = {
  id: 'inpaint',
  name: 'SD 2 inpainting',
  format: 'jumpstart-inpaint',
  sizes: [{ width: 512, height: 512 }],
};
const text = { id: 'sd21', name: 'SD 2.1', format: 'jumpstart-sd' };
const upscaler = { id: 'x4', name: 'x4', format: 'jumpstart-upscale-x4' };

describe('the models a dream box offers', () => {
  it('are the ones whose format edits images (img2img, inpaint or outpaint), in the configured order', () => {
    expect(boxModels([text, sdxl, upscaler, inpaint]).map((m) => m.id)).toEqual(['sdxl', 'inpaint']);
    expect(boxModels(undefined)).toEqual([]);
    expect(modelOfBox({ modelId: 'inpaint' }, [sdxl, inpaint])?.id).toBe('inpaint');
    // A model that cannot edit (or is gone) falls back to the first that can.
    expect(modelOfBox({ modelId: 'sd21' }, [text, sdxl, inpaint])?.id).toBe('sdxl');
    expect(modelOfBox({ modelId: '' }, [text])).toBeUndefined();
  });

  it('size the box by the model: its list for SDXL, the format’s range for SD 2 inpainting', () => {
    expect(sizeRuleOf(sdxl)).toEqual({ sizes: sdxl.sizes });
    expect(snapSize(sizeRuleOf(sdxl), { width: 1400, height: 600 })).toEqual({ width: 1536, height: 640 });
    expect(sizeRuleOf(inpaint).range).toEqual({ min: 256, max: 1024, step: 8 });
    expect(snapSize(sizeRuleOf(inpaint), { width: 700, height: 333 })).toEqual({ width: 704, height: 336 });
    // No model yet: SDXL's nine sizes.
    expect(sizeRuleOf(undefined).sizes).toHaveLength(9);
  });

  it('show style and strength only where the model takes them', () => {
    expect([boxTakesStyles(sdxl), boxTakesStrength(sdxl)]).toEqual([true, true]);
    expect([boxTakesStyles(inpaint), boxTakesStrength(inpaint)]).toEqual([false, false]);
  });
});
