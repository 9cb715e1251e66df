import { z } from 'zod';
import type { SignInState } from './auth';
import type { AppError } from './errors';
import { generationKinds } from './formats';
import { itemIdSchema, ulidSchema } from './ids';
import { maxCount, maxSeed } from './sdxl';

// Plain values, kept apart so the renderer's start-up reads them without zod.
export { maxCount, maxSeed, sdxlSizes, stabilitySamplers, stylePresets } from './sdxl';

export const generationInputSchema = z.object({
  prompt: z.string().trim().min(1, 'Type a prompt first').max(2000, 'Prompt is at most 2,000 characters'),
  negativePrompt: z.string().trim().max(2000).default(''),
  /** Empty means the first configured model. */
  modelId: z.string().default(''),
  sampler: z.string().default(''),
  stylePreset: z.string().default(''),
  cfgScale: z.number().min(0).max(35).default(7),
  steps: z.number().int().min(10).max(150).default(30),
  /** 0 means a random seed per image. */
  seed: z.number().int().min(0).max(maxSeed).default(0),
  width: z.number().int().min(64).max(2048).default(1024),
  height: z.number().int().min(64).max(2048).default(1024),
  /** Image-to-image: start from this image (an upload, or an image of the library). */
  initImage: z
    .union([
      z.object({ kind: z.literal('upload'), id: ulidSchema }),
      z.object({ kind: z.literal('library'), generationId: itemIdSchema, imageId: itemIdSchema }),
    ])
    .optional(),
  /** How much of the init image survives: 0 = ignore it, 1 = keep it as is. */
  imageStrength: z.number().min(0).max(1).default(0.35),
  /**
   * What the generation makes (see `generationKinds`). Absent: text-to-image, or image-to-image
   * when there is an init image (what older records mean); `kindOf` reads it.
   */
  kind: z.enum(generationKinds).optional(),
  /**
   * Inpainting and outpainting: an uploaded PNG the size of the init image, white where pixels are
   * generated, black where they are kept (grey: partly; transparent counts as black).
   */
  maskImage: z.object({ kind: z.literal('upload'), id: ulidSchema }).optional(),
  /** An edit of the Edit tab: where its dream box was on the canvas (to reopen it there). */
  box: z
    .object({
      x: z.number().int().min(-1_000_000).max(1_000_000),
      y: z.number().int().min(-1_000_000).max(1_000_000),
      width: z.number().int().min(1).max(16_384),
      height: z.number().int().min(1).max(16_384),
    })
    .optional(),
  /** Upscaling: how much noise the upscaler adds to the small image first (its default: 20). */
  noiseLevel: z.number().int().min(0).max(350).optional(),
});
export type GenerationInput = z.output<typeof generationInputSchema>;
export type InitImageRef = NonNullable<GenerationInput['initImage']>;
export type MaskImageRef = NonNullable<GenerationInput['maskImage']>;
export { generationKinds, kindOf } from './formats';
export type { GenerationKind } from './formats';

export const generateRequestSchema = z.object({
  input: generationInputSchema,
  count: z.number().int().min(1).max(maxCount).default(1),
  /** Chosen by the caller so it can match progress events to its own placeholder. */
  clientId: z.string().max(100).default(''),
});
export type GenerateRequest = z.input<typeof generateRequestSchema>;

export type FinishReason = 'SUCCESS' | 'CONTENT_FILTERED' | 'ERROR';

export interface StoredImage {
  id: string;
  generationId: string;
  index: number;
  seed: number;
  width: number;
  height: number;
  contentType: 'image/png' | 'image/jpeg';
  finishReason: 'SUCCESS';
  /** Where the renderer loads the bytes: studio-image:// in Electron, /images/… in web mode. */
  url: string;
  /** A small WebP of the image for grids, made on first request. */
  thumbUrl: string;
}

export interface ImageFailure {
  index: number;
  error: AppError;
  finishReason?: FinishReason;
}

export type GenerationStatus = 'done' | 'partial' | 'failed' | 'cancelled';

export interface Generation {
  id: string;
  createdAt: string;
  input: GenerationInput;
  count: number;
  modelId: string;
  endpointName: string;
  status: GenerationStatus;
  images: StoredImage[];
  failures: ImageFailure[];
  /** Cloud history state; absent when the generation lives only in the local library. */
  sync?: SyncInfo;
  /** An edit's source image (and mask) as sent, where the renderer loads them. */
  sources?: { imageUrl: string; maskUrl?: string };
}

/**
 * `pending`: generated and safe in the local library, waiting to reach S3 + DynamoDB (reason says why).
 * `synced`: in the cloud. `cloud`: from the cloud history, written by this or another machine.
 * `local`: made while cloud storage was off: only on this computer until uploaded.
 */
export type SyncState = 'pending' | 'synced' | 'cloud' | 'local';

export interface SyncInfo {
  state: SyncState;
  reason?: string;
  attempts?: number;
  nextAttemptAt?: string;
}

export interface GenerationPage {
  generations: Generation[];
  /** Pass back as `cursor` to get the next (older) page; absent on the last page. */
  nextCursor?: string;
  /** Said when the page is not what was asked for (e.g. the cloud is unreachable: local history shown). */
  notice?: string;
}

export interface ModelInfo {
  id: string;
  name: string;
  endpointName: string;
  format: string;
  sizes: Array<{ width: number; height: number }>;
}

export interface SamplerInfo {
  id: string;
  name: string;
}

export interface StatusReport {
  indicator: 'success' | 'warning' | 'error' | 'info';
  text: string;
}

/** Progress of long work, one stream for all of it. */
export type StudioEvent =
  | {
      type: 'generation.started';
      generationId: string;
      clientId: string;
      createdAt: string;
      input: GenerationInput;
      count: number;
    }
  | { type: 'image.ready'; generationId: string; clientId: string; image: StoredImage }
  | { type: 'image.failed'; generationId: string; clientId: string; failure: ImageFailure }
  /** Work on image `index` advanced (a tiled upscale: `done` of `total` tiles), said in `message`. */
  | {
      type: 'image.progress';
      generationId: string;
      clientId: string;
      index: number;
      done: number;
      total: number;
      message: string;
    }
  | { type: 'generation.done'; generationId: string; clientId: string; generation: Generation }
  | { type: 'sync.changed'; generationId: string; clientId: string; sync: SyncInfo }
  | { type: 'generation.deleted'; generationId: string; clientId: string; imageIds: string[]; remaining: number }
  | { type: 'signIn.changed'; state: SignInState };

/** Desktop: a menu or dock item asks the studio to do something only the page can (open a dialog, Dream). */
export interface AppCommandEvent {
  type: 'app.command';
  command: AppCommand;
}

/** `openFiles`: PNG files (opened from the system, or chosen with File → Import PNG…) wait in `takeOpenedFiles`. */
export const appCommands = ['openSettings', 'dream', 'openFiles'] as const;
export type AppCommand = (typeof appCommands)[number];
