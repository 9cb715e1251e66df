import { z } from 'zod';
import { generationInputSchema } from './generation';
import { itemIdSchema, ulidSchema } from './ids';
import { maxCount, maxSeed } from './sdxl';

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

/** Brush and eraser strokes kept per layer (the oldest are never dropped: a full layer refuses more). */
export const maxStrokesPerLayer = 500;
/** Points in one stroke (x, y pairs); a longer drag is split into more strokes. */
export const maxStrokePoints = 2000;
/** The widest brush, in the layer's pixels. */
export const maxBrushSize = 1000;

/**
 * A brush or eraser stroke on an image layer: `points` are x, y pairs in the layer's own pixels
 * (before its scale). Painting lays `colour` down; erasing makes pixels transparent.
 */
export const editorStrokeSchema = z.object({
  mode: z.enum(['paint', 'erase']),
  colour: z.string().regex(/^#[0-9a-f]{6}$/i, 'a colour like #ff8800'),
  size: z.number().finite().min(1).max(maxBrushSize),
  /** 1: a hard edge; 0: soft all the way from the centre. */
  hardness: z.number().finite().min(0).max(1),
  opacity: z.number().finite().min(0.01).max(1),
  points: z
    .array(z.number().finite().min(-65_536).max(131_072))
    .min(2)
    .max(maxStrokePoints * 2)
    .refine((points) => points.length % 2 === 0, 'points come in x, y pairs'),
});

/** A generation's image: the generation, its parameters, that image's seed and the model. */
export const editorMadeSchema = z.object({
  generationId: itemIdSchema,
  input: generationInputSchema,
  seed: z.number().int().min(0).max(maxSeed),
  model: z.string().max(1000),
});
export type EditorMade = z.infer<typeof editorMadeSchema>;

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
  /** Brush and eraser strokes over the image, oldest first (absent: none). */
  strokes: z.array(editorStrokeSchema).max(maxStrokesPerLayer).optional(),
  /**
   * What made the layer's image (an accepted result, or an image brought in from the history): the
   * generation it came from, with its parameters (for exports and the history). Absent: a file.
   */
  made: editorMadeSchema.optional(),
});

/** At most this many dream boxes on the canvas. */
export const maxEditorBoxes = 50;
export const maxBoxPromptLength = 2000;

/**
 * A dream box: a frame on the canvas whose pixels (and transparency) become an edit request,
 * with its own parameters. Its size is one its model can make.
 */
export const editorBoxSchema = z.object({
  id: ulidSchema,
  x: z.number().int().min(-maxCanvasCoordinate).max(maxCanvasCoordinate),
  y: z.number().int().min(-maxCanvasCoordinate).max(maxCanvasCoordinate),
  width: z.number().int().min(64).max(2048),
  height: z.number().int().min(64).max(2048),
  prompt: z.string().max(maxBoxPromptLength),
  negativePrompt: z.string().max(maxBoxPromptLength),
  /** Empty: the first configured model. */
  modelId: z.string().max(200),
  stylePreset: z.string().max(100),
  count: z.number().int().min(1).max(maxCount),
  cfgScale: z.number().finite().min(0).max(35),
  steps: z.number().int().min(10).max(150),
  /** 0: a random seed per image. */
  seed: z.number().int().min(0).max(maxSeed),
  /** Image-to-image: how much of the box's pixels survive (0 … 1). */
  strength: z.number().finite().min(0).max(1),
});

/**
 * A box's finished Dream, kept across a reload: its results to choose from (images of the
 * history, by ID), the one shown, and what Accept needs (the uploaded source and mask it was sent).
 */
export const editorBoxResultsSchema = z
  .object({
    boxId: ulidSchema,
    kind: z.enum(['img2img', 'inpaint', 'outpaint']),
    images: z
      .array(
        z.object({ generationId: itemIdSchema, imageId: itemIdSchema, seed: z.number().int().min(0).max(maxSeed) }),
      )
      .min(1)
      .max(maxCount),
    /** The result shown. */
    index: z
      .number()
      .int()
      .min(0)
      .max(maxCount - 1),
    sourceUploadId: ulidSchema,
    maskUploadId: ulidSchema.optional(),
    /** The generation's parameters and model, which an accepted result keeps (with its image's seed). */
    made: editorMadeSchema.omit({ seed: true }).optional(),
  })
  .refine((r) => r.index < r.images.length, { message: 'The result shown is one of the results', path: ['index'] });

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
  /** Dream boxes (absent: none). */
  boxes: z.array(editorBoxSchema).max(maxEditorBoxes).optional(),
  /** Boxes' finished Dreams still to choose from (absent: none). */
  results: z.array(editorBoxResultsSchema).max(maxEditorBoxes).optional(),
  view: editorViewSchema.optional(),
});

export type EditorImageLayer = z.infer<typeof editorImageLayerSchema>;
export type EditorStroke = z.infer<typeof editorStrokeSchema>;
export type EditorBox = z.infer<typeof editorBoxSchema>;
export type EditorView = z.infer<typeof editorViewSchema>;
export type EditorBoxResults = z.infer<typeof editorBoxResultsSchema>;
export type EditorDocument = z.infer<typeof editorDocumentSchema>;

/** A box's kept results as the page gets them back: each image's URL (absent: gone from the history), what is wrong. */
export interface EditorBoxResultsAnswer {
  /** Image URL per image ID, for each result still in the history. */
  urls: Record<string, string>;
  /** Said in the box: results gone from the history, or an upload Accept needs that is gone. */
  problem?: string;
  /** False when the source or mask upload is gone: a result can no longer be laid into the box. */
  acceptable: boolean;
}

/** The document as the page gets it: with the URL of each layer's image, and any notice about it. */
export interface EditorDocumentAnswer {
  document: EditorDocument;
  /** Image URL per image ID, for every layer. */
  urls: Record<string, string>;
  /** Said once when the stored document could not be read and was set aside. */
  notice?: string;
  /** Per box ID, for each box with kept results. */
  results?: Record<string, EditorBoxResultsAnswer>;
}

/** An image brought into the editor: its file's ID, URL and size (and, from the history, what made it). */
export interface EditorImage {
  imageId: string;
  url: string;
  width: number;
  height: number;
  made?: EditorMade;
}
