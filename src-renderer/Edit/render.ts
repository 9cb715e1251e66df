import type { Pixels, Rect } from './compose';
import type { Layers } from './model';
import { drawStrokes } from './strokes';

/**
 * The canvas's pixels under a box, at one layer pixel per box pixel: each visible layer's image
 * with its strokes, bottom to top, as the canvas shows them. Browser-only (canvas, fetch).
 */

const bitmaps = new Map<string, Promise<ImageBitmap>>();

/** A layer image's pixels, decoded as stored (no colour conversion, alpha not premultiplied). */
const bitmapOf = (url: string): Promise<ImageBitmap> => {
  let bitmap = bitmaps.get(url);
  if (!bitmap) {
    bitmap = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`a layer image could not be read (HTTP ${response.status})`);
        return response.blob();
      })
      .then((blob) => createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' }));
    bitmap.catch(() => bitmaps.delete(url));
    bitmaps.set(url, bitmap);
  }
  return bitmap;
};

const context2d = (canvas: HTMLCanvasElement): CanvasRenderingContext2D => {
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('This browser cannot draw on a canvas.');
  return context;
};

const canvasOf = (width: number, height: number): HTMLCanvasElement => {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
};

/** The visible layers composited under `box` (canvas pixels), and where they lie in the box. */
export const renderBox = async (
  box: Rect,
  layers: Layers,
  urls: Record<string, string>,
): Promise<{ pixels: Pixels; layers: Rect[] }> => {
  const canvas = canvasOf(box.width, box.height);
  const context = context2d(canvas);
  const visible = layers.filter((l) => l.visible);
  const images = await Promise.all(
    visible.map((l) => {
      const url = urls[l.imageId];
      if (!url) throw new Error(`The image of layer “${l.name}” is not loaded.`);
      return bitmapOf(url);
    }),
  );
  const rects: Rect[] = [];
  visible.forEach((layer, i) => {
    const image = images[i];
    if (!image) return;
    let source: CanvasImageSource = image;
    if ((layer.strokes?.length ?? 0) > 0) {
      const own = canvasOf(layer.width, layer.height);
      const ownContext = context2d(own);
      ownContext.drawImage(image, 0, 0, layer.width, layer.height);
      drawStrokes(ownContext, layer.strokes ?? []);
      source = own;
    }
    const rect = {
      x: layer.x - box.x,
      y: layer.y - box.y,
      width: layer.width * layer.scaleX,
      height: layer.height * layer.scaleY,
    };
    context.drawImage(source, rect.x, rect.y, rect.width, rect.height);
    rects.push(rect);
  });
  const data = context.getImageData(0, 0, box.width, box.height).data;
  return { pixels: { width: box.width, height: box.height, data }, layers: rects };
};

/** Pixels as PNG bytes. */
export const encodePng = async (pixels: Pixels): Promise<Uint8Array<ArrayBuffer>> => {
  const canvas = canvasOf(pixels.width, pixels.height);
  context2d(canvas).putImageData(new ImageData(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height), 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The box could not be encoded as PNG.');
  return new Uint8Array(await blob.arrayBuffer());
};
