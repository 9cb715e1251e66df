import type { Stroke } from './model';

/** Rings a soft stroke is drawn in: enough for a smooth falloff, few enough to stay quick. */
const softRings = 6;

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

const trace = (context: Context2D, points: readonly number[]): void => {
  context.beginPath();
  context.moveTo(points[0] ?? 0, points[1] ?? 0);
  for (let i = 2; i < points.length; i += 2) context.lineTo(points[i] ?? 0, points[i + 1] ?? 0);
};

/**
 * Draws strokes in the layer's own pixels onto a context that holds the layer's image: paint
 * lays colour over it, erase takes alpha away (destination-out). A soft stroke (hardness < 1) is
 * drawn as rings from its full size in to `size × hardness`, each with the alpha that makes the
 * core reach exactly the stroke's opacity. The canvas and the Dream composition both use this.
 */
export const drawStrokes = (context: Context2D, strokes: readonly Stroke[]): void => {
  for (const stroke of strokes) {
    context.save();
    context.globalCompositeOperation = stroke.mode === 'erase' ? 'destination-out' : 'source-over';
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.strokeStyle = stroke.mode === 'erase' ? '#000000' : stroke.colour;
    const rings = stroke.hardness >= 0.99 ? 1 : softRings;
    const alpha = rings === 1 ? stroke.opacity : 1 - Math.pow(1 - stroke.opacity, 1 / rings);
    context.globalAlpha = alpha;
    trace(context, stroke.points);
    for (let ring = 0; ring < rings; ring++) {
      const inner = stroke.size * stroke.hardness;
      context.lineWidth = Math.max(0.5, stroke.size - ((stroke.size - inner) * ring) / Math.max(1, rings - 1));
      context.stroke();
    }
    context.restore();
  }
};
