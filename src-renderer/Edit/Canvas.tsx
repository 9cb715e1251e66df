import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { DragEvent, KeyboardEvent, ReactElement } from 'react';
import type Konva from 'konva';
import { Group, Image as KonvaImage, Layer as KonvaLayer, Rect, Shape, Stage, Transformer } from 'react-konva';
import { maxCanvasCoordinate } from '../../src-shared/editor';
import { Form } from '../Generation';
import { showInfo } from '../Toast';
import { modelOfBox, sizeRuleOf } from './boxes';
import { BoxOverlay } from './BoxOverlay';
import type { Box, EditorView, Layer, Stroke } from './model';
import { extendPoints, snapSize, toLayerPoint, zoomAround } from './model';
import {
  addFiles,
  addStrokeTo,
  deleteBox,
  deleteLayer,
  selectLayer,
  setStageSize,
  setView,
  updateBoxOf,
  updateLayerOf,
  useEditorStore,
} from './store';
import { cacheRatioOf } from './sharpness';
import { drawStrokes } from './strokes';

/** An image element for a URL, once it has loaded. */
const useImageElement = (url: string | undefined): HTMLImageElement | undefined => {
  const [image, setImage] = useState<HTMLImageElement>();
  useEffect(() => {
    if (!url) return;
    const element = new window.Image();
    let live = true;
    element.onload = () => {
      if (live) setImage(element);
    };
    element.src = url;
    return () => {
      live = false;
    };
  }, [url]);
  return image;
};

/** How long the view stays still before layers with strokes are cached again for its zoom. */
const settleMs = 150;

/** The view once it has stopped changing for a moment: re-caching follows it, not every wheel step. */
const useSettledView = (view: EditorView): EditorView => {
  const [settled, setSettled] = useState(view);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(view), settleMs);
    return () => window.clearTimeout(timer);
  }, [view]);
  return settled;
};

/** The checkerboard that shows through transparent pixels: two greys, 12 canvas pixels a square. */
const checkerboard = (): HTMLCanvasElement => {
  const size = 12;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size * 2;
  const context = canvas.getContext('2d');
  if (context) {
    context.fillStyle = '#2b2b30';
    context.fillRect(0, 0, size * 2, size * 2);
    context.fillStyle = '#3a3a40';
    context.fillRect(0, 0, size, size);
    context.fillRect(size, size, size, size);
  }
  return canvas;
};
let pattern: HTMLCanvasElement | undefined;

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));
const position = (value: number): number => clamp(value, -maxCanvasCoordinate, maxCanvasCoordinate);
const scaleOf = (value: number): number => clamp(Math.abs(value), 0.001, 1000);

/** The transparency behind a visible layer. */
const Checker = ({ layer }: { layer: Layer }): ReactElement => (
  <Rect
    x={layer.x}
    y={layer.y}
    width={layer.width * layer.scaleX}
    height={layer.height * layer.scaleY}
    listening={false}
    ref={(node) => {
      pattern ??= checkerboard();
      node?.fillPatternImage(pattern);
    }}
  />
);

/** A layer's pixels as the canvas shows them (its image and strokes), at the layer's own size, and where it lies. */
interface Flat {
  pixels: HTMLCanvasElement;
  layer: Layer;
}

/**
 * A stroke being drawn: on which layer, its points so far, that layer flattened, and the
 * visible layers above it that overlap it, flattened too (so they stay on top of the stroke).
 */
interface LiveStroke {
  layerId: string;
  stroke: Stroke;
  target: Flat;
  above: Flat[];
}

/** A layer's image (from its Konva node, already decoded) with its strokes, on a canvas of its own. */
const flatten = (stage: Konva.Stage, layer: Layer): Flat | undefined => {
  const image = stage
    .findOne<Konva.Group>((n: Konva.Node) => n.id() === layer.id)
    ?.findOne<Konva.Image>('Image')
    ?.image();
  const pixels = document.createElement('canvas');
  pixels.width = layer.width;
  pixels.height = layer.height;
  const context = pixels.getContext('2d');
  if (!image || !context) return undefined;
  context.drawImage(image, 0, 0, layer.width, layer.height);
  drawStrokes(context, layer.strokes ?? []);
  return { pixels, layer };
};

const overlaps = (a: Layer, b: Layer): boolean =>
  a.x < b.x + b.width * b.scaleX &&
  b.x < a.x + a.width * a.scaleX &&
  a.y < b.y + b.height * b.scaleY &&
  b.y < a.y + a.height * a.scaleY;

