import { describe, expect, it } from 'vitest';
import { guessFormat, parseModelList, uniqueModelId } from '../../src-renderer/Settings/modelList';

describe('pasting the browser plugin’s model list', () => {
  const list = [
    { modelId: 'sdxl', modelName: 'SDXL 1.0', endpointName: 'sdxl-1-0-prod' },
    { modelId: 'sd21', modelName: 'SD 2.1', endpointName: 'jumpstart-sd21-base' },
  ];

  it('reads the array, or the plugin’s setting value (the array as a JSON string)', () => {
    for (const text of [JSON.stringify(list), JSON.stringify(JSON.stringify(list))]) {
      const parsed = parseModelList(text);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) {
        expect(parsed.models.map((m) => [m.modelId, m.endpointName, m.format])).toEqual([
          ['sdxl', 'sdxl-1-0-prod', 'stability'],
          ['sd21', 'jumpstart-sd21-base', 'jumpstart-sd'],
        ]);
      }
    }
  });

  it.each([
    ['not json', /JSON/i],
    ['{"foo": 1}', /./],
    [JSON.stringify([{ modelId: 'a' }]), /endpointName/],
    [JSON.stringify([{ modelId: 'a', endpointName: '-bad-' }]), /./],
    [
      JSON.stringify([
        { modelId: 'a', endpointName: 'x' },
        { modelId: 'a', endpointName: 'y' },
      ]),
      /./,
    ],
  ])('refuses %s with a message', (text, message) => {
    const parsed = parseModelList(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('guesses the payload format from the endpoint name', () => {
    expect(guessFormat('sdxl-1-0-jumpstart-2024')).toBe('stability');
    expect(guessFormat('stable-diffusion-2-1-base')).toBe('jumpstart-sd');
    expect(guessFormat('hf-sdxl-diffusers')).toBe('hf-diffusers');
  });

  it('recognises inpainting and upscaler endpoints by their names', () => {
    expect(guessFormat('jumpstart-dft-stable-diffusion-2-inpainting')).toBe('jumpstart-inpaint');
    expect(guessFormat('sd2-Inpaint-prod')).toBe('jumpstart-inpaint');
    expect(guessFormat('jumpstart-dft-stable-diffusion-x4-upscaler-fp16')).toBe('jumpstart-upscale-x4');
    expect(guessFormat('my-upscaler')).toBe('jumpstart-upscale-x4');
    expect(guessFormat('sd-x4')).toBe('jumpstart-upscale-x4');
    // Not every "x4" is an upscaler: a name that merely contains the letters is left alone.
    expect(guessFormat('sdxl-box42')).toBe('stability');
    expect(guessFormat('sdxl-1-0-x48')).toBe('stability');
  });

  it('keeps model IDs unique', () => {
    expect(uniqueModelId('sdxl', new Set(['sdxl', 'sdxl-2']))).toBe('sdxl-3');
    expect(uniqueModelId('new', new Set(['sdxl']))).toBe('new');
  });
});
