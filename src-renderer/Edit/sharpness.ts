import type { EditorView, Layer } from './model';

/**
 * How finely a layer with strokes is cached (Konva `cache({ pixelRatio })`). Cached at 1× it
 * looks soft above 100 % zoom, so the ratio follows the zoom: the screen pixels one layer pixel
 * covers, rounded up to a power of two (a little zooming re-caches nothing), at least 1.
 */

/** Most pixels one layer's cache may hold (a 4096² bitmap, 64 MB); a larger layer is cached at 1×. */
export const maxCachePixels = 4096 * 4096;

/** Whether any of the layer lies in the stage's visible rectangle at this view. */
export const onScreen = (layer: Layer, view: EditorView, stage: { width: number; height: number }): boolean => {
  const left = view.x + layer.x * view.scale;
  const top = view.y + layer.y * view.scale;
  return (
    left < stage.width &&
    top < stage.height &&
    left + layer.width * layer.scaleX * view.scale > 0 &&
    top + layer.height * layer.scaleY * view.scale > 0
  );
};

/**
 * The cache's pixel ratio for a layer at this view: sharp on screen at any zoom up to the pixel
 * cap; a layer out of sight is kept no finer than at 100 % (it is sharpened when the view settles on it).
 */
export const cacheRatioOf = (
  layer: Layer,
  view: EditorView,
  stage: { width: number; height: number },
  devicePixelRatio: number,
): number => {
  const layerScale = Math.max(Math.abs(layer.scaleX), Math.abs(layer.scaleY));
  const zoom = onScreen(layer, view, stage) ? view.scale : Math.min(1, view.scale);
  const wanted = Math.max(1, zoom * layerScale * (devicePixelRatio > 0 ? devicePixelRatio : 1));
  // Rounded up to a power of two; the tiny margin keeps an exact power where it is.
  const step = 2 ** Math.ceil(Math.log2(wanted) - 1e-9);
  const cap = Math.sqrt(maxCachePixels / Math.max(1, layer.width * layer.height));
  return Math.max(1, Math.min(step, cap));
};