/**
 * The live stroke, on a Konva layer of its own over the others: the target layer's flattened
 * pixels with the stroke so far (erasing takes away only those), then the layers above it.
 * A pointer move redraws this one layer, never the ten or twenty images under it.
 */
const drawLive = (context: CanvasRenderingContext2D, live: LiveStroke): void => {
  const { layer, pixels } = live.target;
  context.save();
  context.translate(layer.x, layer.y);
  context.scale(layer.scaleX, layer.scaleY);
  context.beginPath();
  context.rect(0, 0, layer.width, layer.height);
  context.clip();
  context.drawImage(pixels, 0, 0);
  drawStrokes(context, [live.stroke]);
  context.restore();
  for (const above of live.above)
    context.drawImage(
      above.pixels,
      above.layer.x,
      above.layer.y,
      above.layer.width * above.layer.scaleX,
      above.layer.height * above.layer.scaleY,
    );
};

/** The brush's outline: a white ring with a dark halo, one screen pixel wide at any zoom. */
const drawOutline = (
  context: CanvasRenderingContext2D,
  at: { x: number; y: number },
  radius: number,
  scale: number,
): void => {
  context.save();
  context.beginPath();
  context.arc(at.x, at.y, radius, 0, Math.PI * 2);
  context.lineWidth = 1 / scale;
  context.strokeStyle = '#ffffff';
  context.shadowColor = '#000000';
  context.shadowBlur = 2;
  context.stroke();
  context.restore();
};

/**
 * An image layer: a group (moved and scaled as one) of the image and its brush and eraser
 * strokes, clipped to the image. With strokes it is cached, so erasing (destination-out) takes
 * away only this layer's pixels, and a frame redraws one bitmap rather than every stroke; the
 * cache is as fine as the zoom needs (`cacheRatio`), so strokes stay sharp when zoomed in.
 * While a stroke is drawn on it, the live layer shows it instead (`drawing`).
 */
const ImageLayer = ({
  layer,
  movable,
  url,
  drawing,
  cacheRatio,
}: {
  layer: Layer;
  movable: boolean;
  url?: string;
  drawing: boolean;
  cacheRatio: number;
}): ReactElement => {
  const image = useImageElement(url);
  const group = useRef<Konva.Group>(null);
  const strokes = layer.strokes;
  // Before the frame: a finished stroke leaves the live layer and shows here in the same frame.
  useLayoutEffect(() => {
    const node = group.current;
    if (!node) return;
    node.clearCache();
    if (image && (strokes?.length ?? 0) > 0)
      node.cache({ x: 0, y: 0, width: layer.width, height: layer.height, pixelRatio: cacheRatio });
    node.getLayer()?.batchDraw();
  }, [image, strokes, layer.width, layer.height, cacheRatio]);
  return (
    <Group
      ref={group}
      id={layer.id}
      name="layer"
      x={layer.x}
      y={layer.y}
      scaleX={layer.scaleX}
      scaleY={layer.scaleY}
      clipX={0}
      clipY={0}
      clipWidth={layer.width}
      clipHeight={layer.height}
      visible={layer.visible && !drawing}
      // A locked layer is not picked on the canvas: clicks go through to what is under it.
      listening={!layer.locked}
      draggable={movable && !layer.locked}
      onMouseDown={(event) => {
        if (event.evt.button === 0 && movable) selectLayer(layer.id);
      }}
      onTap={() => {
        if (movable) selectLayer(layer.id);
      }}
      onDragEnd={(event) => updateLayerOf(layer.id, { x: position(event.target.x()), y: position(event.target.y()) })}
      onTransformEnd={(event) => {
        const node = event.target;
        updateLayerOf(layer.id, {
          x: position(node.x()),
          y: position(node.y()),
          scaleX: scaleOf(node.scaleX()),
          scaleY: scaleOf(node.scaleY()),
        });
      }}
    >
      <KonvaImage image={image} x={0} y={0} width={layer.width} height={layer.height} />
      {(strokes?.length ?? 0) > 0 ? (
        <Shape listening={false} sceneFunc={(context) => drawStrokes(context._context, strokes ?? [])} />
      ) : null}
    </Group>
  );
};

/** Whether a canvas point lies on a layer. */
const covers = (layer: Layer, point: { x: number; y: number }): boolean =>
  point.x >= layer.x &&
  point.y >= layer.y &&
  point.x <= layer.x + layer.width * layer.scaleX &&
  point.y <= layer.y + layer.height * layer.scaleY;

