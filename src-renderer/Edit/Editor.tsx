import './edit.css';
import { useEffect, useRef } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { showError } from '../Toast';
import { Canvas } from './Canvas';
import { BoxPanel } from './BoxPanel';
import { exportPng, sendSelectionToHistory } from './export';
import { isUpscaling, upscaleSelectedLayer, useUpscaleRun } from './upscale';
import { UpscaleStatus } from './UpscaleStatus';
import {
  BoxIcon,
  BrushIcon,
  EraserIcon,
  FitIcon,
  HandIcon,
  ImagePlusIcon,
  PointerIcon,
  RedoIcon,
  UndoIcon,
  ZoomInIcon,
  ZoomOutIcon,
} from './icons';
import { Layers } from './Layers';
import { actualSizeView, fitView, zoomAround } from './model';
import {
  addBoxInView,
  addFiles,
  flushSave,
  loadDocument,
  redoChange,
  setBrush,
  setTool,
  setView,
  undoChange,
  useEditorStore,
} from './store';
import { WorkspaceTabs, panelId } from './Tabs';

export { addFromLibrary, openEditGeneration, restoreBox } from './store';

const mod = navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl+';

const Button = ({
  label,
  keys,
  onClick,
  children,
  disabled,
  pressed,
  testId,
}: {
  label: string;
  keys?: string;
  onClick: () => void;
  children: ReactNode;
  disabled?: boolean;
  pressed?: boolean;
  testId?: string;
}): ReactElement => (
  <button
    type="button"
    className="ss-edit-tool"
    aria-label={label}
    title={keys ? `${label} (${keys})` : label}
    aria-keyshortcuts={keys?.replace('⌘', 'Meta+')}
    disabled={disabled}
    aria-pressed={pressed}
    data-testid={testId}
    onClick={onClick}
  >
    {children}
  </button>
);

const SaveState = (): ReactElement => {
  const state = useEditorStore((s) => s.saveState);
  const error = useEditorStore((s) => s.saveError);
  if (state === 'failed')
    return (
      <span className="ss-edit-save ss-edit-save--failed" data-testid="editor-save-state" role="alert">
        Not saved: {error}
        <button type="button" className="ss-edit-save__retry" onClick={flushSave}>
          Retry
        </button>
      </span>
    );
  const text = state === 'saved' ? 'Saved' : state === 'saving' ? 'Saving…' : 'Unsaved changes';
  return (
    <span className="ss-edit-save" data-testid="editor-save-state" data-state={state} aria-live="polite">
      {text}
    </span>
  );
};

const percent = (value: number): string => `${Math.round(value * 100)} %`;

/** One of the brush's sliders, its value said beside it and to screen readers. */
const BrushSlider = ({
  label,
  title,
  min,
  max,
  value,
  text,
  shown = text,
  onChange,
}: {
  label: string;
  title: string;
  min: number;
  max: number;
  value: number;
  /** The value as read aloud ("12 px", "80 %"). */
  text: string;
  /** The value as shown beside the slider, when shorter than `text`. */
  shown?: string;
  onChange: (value: number) => void;
}): ReactElement => (
  <label className="ss-edit-brush__field" title={title}>
    {label}
    <input
      type="range"
      min={min}
      max={max}
      value={value}
      aria-valuetext={text}
      onChange={(event) => onChange(Number(event.target.value))}
    />
    <span className="ss-edit-brush__value">{shown}</span>
  </label>
);

/** The brush's size, hardness and opacity (and colour, for the brush). */
const BrushControls = (): ReactElement => {
  const brush = useEditorStore((s) => s.brush);
  const tool = useEditorStore((s) => s.tool);
  return (
    <div className="ss-edit-toolbar__group ss-edit-brush" role="group" aria-label="Brush settings">
      <BrushSlider
        label="Size"
        title="Size, in the layer’s pixels"
        min={1}
        max={400}
        value={brush.size}
        text={`${brush.size} px`}
        shown={String(brush.size)}
        onChange={(size) => setBrush({ size })}
      />
      <BrushSlider
        label="Hardness"
        title="Hardness: 100 % is a hard edge, less is feathered"
        min={0}
        max={100}
        value={Math.round(brush.hardness * 100)}
        text={percent(brush.hardness)}
        onChange={(value) => setBrush({ hardness: value / 100 })}
      />
      <BrushSlider
        label="Opacity"
        title="Opacity"
        min={1}
        max={100}
        value={Math.round(brush.opacity * 100)}
        text={percent(brush.opacity)}
        onChange={(value) => setBrush({ opacity: value / 100 })}
      />
      {tool === 'brush' ? (
        <label className="ss-edit-brush__field">
          Colour
          <input type="color" value={brush.colour} onChange={(event) => setBrush({ colour: event.target.value })} />
        </label>
      ) : null}
    </div>
  );
};

