import { monotonicFactory } from 'ulid';
import { create } from 'zustand';
import type { EditorImage, EditorImageLayer } from '../../src-shared/editor';
import { maxInitImageBytes, megabytes } from '../../src-shared/limits';
import { addEditorImage, addEditorImageFromLibrary, getEditorDocument, saveEditorDocument } from '../app-services';
import { showError, showInfo } from '../Toast';
import { newBox } from './boxes';
import { keptResults, runsFromKept, runsWithoutSetAside, runsWithSetAside, useRunStore } from './runs';
import type { BoxRun, SetAside } from './runs';
import {
  addBox,
  addLayer,
  addStroke,
  centredAt,
  commit,
  documentOf,
  fitView,
  layerName,
  moveLayer,
  redo,
  removeBox,
  removeLayer,
  undo,
  undoStackOf,
  updateBox,
  updateLayer,
  withLayers,
} from './model';
import type { Box, BoxPatch, Content, EditorView, LayerPatch, Layers, Stroke, UndoStack } from './model';

export type Tool = 'select' | 'hand' | 'brush' | 'eraser';

/** The brush's settings (shared by brush and eraser; not part of the document). */
export interface BrushSettings {
  size: number;
  /** 0 … 1 */
  hardness: number;
  /** 0.01 … 1 */
  opacity: number;
  colour: string;
}
export type SaveState = 'saved' | 'saving' | 'unsaved' | 'failed';

interface EditorState {
  status: 'loading' | 'ready' | 'failed';
  loadError?: string;
  stack: UndoStack<Content>;
  /** Image URL per layer image ID. */
  urls: Record<string, string>;
  view: EditorView;
  stageSize: { width: number; height: number };
  selectedId?: string;
  tool: Tool;
  brush: BrushSettings;
  saveState: SaveState;
  saveError?: string;
}

export const useEditorStore = create<EditorState>()(() => ({
  status: 'loading',
  stack: undoStackOf<Content>({ layers: [], boxes: [] }),
  urls: {},
  view: { x: 0, y: 0, scale: 1 },
  stageSize: { width: 800, height: 600 },
  tool: 'select',
  brush: { size: 40, hardness: 0.8, opacity: 1, colour: '#ffffff' },
  saveState: 'saved',
}));

const newLayerId = monotonicFactory();
const get = useEditorStore.getState;
const set = useEditorStore.setState;

// Saving: debounced after each change, one save at a time, the newest document last.
const saveDelayMs = 400;
let timer: number | undefined;
let saving = false;
let dirty = false;

const saveNow = async (): Promise<void> => {
  timer = undefined;
  if (saving) return;
  saving = true;
  try {
    while (dirty) {
      dirty = false;
      set({ saveState: 'saving' });
      const { stack, view } = get();
      // Boxes' finished Dreams are kept with the document (of the boxes it has), not in undo.
      const boxIds = new Set(stack.present.boxes.map((box) => box.id));
      const results = keptResults(useRunStore.getState().runs, boxIds);
      try {
        await saveEditorDocument({ ...documentOf(stack.present, view), ...(results.length > 0 ? { results } : {}) });
        if (!dirty) set({ saveState: 'saved', saveError: undefined });
      } catch (error) {
        set({ saveState: 'failed', saveError: error instanceof Error ? error.message : String(error) });
        return;
      }
    }
  } finally {
    saving = false;
  }
};

const scheduleSave = (): void => {
  // Nothing is written before the stored document was read: it would be overwritten by an empty one.
  if (get().status !== 'ready') return;
  dirty = true;
  set({ saveState: 'unsaved' });
  if (timer !== undefined) window.clearTimeout(timer);
  timer = window.setTimeout(() => void saveNow(), saveDelayMs);
};

/** Saves what is waiting now (the window is going away, or Retry). */
export const flushSave = (): void => {
  if (timer !== undefined) window.clearTimeout(timer);
  if (dirty || get().saveState === 'failed') {
    dirty = true;
    void saveNow();
  }
};

/** The boxes' kept results as last read or changed: a change of them (not a running Dream's progress) is saved. */
let keptKey = '[]';
useRunStore.subscribe(({ runs }) => {
  const key = JSON.stringify(keptResults(runs));
  if (key === keptKey) return;
  keptKey = key;
  scheduleSave();
});

let loading: Promise<void> | undefined;

