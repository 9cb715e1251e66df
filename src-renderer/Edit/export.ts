import type { EditorBox, EditorImageLayer } from '../../src-shared/editor';
import { withParameters } from '../../src-shared/png-params';
import { sendToHistory } from '../app-services';
import { showError, showInfo } from '../Toast';
import { boxInput, parametersOf } from './export-parameters';
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

/** What the toolbar's actions take: the selection (or everything) as PNG bytes, and what it is. */
interface Rendered {
  bytes: Uint8Array<ArrayBuffer>;
  name: string;
  width: number;
  height: number;
  box?: EditorBox;
  layer?: EditorImageLayer;
}

/**
 * A PNG of the selection (the selected box's region with every visible layer, or the selected
 * layer alone with its strokes) or, with nothing selected, of every visible layer. Says why not
 * (and answers nothing) when there is nothing to render or it is too large.
 */
const renderSelection = async (what: string): Promise<Rendered | undefined> => {
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
    showInfo(`Nothing to ${what}`, 'Add an image first (or show a hidden layer).');
    return undefined;
  }
  const rounded = {
    x: Math.floor(region.x),
    y: Math.floor(region.y),
    width: Math.max(1, Math.ceil(region.x + region.width) - Math.floor(region.x)),
    height: Math.max(1, Math.ceil(region.y + region.height) - Math.floor(region.y)),
  };
  if (rounded.width > maxExportSide || rounded.height > maxExportSide) {
    showError(
      `Too large to ${what}`,
      new Error(`The image would be ${rounded.width}×${rounded.height} pixels; at most ${maxExportSide} a side.`),
    );
    return undefined;
  }
  const { pixels } = await renderBox(rounded, layer && !box ? [{ ...layer, visible: true }] : layers, urls);
  const name = box ? 'dream-box' : layer ? layer.name.replace(/[^\w-]+/g, '-').slice(0, 60) || 'layer' : 'canvas';
  return {
    bytes: await encodePng(pixels),
    name,
    width: rounded.width,
    height: rounded.height,
    ...(box ? { box } : layer ? { layer } : {}),
  };
};

/** Downloads a PNG of the selection or, with nothing selected, of every visible layer. */
export const exportPng = async (): Promise<void> => {
  try {
    const rendered = await renderSelection('export');
    if (!rendered) return;
    const parameters = parametersOf(rendered);
    download(parameters ? withParameters(rendered.bytes, parameters) : rendered.bytes, `${rendered.name}.png`);
  } catch (error) {
    showError('Could not export the PNG', error);
  }
};

/** Keeps the selection (or everything) as a new generation of the history. */
export const sendSelectionToHistory = async (): Promise<void> => {
  try {
    const rendered = await renderSelection('send');
    if (!rendered) return;
    const made = rendered.layer?.made;
    // A layer's own generation's parameters, with the seed its image was made with.
    const input = made ? { ...made.input, seed: made.seed } : rendered.box ? boxInput(rendered.box) : undefined;
    await sendToHistory(rendered.bytes, input);
    showInfo('Sent to the history', 'It is the newest generation in the Generate tab.');
  } catch (error) {
    showError('Could not send it to the history', error);
  }
};