/** A dream box's frame: moved by dragging, resized by its handles to a size its model makes. */
const BoxFrame = ({ box, movable, scale }: { box: Box; movable: boolean; scale: number }): ReactElement => {
  const models = Form.use((s) => s.models);
  return (
    <Rect
      id={box.id}
      name="box"
      x={box.x}
      y={box.y}
      width={box.width}
      height={box.height}
      stroke="#7c4dff"
      strokeWidth={2 / scale}
      dash={[10 / scale, 6 / scale]}
      fill="rgba(124, 77, 255, 0.06)"
      listening={movable}
      draggable={movable}
      onMouseDown={(event) => {
        if (event.evt.button === 0) selectLayer(box.id);
      }}
      onTap={() => selectLayer(box.id)}
      onDragEnd={(event) =>
        updateBoxOf(box.id, { x: Math.round(position(event.target.x())), y: Math.round(position(event.target.y())) })
      }
      onTransformEnd={(event) => {
        const node = event.target;
        const wanted = { width: node.width() * node.scaleX(), height: node.height() * node.scaleY() };
        node.scaleX(1);
        node.scaleY(1);
        const size = snapSize(sizeRuleOf(modelOfBox(box, models)), wanted);
        node.width(size.width);
        node.height(size.height);
        updateBoxOf(box.id, { x: Math.round(position(node.x())), y: Math.round(position(node.y())), ...size });
      }}
    />
  );
};

/** The nudge an arrow key asks for: 1 canvas pixel, 10 with Shift; undefined for other keys. */
const arrowStep = (event: KeyboardEvent<HTMLDivElement>): [number, number] | undefined => {
  const step = event.shiftKey ? 10 : 1;
  const moves: Record<string, [number, number]> = {
    ArrowLeft: [-step, 0],
    ArrowRight: [step, 0],
    ArrowUp: [0, -step],
    ArrowDown: [0, step],
  };
  return moves[event.key];
};

const isTextField = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement);

/**
 * The infinite canvas: layers drawn bottom to top over a checkerboard where they are, pan with
 * Space+drag, the middle button or the hand tool, zoom with the wheel (or a pinch) around the pointer.
 */
