import { z } from 'zod';
import { ulidSchema } from './ids';

/**
 * The Edit tab's document: what the canvas holds, kept in `<data>/editor/document.json`.
 * Layer images are files beside it, named by ID; the document names them, never holds pixels.
 */

/** At most this many layers (each one an image file): plenty for an edit, bounded for memory. */
export const maxEditorLayers = 200;
/** The longest layer name kept. */
export const maxLayerNameLength = 200;
/** How far the canvas reaches from its origin, in canvas pixels (an "infinite" canvas, bounded for sanity). */
export const maxCanvasCoordinate = 1_000_000;

const coordinate = z.number().finite().min(-maxCanvasCoordinate).max(maxCanvasCoordinate);
const scale = z.number().finite().min(0.001).max(1000);
const pixels = z.number().int().min(1).max(65_536);

export const editorImageLayerSchema = z.object({
  id: ulidSchema,
  kind: z.literal('image'),
  name: z.string().max(maxLayerNameLength),
  /** The layer's image file in the editor folder (`<imageId>.png`). */
  imageId: ulidSchema,
  /** The image's own size, in pixels. */
  width: pixels,
  height: pixels,
  x: coordinate,
  y: coordinate,
  scaleX: scale,
  scaleY: scale,
  visible: z.boolean(),
  locked: z.boolean(),
});

/** Where the user was looking: the stage's offset and zoom. */
export const editorViewSchema = z.object({
  x: coordinate,
  y: coordinate,
  scale: z.number().finite().min(0.01).max(64),
});

export const editorDocumentSchema = z.object({
  version: z.literal(1),
  /** Bottom to top: the last is drawn over the others. */
  layers: z.array(editorImageLayerSchema).max(maxEditorLayers),
  view: editorViewSchema.optional(),
});

export type EditorImageLayer = z.infer<typeof editorImageLayerSchema>;
export type EditorView = z.infer<typeof editorViewSchema>;
export type EditorDocument = z.infer<typeof editorDocumentSchema>;

/** The document as the page gets it: with the URL of each layer's image, and any notice about it. */
export interface EditorDocumentAnswer {
  document: EditorDocument;
  /** Image URL per image ID, for every layer. */
  urls: Record<string, string>;
  /** Said once when the stored document could not be read and was set aside. */
  notice?: string;
}

/** An image brought into the editor: its file's ID, URL and size. */
export interface EditorImage {
  imageId: string;
  url: string;
  width: number;
  height: number;
}
