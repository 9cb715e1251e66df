import { monotonicFactory } from 'ulid';
import { describeError } from '@stability/stablestudio-plugin';
import { withHint } from '../../src-shared/errors';
import { acceptEditorResult, cancelEdit, generateEdit, onEditProgress, uploadPixels } from '../app-services';
import { Form } from '../Generation';
import { boxTakesStrength, modelOfBox } from './boxes';
import { composeBox, initOf, maskOf } from './compose';
import type { PackedPixels } from './compose';
import { renderBox } from './render';
import { useRunStore } from './runs';
import type { BoxResult, BoxRun } from './runs';
import { acceptIntoLayer, useEditorStore } from './store';

/**
 * Dream in a box: its pixels and transparency become an edit request; the results come back
 * as choices shown in the box until one is accepted (a new layer) or all are discarded.
 * A finished run's choices are kept in the document (see runs.ts); a running one is not.
 */

export { useRunStore } from './runs';
export type { BoxResult, BoxRun } from './runs';

const newClientId = monotonicFactory();

const patchRun = (boxId: string, clientId: string, patch: Partial<BoxRun>): void => {
  const run = useRunStore.getState().runs[boxId];
  // A newer Dream in the same box (or a discard) wins over a late answer of an older one.
  if (!run || run.clientId !== clientId) return;
  useRunStore.setState({ runs: { ...useRunStore.getState().runs, [boxId]: { ...run, ...patch } } });
};

const addResult = (boxId: string, clientId: string, result: BoxResult): void => {
  const run = useRunStore.getState().runs[boxId];
  if (!run || run.clientId !== clientId || run.results.some((r) => r.imageId === result.imageId)) return;
  patchRun(boxId, clientId, { results: [...run.results, result] });
};

const messageOf = (error: unknown): string => withHint(describeError(error));

/** Box pixels kept as an upload (the main process encodes them to PNG). */
const uploadOf = async (pixels: PackedPixels, what: string): Promise<string> =>
  (await uploadPixels(pixels, `box-${what}.png`)).id;

/** Dreams in a box: composes it, uploads the init image and mask, asks the box's model, streams the results in. */
export const dreamInBox = async (boxId: string): Promise<void> => {
  const { stack, urls } = useEditorStore.getState();
  const box = stack.present.boxes.find((b) => b.id === boxId);
  if (!box) return;
  const clientId = `edit-${newClientId()}`;
  const fail = (message: string): void => patchRun(boxId, clientId, { state: 'failed', problems: [message] });
  useRunStore.setState({
    runs: {
      ...useRunStore.getState().runs,
      [boxId]: { clientId, state: 'preparing', count: box.count, results: [], problems: [], index: 0 },
    },
  });
  const model = modelOfBox(box, Form.get().models);
  if (!model) {
    fail('No model here can edit images. Add an SDXL (stability) or JumpStart SD 2 inpainting model in Settings.');
    return;
  }
  if (!box.prompt.trim()) {
    fail('Type a prompt for the box first (in the Edit sidebar).');
    return;
  }
  let unsubscribe: (() => void) | undefined;
  try {
    const rendered = await renderBox(box, stack.present.layers, urls);
    const composed = composeBox(rendered.pixels, rendered.layers);
    if (composed.kind === 'img2img' && !boxTakesStrength(model)) {
      fail(
        `${model.name ?? model.id} only repaints what is transparent: erase part of the picture inside the box, or place the box across the picture’s edge.`,
      );
      return;
    }
    // The init image is on its way (and being encoded) while the mask is made.
    const source = uploadOf(initOf(rendered.pixels), 'image');
    const mask = maskOf(composed);
    const [sourceUploadId, maskUploadId] = await Promise.all([
      source,
      mask ? uploadOf(mask, 'mask') : Promise.resolve(undefined),
    ]);
    patchRun(boxId, clientId, {
      state: 'running',
      kind: composed.kind,
      sourceUploadId,
      ...(maskUploadId ? { maskUploadId } : {}),
    });
    unsubscribe = onEditProgress(clientId, (event) => {
      if (event.type === 'generation.started' && useRunStore.getState().runs[boxId]?.cancelRequested)
        void cancelEdit(clientId).catch(() => undefined);
      if (event.type === 'image.ready')
        addResult(boxId, clientId, {
          generationId: event.generationId,
          imageId: event.image.id,
          url: event.image.url,
          seed: event.image.seed,
        });
    });
    if (useRunStore.getState().runs[boxId]?.cancelRequested) {
      patchRun(boxId, clientId, { state: 'cancelled' });
      return;
    }
    const generation = await generateEdit({
      input: {
        prompt: box.prompt,
        negativePrompt: box.negativePrompt,
        modelId: model.id,
        stylePreset: box.stylePreset,
        cfgScale: box.cfgScale,
        steps: box.steps,
        seed: box.seed,
        width: box.width,
        height: box.height,
        kind: composed.kind,
        initImage: { kind: 'upload', id: sourceUploadId },
        ...(maskUploadId ? { maskImage: { kind: 'upload' as const, id: maskUploadId } } : {}),
        imageStrength: box.strength,
        box: { x: box.x, y: box.y, width: box.width, height: box.height },
      },
      count: box.count,
      clientId,
    });
    for (const image of generation.images)
      addResult(boxId, clientId, { generationId: generation.id, imageId: image.id, url: image.url, seed: image.seed });
    const problems = generation.failures.map((f) => f.error.message);
    const made = useRunStore.getState().runs[boxId]?.results.length ?? 0;
    patchRun(boxId, clientId, {
      state: generation.status === 'cancelled' ? 'cancelled' : made > 0 ? 'done' : 'failed',
      problems,
      made: { generationId: generation.id, input: generation.input, model: generation.modelId },
    });
  } catch (error) {
    if (describeError(error).code === 'cancelled') patchRun(boxId, clientId, { state: 'cancelled' });
    else fail(messageOf(error));
  } finally {
    unsubscribe?.();
  }
};

