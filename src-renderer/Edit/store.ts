import { monotonicFactory } from 'ulid';
import { create } from 'zustand';
import type { EditorImage } from '../../src-shared/editor';
import { maxInitImageBytes, megabytes } from '../../src-shared/limits';
import { addEditorImage, addEditorImageFromLibrary, getEditorDocument, saveEditorDocument } from '../app-services';
import { showError, showInfo } from '../Toast';
import {
  addLayer,
  centredAt,
  commit,
  documentOf,
  fitView,
  layerName,
  moveLayer,
  redo,
  removeLayer,
  undo,
  undoStackOf,
  updateLayer,
} from './model';
import type { EditorView, LayerPatch, Layers, UndoStack } from './model';

export type Tool = 'select' | 'hand';
export type SaveState = 'saved' | 'saving' | 'unsaved' | 'failed';

interface EditorState {
  status: 'loading' | 'ready' | 'failed';
  loadError?: string;
  stack: UndoStack;
  /** Image URL per layer image ID. */
  urls: Record<string, string>;
  view: EditorView;
  stageSize: { width: number; height: number };
  selectedId?: string;
  tool: Tool;
  saveState: SaveState;
  saveError?: string;
}

export const useEditorStore = create<EditorState>()(() => ({
  status: 'loading',
  stack: undoStackOf([]),
  urls: {},
  view: { x: 0, y: 0, scale: 1 },
  stageSize: { width: 800, height: 600 },
  tool: 'select',
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
      try {
        await saveEditorDocument(documentOf(stack.present, view));
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

let loading: Promise<void> | undefined;

/** Reads the stored document once; bringing images in waits for it. */
export const loadDocument = (): Promise<void> => {
  loading ??= (async () => {
    try {
      const { document, urls, notice } = await getEditorDocument();
      set({
        status: 'ready',
        stack: undoStackOf(document.layers),
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

/** One undoable change of the layers. */
const change = (next: Layers, selectedId?: string): void => {
  const stack = commit(get().stack, next);
  if (stack === get().stack) return;
  set({ stack, ...(selectedId !== undefined ? { selectedId } : {}) });
  scheduleSave();
};

export const updateLayerOf = (id: string, patch: LayerPatch): void =>
  change(updateLayer(get().stack.present, id, patch));
export const deleteLayer = (id: string): void => {
  change(removeLayer(get().stack.present, id));
  if (get().selectedId === id) set({ selectedId: undefined });
};
export const moveLayerOf = (id: string, direction: 'up' | 'down'): void =>
  change(moveLayer(get().stack.present, id, direction));

const keepSelection = (stack: UndoStack): void => {
  const selected = get().selectedId;
  const still = selected !== undefined && stack.present.some((l) => l.id === selected);
  set({ stack, selectedId: still ? selected : undefined });
  scheduleSave();
};
export const undoChange = (): void => {
  const stack = undo(get().stack);
  if (stack !== get().stack) keepSelection(stack);
};
export const redoChange = (): void => {
  const stack = redo(get().stack);
  if (stack !== get().stack) keepSelection(stack);
};

export const selectLayer = (id: string | undefined): void => set({ selectedId: id });
export const setTool = (tool: Tool): void => set({ tool });
export const setView = (view: EditorView): void => {
  set({ view });
  scheduleSave();
};
export const setStageSize = (width: number, height: number): void => set({ stageSize: { width, height } });

/** A new layer on top, centred in the view, selected; the first one on an empty canvas is fitted into view. */
const placeImage = (image: EditorImage, name: string): void => {
  const { stack, view, stageSize, urls } = get();
  const first = stack.present.length === 0;
  const at = centredAt(view, stageSize, image.width, image.height);
  const id = newLayerId();
  set({ urls: { ...urls, [image.imageId]: image.url }, tool: 'select' });
  change(
    addLayer(stack.present, {
      id,
      kind: 'image',
      name: layerName(name, stack.present),
      imageId: image.imageId,
      width: image.width,
      height: image.height,
      x: at.x,
      y: at.y,
      scaleX: 1,
      scaleY: 1,
      visible: true,
      locked: false,
    }),
    id,
  );
  if (first) setView(fitView(get().stack.present, stageSize));
};

/** An image of the history, as a new layer (its file copied into the editor). */
export const addFromLibrary = async (target: {
  generationId: string;
  imageId: string;
  name: string;
}): Promise<void> => {
  await loadDocument();
  placeImage(await addEditorImageFromLibrary(target.generationId, target.imageId), target.name);
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
