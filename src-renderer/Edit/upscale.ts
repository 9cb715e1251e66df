import { monotonicFactory } from 'ulid';
import { create } from 'zustand';
import { describeError, unwrap } from '@stability/stablestudio-plugin';
import { withHint } from '../../src-shared/errors';
import { addEditorImageFromLibrary, cancelEdit, generateEdit, onEditProgress, uploadInitImage } from '../app-services';
import { Form, upscalerOf } from '../Generation';
import { showInfo } from '../Toast';
import { encodePng, renderBox } from './render';
import { addScaledLayer, useEditorStore } from './store';

/**
 * Upscale ×4 of the selected layer (its pixels with its strokes), through the configured upscaler:
 * the result is a new layer over it, scaled down by 4 so it keeps the same size on the canvas.
 * One at a time; its progress (tile by tile) and its outcome are shown in the Edit tab until
 * dismissed or the next one starts. Of the moment, not part of the document.
 */

export interface UpscaleRun {
  clientId: string;
  /** The layer's name, as the messages say it. */
  layerName: string;
  state: 'preparing' | 'running' | 'done' | 'failed' | 'cancelled';
  /** What is being done now ("Upscaling tile 3 of 9"), while it runs; the outcome, after. */
  message: string;
  /** Cancel was pressed: a request not yet known to the main process is cancelled once it starts. */
  cancelRequested?: boolean;
}

interface UpscaleState {
  run: UpscaleRun | undefined;
}

const useUpscaleStore = create<UpscaleState>()(() => ({ run: undefined }));

const newClientId = monotonicFactory();

/** The upscale shown in the Edit tab (running or its outcome), if any. */
export const useUpscaleRun = (): UpscaleRun | undefined => useUpscaleStore((s) => s.run);

export const isUpscaling = (run: UpscaleRun | undefined): boolean =>
  run?.state === 'preparing' || run?.state === 'running';

const patchRun = (clientId: string, patch: Partial<UpscaleRun>): void => {
  const { run } = useUpscaleStore.getState();
  // A late word of an older run (after a dismiss, say) changes nothing.
  if (run?.clientId !== clientId) return;
  useUpscaleStore.setState({ run: { ...run, ...patch } });
};

const cancelledBeforeStart = 'Upscale cancelled before it started: nothing was kept.';

export const upscaleSelectedLayer = async (): Promise<void> => {
  if (isUpscaling(useUpscaleStore.getState().run)) return;
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
  const clientId = `upscale-${newClientId()}`;
  const layerName = layer.name || 'Untitled';
  useUpscaleStore.setState({
    run: { clientId, layerName, state: 'preparing', message: `Preparing “${layerName}” for Upscale ×4…` },
  });
  const stopped = (): boolean => useUpscaleStore.getState().run?.cancelRequested === true;
  let unsubscribe: (() => void) | undefined;
  try {
    const own = { ...layer, x: 0, y: 0, scaleX: 1, scaleY: 1, visible: true };
    const { pixels } = await renderBox({ x: 0, y: 0, width: layer.width, height: layer.height }, [own], urls);
    const source = unwrap(await uploadInitImage(await encodePng(pixels), 'layer.png'));
    if (stopped()) {
      patchRun(clientId, { state: 'cancelled', message: cancelledBeforeStart });
      return;
    }
    patchRun(clientId, { state: 'running', message: `Upscaling “${layerName}” ×4…` });
    unsubscribe = onEditProgress(clientId, (event) => {
      if (event.type === 'generation.started' && stopped()) void cancelEdit(clientId).catch(() => undefined);
      if (event.type === 'image.progress' && !stopped()) patchRun(clientId, { message: event.message });
    });
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
      clientId,
    });
    const made = generation.images[0];
    if (!made) {
      const failure = generation.failures[0]?.error;
      if (generation.status === 'cancelled' || failure?.code === 'cancelled')
        patchRun(clientId, { state: 'cancelled', message: failure?.message ?? cancelledBeforeStart });
      else
        patchRun(clientId, {
          state: 'failed',
          message: `Could not upscale “${layerName}”: ${failure ? withHint(failure) : 'no image was made.'}`,
        });
      return;
    }
    const image = await addEditorImageFromLibrary(generation.id, made.id);
    addScaledLayer(image, `${layerName} ×4`, layer);
    patchRun(clientId, { state: 'done', message: `“${layerName}” upscaled ×4: the result is a new layer over it.` });
  } catch (error) {
    const described = describeError(error);
    if (described.code === 'cancelled')
      patchRun(clientId, { state: 'cancelled', message: described.message || cancelledBeforeStart });
    else patchRun(clientId, { state: 'failed', message: `Could not upscale “${layerName}”: ${withHint(described)}` });
  } finally {
    unsubscribe?.();
  }
};

/** Stops the running upscale (nothing of it is kept; the layers are as they were). */
export const cancelUpscale = async (): Promise<void> => {
  const { run } = useUpscaleStore.getState();
  if (!run || !isUpscaling(run) || run.cancelRequested) return;
  patchRun(run.clientId, { cancelRequested: true, message: 'Cancelling the upscale…' });
  try {
    await cancelEdit(run.clientId);
  } catch (error) {
    patchRun(run.clientId, { cancelRequested: false, message: `Could not cancel: ${withHint(describeError(error))}` });
  }
};

/** Hides the outcome of the last upscale. */
export const dismissUpscale = (): void => {
  if (!isUpscaling(useUpscaleStore.getState().run)) useUpscaleStore.setState({ run: undefined });
};
