import { showError, showInfo } from '../Toast';
import { boundsOf } from './model';
import { encodePng, renderBox } from './render';
import { useEditorStore } from './store';

/** The longest side an export may have (a canvas larger than this is refused by browsers). */
const maxExportSide = 16_384;

const download = (bytes: Uint8Array<ArrayBuffer>, name: string): void => {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
};

/**
 * Downloads a PNG of the selection (the selected box's region with every visible layer, or the
 * selected layer alone with its strokes) or, with nothing selected, of every visible layer.
 */
export const exportPng = async (): Promise<void> => {
  const { stack, selectedId, urls } = useEditorStore.getState();
  const { layers, boxes } = stack.present;
  const box = boxes.find((b) => b.id === selectedId);
  const layer = layers.find((l) => l.id === selectedId);
  const region = box
    ? { x: box.x, y: box.y, width: box.width, height: box.height }
    : layer
      ? boundsOf([{ ...layer, visible: true }])
      : boundsOf(layers);
  if (!region) {
    showInfo('Nothing to export', 'Add an image first (or show a hidden layer).');
    return;
  }
  const rounded = {
    x: Math.floor(region.x),
    y: Math.floor(region.y),
    width: Math.max(1, Math.ceil(region.x + region.width) - Math.floor(region.x)),
    height: Math.max(1, Math.ceil(region.y + region.height) - Math.floor(region.y)),
  };
  if (rounded.width > maxExportSide || rounded.height > maxExportSide) {
    showError(
      'Too large to export',
      new Error(`The export would be ${rounded.width}×${rounded.height} pixels; at most ${maxExportSide} a side.`),
    );
    return;
  }
  try {
    const { pixels } = await renderBox(rounded, layer && !box ? [{ ...layer, visible: true }] : layers, urls);
    const name = box ? 'dream-box' : layer ? layer.name.replace(/[^\w-]+/g, '-').slice(0, 60) || 'layer' : 'canvas';
    download(await encodePng(pixels), `${name}.png`);
  } catch (error) {
    showError('Could not export the PNG', error);
  }
};