const Toolbar = (): ReactElement => {
  const tool = useEditorStore((s) => s.tool);
  const canUndo = useEditorStore((s) => s.stack.past.length > 0);
  const canRedo = useEditorStore((s) => s.stack.future.length > 0);
  const view = useEditorStore((s) => s.view);
  const size = useEditorStore((s) => s.stageSize);
  const layers = useEditorStore((s) => s.stack.present.layers);
  const upscaling = isUpscaling(useUpscaleRun());
  const centre = { x: size.width / 2, y: size.height / 2 };
  return (
    <div className="ss-edit-toolbar" role="toolbar" aria-label="Canvas tools">
      <div className="ss-edit-toolbar__group">
        <Button label="Select and move" keys="V" pressed={tool === 'select'} onClick={() => setTool('select')}>
          <PointerIcon size={16} />
        </Button>
        <Button label="Hand (pan)" keys="H" pressed={tool === 'hand'} onClick={() => setTool('hand')}>
          <HandIcon size={16} />
        </Button>
        <Button label="Brush" keys="B" pressed={tool === 'brush'} onClick={() => setTool('brush')}>
          <BrushIcon size={16} />
        </Button>
        <Button label="Eraser" keys="E" pressed={tool === 'eraser'} onClick={() => setTool('eraser')}>
          <EraserIcon size={16} />
        </Button>
        <Button label="Dream box" onClick={addBoxInView} testId="add-dream-box">
          <BoxIcon size={16} />
        </Button>
        <button
          type="button"
          className="ss-edit-tool ss-edit-tool--text"
          title="Export the selected layer or box as PNG; with nothing selected, everything"
          disabled={layers.length === 0}
          onClick={() => void exportPng()}
        >
          Export PNG
        </button>
        <button
          type="button"
          className="ss-edit-tool ss-edit-tool--text"
          title="Keep the selected layer or box as a new generation in the history; with nothing selected, everything"
          disabled={layers.length === 0}
          onClick={() => void sendSelectionToHistory()}
        >
          Send to history
        </button>
        <button
          type="button"
          className="ss-edit-tool ss-edit-tool--text"
          title={
            upscaling
              ? 'An upscale is running: wait for it, or cancel it'
              : 'Upscale the selected layer ×4 with the configured upscaler, as a new layer of the same size on the canvas'
          }
          disabled={layers.length === 0 || upscaling}
          onClick={() => void upscaleSelectedLayer()}
        >
          Upscale ×4
        </button>
      </div>
      {tool === 'brush' || tool === 'eraser' ? <BrushControls /> : null}
      <div className="ss-edit-toolbar__group">
        <Button label="Undo" keys={`${mod}Z`} disabled={!canUndo} onClick={undoChange}>
          <UndoIcon size={16} />
        </Button>
        <Button label="Redo" keys={`${mod}Shift+Z`} disabled={!canRedo} onClick={redoChange}>
          <RedoIcon size={16} />
        </Button>
      </div>
      <div className="ss-edit-toolbar__group">
        <Button label="Zoom out" onClick={() => setView(zoomAround(view, centre, 1 / 1.25))}>
          <ZoomOutIcon size={16} />
        </Button>
        <span className="ss-edit-zoom" data-testid="editor-zoom" title="Zoom">
          {Math.round(view.scale * 100)} %
        </span>
        <Button label="Zoom in" onClick={() => setView(zoomAround(view, centre, 1.25))}>
          <ZoomInIcon size={16} />
        </Button>
        <Button label="Fit" onClick={() => setView(fitView(layers, size))} disabled={layers.length === 0}>
          <FitIcon size={16} />
        </Button>
        <button
          type="button"
          className="ss-edit-tool ss-edit-tool--text"
          onClick={() => setView(actualSizeView(view, size))}
        >
          100 %
        </button>
      </div>
      <SaveState />
    </div>
  );
};

