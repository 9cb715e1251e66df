import { unwrap } from '@stability/stablestudio-plugin';
import { addEditorImageFromLibrary, generateEdit, uploadInitImage } from '../app-services';
import { Form, upscalerOf } from '../Generation';
import { showError, showInfo } from '../Toast';
import { encodePng, renderBox } from './render';
import { addScaledLayer, useEditorStore } from './store';

/**
 * Upscale ×4 of the selected layer (its pixels with its strokes), through the configured upscaler:
 * the result is a new layer over it, scaled down by 4 so it keeps the same size on the canvas.
 */
export const upscaleSelectedLayer = async (): Promise<void> => {
  const { stack, selectedId, urls } = useEditorStore.getState();
  const layer = stack.present.layers.find((l) => l.id === selectedId);
  if (!layer) {
    showInfo('Select a layer to upscale', 'Upscale ×4 works on the selected image layer.');
    return;
  }
  const model = upscalerOf(Form.get().models);
  if (!model) {
    showInfo('No upscaler', 'Add a model of the jumpstart-upscale-x4 format in Settings to upscale.');
    return;
  }
  try {
    const own = { ...layer, x: 0, y: 0, scaleX: 1, scaleY: 1, visible: true };
    const { pixels } = await renderBox({ x: 0, y: 0, width: layer.width, height: layer.height }, [own], urls);
    const source = unwrap(await uploadInitImage(await encodePng(pixels), 'layer.png'));
    showInfo('Upscaling', `“${layer.name || 'Untitled'}” ×4; the result comes as a new layer.`);
    const generation = await generateEdit({
      input: {
        prompt: layer.made?.input.prompt || 'a photo',
        modelId: model.id,
        kind: 'upscale',
        width: layer.width,
        height: layer.height,
        initImage: { kind: 'upload', id: source.id },
      },
      count: 1,
    });
    const made = generation.images[0];
    if (!made) throw new Error(generation.failures[0]?.error.message ?? 'No image was made.');
    const image = await addEditorImageFromLibrary(generation.id, made.id);
    addScaledLayer(image, `${layer.name || 'Untitled'} ×4`, layer);
  } catch (error) {
    showError('Could not upscale the layer', error);
  }
};