/** Stops a box's Dream (what came back so far stays to choose from). */
export const cancelBox = async (boxId: string): Promise<void> => {
  const run = useRunStore.getState().runs[boxId];
  if (!run || (run.state !== 'running' && run.state !== 'preparing')) return;
  patchRun(boxId, run.clientId, { cancelRequested: true });
  try {
    await cancelEdit(run.clientId);
  } catch (error) {
    patchRun(boxId, run.clientId, { problems: [...run.problems, messageOf(error)] });
  }
};

/** Shows the next (1) or previous (−1) result, wrapping around. */
export const stepResult = (boxId: string, delta: number): void => {
  const run = useRunStore.getState().runs[boxId];
  if (!run || run.results.length === 0) return;
  const index = (run.index + delta + run.results.length) % run.results.length;
  patchRun(boxId, run.clientId, { index });
};

/** Drops a box's results (and its run). */
export const discardResults = (boxId: string): void => {
  const { [boxId]: _dropped, ...rest } = useRunStore.getState().runs;
  useRunStore.setState({ runs: rest });
};

/** Keeps the shown result as a new layer placed at the box, on top. */
export const acceptResult = async (boxId: string): Promise<void> => {
  const run = useRunStore.getState().runs[boxId];
  const result = run?.results[run.index];
  const box = useEditorStore.getState().stack.present.boxes.find((b) => b.id === boxId);
  if (!run || !result || !box || !run.sourceUploadId || run.accepting || run.cannotAccept) return;
  patchRun(boxId, run.clientId, { accepting: true });
  try {
    const image = await acceptEditorResult({
      generationId: result.generationId,
      imageId: result.imageId,
      sourceUploadId: run.sourceUploadId,
      ...(run.maskUploadId ? { maskUploadId: run.maskUploadId } : {}),
    });
    const made = run.made?.generationId === result.generationId ? { ...run.made, seed: result.seed } : undefined;
    acceptIntoLayer(image, `Dream: ${box.prompt}`, box, run, made);
  } catch (error) {
    patchRun(boxId, run.clientId, { accepting: false, problems: [messageOf(error)] });
  }
};