const isTextField = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement);

const imageFilesOf = (data: DataTransfer | null): File[] =>
  [...(data?.files ?? [])].filter((file) => file.type.startsWith('image/'));

/** Undo, redo, tools and paste while the Edit tab is shown (text fields keep their own keys). */
const useEditorKeys = (): void => {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (isTextField(event.target) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (event.ctrlKey || event.metaKey) {
        if (key === 'z' && !event.shiftKey) undoChange();
        else if ((key === 'z' && event.shiftKey) || key === 'y') redoChange();
        else return;
        event.preventDefault();
        return;
      }
      if (event.shiftKey) return;
      if (key === 'v') setTool('select');
      else if (key === 'h') setTool('hand');
      else if (key === 'b') setTool('brush');
      else if (key === 'e') setTool('eraser');
    };
    const onPaste = (event: ClipboardEvent): void => {
      const files = imageFilesOf(event.clipboardData);
      if (files.length === 0) return;
      if (isTextField(event.target) && event.clipboardData?.types.includes('text/plain')) return;
      event.preventDefault();
      void addFiles(files);
    };
    const onHide = (): void => flushSave();
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('paste', onPaste);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('pagehide', onHide);
    };
  }, []);
};

/** The Edit workspace: its sidebar, the canvas with its toolbar, and the layer list. */
export const Editor = (): ReactElement => {
  const status = useEditorStore((s) => s.status);
  const loadError = useEditorStore((s) => s.loadError);
  const empty = useEditorStore((s) => s.stack.present.layers.length === 0);
  const selectedBox = useEditorStore((s) => s.stack.present.boxes.find((b) => b.id === s.selectedId));
  const fileInput = useRef<HTMLInputElement>(null);
  useEditorKeys();
  useEffect(() => {
    loadDocument().catch((error: unknown) => showError('Could not open the editor’s document', error));
  }, []);
  const pick = (): void => fileInput.current?.click();

  return (
    <>
      <aside className="ss-sidebar" aria-label="Edit options">
        <div className="ss-sidebar__header">
          <WorkspaceTabs />
        </div>
        <div className="ss-sidebar__scroll ss-edit-side">
          <button type="button" className="ss-edit-add" onClick={pick}>
            <ImagePlusIcon size={16} />
            Add image…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="image/png,image/jpeg,image/webp"
            multiple
            hidden
            data-testid="edit-file-input"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              void addFiles(files);
            }}
          />
          <p className="ss-edit-help">
            Bring images in from the history (<strong>Edit</strong> on any image), from a file, by pasting ({mod}V) or
            by dropping them on the canvas.
          </p>
          <p className="ss-edit-help">
            Drag a layer to move it, its handles to scale it. Pan with Space+drag, the middle button or the hand tool
            (H); zoom with the wheel or a pinch. {mod}Z undoes, {mod}Shift+Z redoes.
          </p>
          <p className="ss-edit-help">
            The brush (B) paints on the selected layer, the eraser (E) makes its pixels transparent: what is transparent
            inside a dream box is what Dream generates.
          </p>
          {selectedBox ? (
            <BoxPanel key={selectedBox.id} box={selectedBox} />
          ) : (
            <button type="button" className="ss-edit-add" onClick={addBoxInView}>
              <BoxIcon size={16} />
              Add a dream box
            </button>
          )}
        </div>
      </aside>
      <main className="ss-edit" id={panelId('edit')} aria-labelledby="ss-tab-edit">
        <div className="ss-edit__stage">
          <Toolbar />
          <UpscaleStatus />
          {status === 'failed' ? (
            <div className="ss-edit__message" role="alert">
              The editor’s document could not be opened: {loadError}
              <button type="button" className="ss-edit-save__retry" onClick={() => void loadDocument()}>
                Try again
              </button>
            </div>
          ) : (
            <Canvas />
          )}
          {status === 'ready' && empty ? (
            <div className="ss-edit__empty">
              <p>An empty canvas. Add an image, paste one, drop one here, or choose Edit on an image of the history.</p>
            </div>
          ) : null}
        </div>
        <Layers onAdd={pick} />
      </main>
    </>
  );
};