/** Reads the stored document once; bringing images in waits for it. */
export const loadDocument = (): Promise<void> => {
  loading ??= (async () => {
    try {
      const { document, urls, notice, results } = await getEditorDocument();
      // The boxes' results as they were: shown again, not saved again for being read.
      const runs = runsFromKept(document.results ?? [], results ?? {});
      keptKey = JSON.stringify(keptResults(runs));
      useRunStore.setState({ runs: { ...runs, ...useRunStore.getState().runs } });
      set({
        status: 'ready',
        stack: undoStackOf<Content>({ layers: document.layers, boxes: document.boxes ?? [] }),
        urls,
        ...(document.view ? { view: document.view } : {}),
      });
      if (notice) showInfo('Editor document set aside', notice);
    } catch (error) {
      loading = undefined;
      set({ status: 'failed', loadError: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  })();
  return loading;
};

/** One undoable change of the layers and boxes. */
const changeContent = (next: Content, selectedId?: string): void => {
  const stack = commit(get().stack, next);
  if (stack === get().stack) return;
  set({ stack, ...(selectedId !== undefined ? { selectedId } : {}) });
  scheduleSave();
};

/** One undoable change of the layers. */
const change = (next: Layers, selectedId?: string): void =>
  changeContent(withLayers(get().stack.present, next), selectedId);

const layersNow = (): Layers => get().stack.present.layers;

export const updateLayerOf = (id: string, patch: LayerPatch): void => change(updateLayer(layersNow(), id, patch));
export const deleteLayer = (id: string): void => {
  change(removeLayer(layersNow(), id));
  if (get().selectedId === id) set({ selectedId: undefined });
};
export const moveLayerOf = (id: string, direction: 'up' | 'down'): void =>
  change(moveLayer(layersNow(), id, direction));
/** One brush or eraser stroke on a layer: one undo step. */
export const addStrokeTo = (id: string, stroke: Stroke): void => change(addStroke(layersNow(), id, stroke));

export const addBoxOf = (box: Box): void => changeContent(addBox(get().stack.present, box), box.id);
export const updateBoxOf = (id: string, patch: BoxPatch): void =>
  changeContent(updateBox(get().stack.present, id, patch));
export const deleteBox = (id: string): void => {
  changeContent(removeBox(get().stack.present, id));
  if (get().selectedId === id) set({ selectedId: undefined });
};

/**
 * What each Accept took away, by the content it made: the box's results are not in the undo
 * stack (a Dream's progress is no undo step), so undo and redo of an Accept bring them back
 * and drop them again here.
 */
const setAside = new WeakMap<Content, SetAside>();
const setRuns = (change: (runs: Readonly<Record<string, BoxRun>>) => Readonly<Record<string, BoxRun>>): void => {
  const runs = useRunStore.getState().runs;
  const next = change(runs);
  if (next !== runs) useRunStore.setState({ runs: { ...next } });
};

const keepSelection = (stack: UndoStack<Content>): void => {
  const selected = get().selectedId;
  const still =
    selected !== undefined &&
    (stack.present.layers.some((l) => l.id === selected) || stack.present.boxes.some((b) => b.id === selected));
  set({ stack, selectedId: still ? selected : undefined });
  scheduleSave();
};
export const undoChange = (): void => {
  const before = get().stack;
  const stack = undo(before);
  if (stack === before) return;
  keepSelection(stack);
  const aside = setAside.get(before.present);
  if (aside) setRuns((runs) => runsWithSetAside(runs, aside));
};
export const redoChange = (): void => {
  const stack = redo(get().stack);
  if (stack === get().stack) return;
  keepSelection(stack);
  const aside = setAside.get(stack.present);
  if (aside) setRuns((runs) => runsWithoutSetAside(runs, aside));
};

export const selectLayer = (id: string | undefined): void => set({ selectedId: id });
export const setTool = (tool: Tool): void => set({ tool });
export const setBrush = (patch: Partial<BrushSettings>): void => set({ brush: { ...get().brush, ...patch } });
export const setView = (view: EditorView): void => {
  set({ view });
  scheduleSave();
};
export const setStageSize = (width: number, height: number): void => set({ stageSize: { width, height } });

/** Where a new layer goes and how large it is drawn, and what made it (an accepted result, a history image). */
interface Placement {
  x: number;
  y: number;
  scaleX?: number;
  scaleY?: number;
  made?: EditorImageLayer['made'];
}

/** A new image layer on top, selected, in one undoable change; its image's URL remembered. */
const addImageLayer = (image: EditorImage, name: string, at: Placement): void => {
  const { stack, urls } = get();
  const id = newLayerId();
  set({ urls: { ...urls, [image.imageId]: image.url } });
  change(
    addLayer(stack.present.layers, {
      id,
      kind: 'image',
      name: layerName(name, stack.present.layers),
      imageId: image.imageId,
      width: image.width,
      height: image.height,
      x: at.x,
      y: at.y,
      scaleX: at.scaleX ?? 1,
      scaleY: at.scaleY ?? 1,
      visible: true,
      locked: false,
      ...(at.made ? { made: at.made } : {}),
    }),
    id,
  );
};

/**
 * A new layer on top, centred in the view, selected (carrying what made it, when it came from the
 * history); the first one on an empty canvas is fitted into view.
 */
const placeImage = (image: EditorImage, name: string): void => {
  const { stack, view, stageSize } = get();
  const first = stack.present.layers.length === 0;
  set({ tool: 'select' });
  const at = centredAt(view, stageSize, image.width, image.height);
  addImageLayer(image, name, { ...at, ...(image.made ? { made: image.made } : {}) });
  if (first) setView(fitView(get().stack.present.layers, stageSize));
};

/** A dream box's accepted result: a new layer on top at the box's place, selected. */
export const addResultLayer = (
  image: EditorImage,
  name: string,
  x: number,
  y: number,
  made?: EditorImageLayer['made'],
): void => addImageLayer(image, name, { x, y, ...(made ? { made } : {}) });

/**
 * A box's shown result accepted: a new layer at the box's place (one undo step) and the box's
 * results taken away, to come back if the Accept is undone.
 */
export const acceptIntoLayer = (
  image: EditorImage,
  name: string,
  box: Pick<Box, 'id' | 'x' | 'y'>,
  run: BoxRun,
  made?: EditorImageLayer['made'],
): void => {
  addResultLayer(image, name, box.x, box.y, made);
  const aside = { boxId: box.id, run };
  setAside.set(get().stack.present, aside);
  setRuns((runs) => runsWithoutSetAside(runs, aside));
};

/** A layer image over `over`, scaled so it covers the same place on the canvas (an upscale), with the parameters it was made with. */
export const addScaledLayer = (image: EditorImage, name: string, over: EditorImageLayer): void =>
  addImageLayer(image, name, {
    x: over.x,
    y: over.y,
    scaleX: (over.scaleX * over.width) / image.width,
    scaleY: (over.scaleY * over.height) / image.height,
    ...(image.made ? { made: image.made } : {}),
  });

/**
 * A new dream box with the Generate sidebar's values, selected: centred on the selected layer
 * (so it covers the picture being edited), else in the middle of what the view shows.
 */
export const addBoxInView = (): void => {
  const { view, stageSize, selectedId, stack } = get();
  const layer = stack.present.layers.find((l) => l.id === selectedId && l.visible);
  const centre = layer
    ? { x: layer.x + (layer.width * layer.scaleX) / 2, y: layer.y + (layer.height * layer.scaleY) / 2 }
    : { x: (stageSize.width / 2 - view.x) / view.scale, y: (stageSize.height / 2 - view.y) / view.scale };
  addBoxOf(newBox(centre));
  set({ tool: 'select' });
};

/** An image of the history, as a new layer (its file copied into the editor) with its generation's parameters. */
export const addFromLibrary = async (target: {
  generationId: string;
  imageId: string;
  name: string;
}): Promise<void> => {
  await loadDocument();
  placeImage(await addEditorImageFromLibrary(target.generationId, target.imageId), target.name);
};

/** An edit of the history to reopen: its source image (as sent), its box and its parameters. */
export interface EditGenerationTarget {
  sourceSrc: string;
  name: string;
  box?: { x: number; y: number; width: number; height: number };
  /** The box's parameters (its place and size come from `box`, else the source image's). */
  parameters: Omit<Box, 'id' | 'x' | 'y' | 'width' | 'height'>;
}

/**
 * Reopens an edit: its source image as a new layer at the box's recorded place (else in the
 * middle of the view), with a dream box over it holding the generation's parameters.
 */
export const openEditGeneration = async (target: EditGenerationTarget): Promise<void> => {
  await loadDocument();
  const response = await fetch(target.sourceSrc);
  if (!response.ok) throw new Error(`The edit's source image could not be read (${response.status}).`);
  const image = await addEditorImage(new Uint8Array(await response.arrayBuffer()), target.name);
  const { view, stageSize } = get();
  const at = target.box ?? {
    ...centredAt(view, stageSize, image.width, image.height),
    width: image.width,
    height: image.height,
  };
  const x = Math.round(at.x);
  const y = Math.round(at.y);
  addResultLayer(image, target.name, x, y);
  addBoxOf({ ...newBox({ x: 0, y: 0 }), ...target.parameters, x, y, width: at.width, height: at.height });
  set({ tool: 'select' });
  setView(fitView(get().stack.present.layers, stageSize));
};

/** A dream box again, at its recorded place and size, with the parameters it was dreamt with (selected). */
export const restoreBox = async (target: Required<Pick<EditGenerationTarget, 'box' | 'parameters'>>): Promise<void> => {
  await loadDocument();
  const { box, parameters } = target;
  addBoxOf({
    ...newBox({ x: 0, y: 0 }),
    ...parameters,
    x: Math.round(box.x),
    y: Math.round(box.y),
    width: box.width,
    height: box.height,
  });
};

const imageTypes = ['image/png', 'image/jpeg', 'image/webp'];

/** Image files (picked, pasted, dropped) as new layers; anything else is refused, saying why. */
export const addFiles = async (files: Iterable<File>): Promise<void> => {
  await loadDocument();
  for (const file of files) {
    if (!imageTypes.includes(file.type)) {
      showError('Not an image', new Error(`${file.name || 'That file'} is not a PNG, JPEG or WebP image.`));
      continue;
    }
    if (file.size > maxInitImageBytes) {
      showError('Image too large', new Error(`${file.name} is larger than ${megabytes(maxInitImageBytes)}.`));
      continue;
    }
    try {
      const image = await addEditorImage(new Uint8Array(await file.arrayBuffer()), file.name);
      placeImage(image, file.name.replace(/\.(png|jpe?g|webp)$/i, ''));
    } catch (error) {
      showError(`Could not add ${file.name || 'the image'}`, error);
    }
  }
};