export const Canvas = (): ReactElement => {
  const layers = useEditorStore((s) => s.stack.present.layers);
  const boxes = useEditorStore((s) => s.stack.present.boxes);
  const urls = useEditorStore((s) => s.urls);
  const view = useEditorStore((s) => s.view);
  const tool = useEditorStore((s) => s.tool);
  const brush = useEditorStore((s) => s.brush);
  const selectedId = useEditorStore((s) => s.selectedId);
  const size = useEditorStore((s) => s.stageSize);
  const settled = useSettledView(view);
  const box = useRef<HTMLDivElement>(null);
  const stage = useRef<Konva.Stage>(null);
  const transformer = useRef<Konva.Transformer>(null);
  const [space, setSpace] = useState(false);
  const [panning, setPanning] = useState(false);
  const pan = useRef<{ x: number; y: number; viewX: number; viewY: number } | undefined>(undefined);
  const [dropping, setDropping] = useState(false);
  // Pointer moves change no React state: the live stroke and the brush outline are drawn directly.
  const live = useRef<LiveStroke | undefined>(undefined);
  const [liveLayerId, setLiveLayerId] = useState<string>();
  const liveLayer = useRef<Konva.Layer>(null);
  const pointer = useRef<{ x: number; y: number } | undefined>(undefined);
  const outlineLayer = useRef<Konva.Layer>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setStageSize(Math.floor(entry.contentRect.width), Math.floor(entry.contentRect.height));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Space held pans, as in every canvas editor, unless a text field or a button wants the key.
  useEffect(() => {
    const down = (event: globalThis.KeyboardEvent): void => {
      if (event.code !== 'Space' || event.repeat) return;
      const focused = document.activeElement;
      if (focused !== document.body && !box.current?.contains(focused)) return;
      event.preventDefault();
      setSpace(true);
    };
    const up = (event: globalThis.KeyboardEvent): void => {
      if (event.code === 'Space') setSpace(false);
    };
    const blur = (): void => setSpace(false);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, []);

  const selected = layers.find((l) => l.id === selectedId);
  const selectedBox = boxes.find((b) => b.id === selectedId);
  const painting = tool === 'brush' || tool === 'eraser';
  const handles =
    ((selected !== undefined && selected.visible && !selected.locked) || selectedBox !== undefined) && !painting;
  useEffect(() => {
    const node = handles ? stage.current?.findOne((n: Konva.Node) => n.id() === selectedId) : undefined;
    transformer.current?.nodes(node ? [node] : []);
  }, [handles, selectedId, layers, boxes]);

  const panMode = tool === 'hand' || space;

  /** The pointer in canvas pixels. */
  const canvasPoint = (): { x: number; y: number } | undefined => {
    const at = stage.current?.getPointerPosition();
    return at ? { x: (at.x - view.x) / view.scale, y: (at.y - view.y) / view.scale } : undefined;
  };

  /** Brush and eraser: on the selected layer, or the topmost one under the pointer. */
  const startStroke = (): void => {
    const at = canvasPoint();
    if (!at) return;
    const paintable = (l: Layer): boolean => l.visible && !l.locked;
    const target =
      selected && paintable(selected) ? selected : [...layers].reverse().find((l) => paintable(l) && covers(l, at));
    if (!target) {
      showInfo('Nothing to paint on', 'Select a visible, unlocked layer (or start the stroke over one).');
      return;
    }
    const flat = stage.current && flatten(stage.current, target);
    if (!stage.current || !flat) return;
    const stageNode = stage.current;
    if (target.id !== selectedId) selectLayer(target.id);
    const first = toLayerPoint(target, at);
    const above = layers
      .slice(layers.indexOf(target) + 1)
      .filter((l) => l.visible && overlaps(l, target))
      .map((l) => flatten(stageNode, l))
      .filter((f): f is Flat => f !== undefined);
    live.current = {
      layerId: target.id,
      target: flat,
      above,
      stroke: {
        mode: tool === 'eraser' ? 'erase' : 'paint',
        colour: brush.colour,
        size: brush.size,
        hardness: brush.hardness,
        opacity: brush.opacity,
        points: [first.x, first.y],
      },
    };
    setLiveLayerId(target.id);
  };
  const endStroke = (): void => {
    const stroke = live.current;
    if (!stroke) return;
    live.current = undefined;
    addStrokeTo(stroke.layerId, stroke.stroke);
    setLiveLayerId(undefined);
  };

  /** The brush outline follows the pointer, drawn at once (its shape reads `pointer`: no attribute changes, no extra frame). */
  const moveOutline = (at: { x: number; y: number } | undefined): void => {
    pointer.current = at;
    outlineLayer.current?.draw();
  };

  const onPointerDown = (event: Konva.KonvaEventObject<PointerEvent>): void => {
    const { button, clientX, clientY } = event.evt;
    if (button === 1 || (button === 0 && panMode)) {
      event.evt.preventDefault();
      pan.current = { x: clientX, y: clientY, viewX: view.x, viewY: view.y };
      setPanning(true);
      return;
    }
    if (button === 0 && painting) {
      startStroke();
      return;
    }
    if (button === 0 && event.target === event.target.getStage()) selectLayer(undefined);
  };
  const onPointerMove = (event: Konva.KonvaEventObject<PointerEvent>): void => {
    if (painting) moveOutline(canvasPoint());
    const drawing = live.current;
    if (drawing) {
      const at = canvasPoint();
      if (at) {
        const points = extendPoints(drawing.stroke.points, toLayerPoint(drawing.target.layer, at));
        drawing.stroke = { ...drawing.stroke, points };
        // Drawn now, not at the next frame: the move shows in the frame it arrived for.
        liveLayer.current?.draw();
      }
      return;
    }
    const start = pan.current;
    if (!start) return;
    setView({
      ...view,
      x: start.viewX + event.evt.clientX - start.x,
      y: start.viewY + event.evt.clientY - start.y,
    });
  };
  const endPan = (): void => {
    pan.current = undefined;
    setPanning(false);
    endStroke();
  };

  const onWheel = (event: Konva.KonvaEventObject<WheelEvent>): void => {
    event.evt.preventDefault();
    const pointer = stage.current?.getPointerPosition();
    if (!pointer) return;
    // A pinch arrives as a wheel with Ctrl held, in smaller steps.
    const step = event.evt.ctrlKey ? 0.01 : 0.0015;
    setView(zoomAround(view, pointer, Math.exp(-event.evt.deltaY * step)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (isTextField(event.target)) return;
    if (event.key === 'Escape' && selectedId !== undefined) {
      event.preventDefault();
      selectLayer(undefined);
      return;
    }
    if (selectedBox) {
      moveBoxByKey(event, selectedBox);
      return;
    }
    if (!selected || selected.locked) return;
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      deleteLayer(selected.id);
      return;
    }
    const move = arrowStep(event);
    if (!move) return;
    event.preventDefault();
    updateLayerOf(selected.id, { x: position(selected.x + move[0]), y: position(selected.y + move[1]) });
  };

  const moveBoxByKey = (event: KeyboardEvent<HTMLDivElement>, box: Box): void => {
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      deleteBox(box.id);
      return;
    }
    const move = arrowStep(event);
    if (!move) return;
    event.preventDefault();
    updateBoxOf(box.id, { x: Math.round(position(box.x + move[0])), y: Math.round(position(box.y + move[1])) });
  };

  const carriesFiles = (event: DragEvent): boolean => event.dataTransfer.types.includes('Files');
  const onDragOver = (event: DragEvent<HTMLDivElement>): void => {
    if (!carriesFiles(event)) return;
    // The window's own drop (import parameters) is not for the canvas.
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = 'copy';
    setDropping(true);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    setDropping(false);
    void addFiles([...event.dataTransfer.files]);
  };

  const cursor = panning ? 'grabbing' : panMode ? 'grab' : painting ? 'crosshair' : 'default';
  const target = liveLayerId ? layers.find((l) => l.id === liveLayerId) : selected;
  return (
    <div
      ref={box}
      className={`ss-canvas${dropping ? ' ss-canvas--drop' : ''}`}
      style={{ cursor }}
      tabIndex={0}
      role="application"
      aria-roledescription="canvas"
      aria-label={`Canvas, ${layers.length} ${layers.length === 1 ? 'layer' : 'layers'}${boxes.length > 0 ? `, ${boxes.length} dream ${boxes.length === 1 ? 'box' : 'boxes'}` : ''}${selected ? `, “${selected.name}” selected (arrow keys move it, Delete removes it)` : selectedBox ? ', a dream box selected (arrow keys move it, Delete removes it)' : ''}`}
      data-testid="edit-canvas"
      data-view={`${Math.round(view.x)},${Math.round(view.y)},${view.scale.toFixed(3)}`}
      onKeyDown={onKeyDown}
      onDragEnter={onDragOver}
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
    >
      <Stage
        ref={stage}
        width={size.width}
        height={size.height}
        x={view.x}
        y={view.y}
        scaleX={view.scale}
        scaleY={view.scale}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endPan}
        onPointerLeave={() => {
          endPan();
          moveOutline(undefined);
        }}
        onWheel={onWheel}
      >
        <KonvaLayer listening={false}>
          {layers
            .filter((l) => l.visible)
            .map((l) => (
              <Checker key={l.id} layer={l} />
            ))}
        </KonvaLayer>
        <KonvaLayer>
          {layers.map((l) => (
            <ImageLayer
              key={l.id}
              layer={l}
              movable={!panMode && !painting}
              url={urls[l.imageId]}
              drawing={liveLayerId === l.id}
              cacheRatio={cacheRatioOf(l, settled, size, window.devicePixelRatio)}
            />
          ))}
          {boxes.map((b) => (
            <BoxFrame key={b.id} box={b} movable={!panMode && !painting} scale={view.scale} />
          ))}
          <Transformer
            ref={transformer}
            rotateEnabled={false}
            flipEnabled={false}
            keepRatio={selectedBox === undefined}
            anchorSize={9}
            anchorCornerRadius={2}
            anchorStroke="#7c4dff"
            borderStroke="#7c4dff"
            anchorFill="#ffffff"
            boundBoxFunc={(old, next) => (next.width < 4 || next.height < 4 ? old : next)}
          />
        </KonvaLayer>
        <KonvaLayer ref={liveLayer} listening={false}>
          {liveLayerId ? (
            <Shape
              sceneFunc={(context) => {
                if (live.current) drawLive(context._context, live.current);
              }}
            />
          ) : null}
        </KonvaLayer>
        <KonvaLayer ref={outlineLayer} listening={false}>
          {painting && !panMode ? (
            <Shape
              sceneFunc={(context) => {
                const at = pointer.current;
                if (at) drawOutline(context._context, at, (brush.size * (target?.scaleX ?? 1)) / 2, view.scale);
              }}
            />
          ) : null}
        </KonvaLayer>
      </Stage>
      <BoxOverlay boxes={boxes} view={view} selectedId={selectedId} />
    </div>
  );
};
