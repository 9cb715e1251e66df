import { z } from 'zod';
import type { SignInStart, SignInState } from './auth';
import type { ConnectionReport, EndpointSummary, ProfileList } from './aws';
import { editorDocumentSchema } from './editor';
import type { EditorDocumentAnswer, EditorImage } from './editor';
import type { Result } from './errors';
import { generateRequestSchema, generationInputSchema } from './generation';
import { itemIdSchema, ulidSchema } from './ids';
import { maxInitImageBytes, megabytes } from './limits';
import type {
  AppCommandEvent,
  Generation,
  GenerationInput,
  GenerationPage,
  ModelInfo,
  SamplerInfo,
  StatusReport,
  StudioEvent,
} from './generation';
import type { OperationName } from './operations';
import { settingsPatchSchema, settingsSchema } from './settings';
import type { Settings } from './settings';

/** PNG files opened from the system, to import their parameters; `problems` names the ones that could not be read. */
export interface OpenedFiles {
  files: Array<{ name: string; bytes: Uint8Array }>;
  problems: string[];
}

export { bridgeGlobal, ipcChannel, ipcEventChannel, operationNames } from './operations';
export type { OperationName } from './operations';

/** An operation: its input schema, and its output type carried as a phantom. */
interface Operation<I extends z.ZodType, O> {
  input: I;
  readonly __output?: O;
}
const op =
  <O>() =>
  <I extends z.ZodType>(input: I): Operation<I, O> => ({ input });

const none = z.undefined().or(z.object({}).strict()).optional();

/**
 * Every operation of the app, once. Electron IPC, the preload bridge, web mode
 * and the renderer are all derived from this object.
 */
export const contract = {
  getSettings: op<Settings>()(none),
  /** Changes the settings given (the others keep their stored values); answers the whole settings. */
  saveSettings: op<Settings>()(settingsPatchSchema),
  getStatus: op<StatusReport>()(none),
  listProfiles: op<ProfileList>()(none),
  /** With settings: uses those (the dialog's unsaved values); without: the saved ones. */
  discoverEndpoints: op<EndpointSummary[]>()(settingsSchema.optional()),
  testConnection: op<ConnectionReport>()(settingsSchema.optional()),
  listModels: op<ModelInfo[]>()(none),
  listSamplers: op<SamplerInfo[]>()(z.object({ modelId: z.string().default('') }).optional()),
  getDefaultInput: op<GenerationInput>()(z.object({ modelId: z.string().default('') }).optional()),
  getDefaultCount: op<number>()(none),
  generate: op<Generation>()(generateRequestSchema),
  cancelGeneration: op<boolean>()(z.object({ clientId: z.string().min(1) })),
  /** Deletes some images of a generation, or all of it when imageIds is absent. */
  deleteImages: op<{ removed: number; remaining: number }>()(
    z.object({
      generationId: itemIdSchema,
      imageIds: z.array(itemIdSchema).min(1).max(100).optional(),
    }),
  ),
  /** Finds generations whose prompt contains every word of the query, newest first, across the whole library. */
  searchGenerations: op<GenerationPage>()(
    z.object({
      query: z.string().trim().min(1).max(200),
      limit: z.number().int().min(1).max(200).default(50),
      cursor: itemIdSchema.optional(),
    }),
  ),
  /** Stores an image to start from (PNG, JPEG or WebP bytes; never base64). */
  uploadInitImage: op<{ id: string; url: string; width: number; height: number }>()(
    z.object({
      bytes: z
        .instanceof(Uint8Array)
        .refine((b) => b.byteLength <= maxInitImageBytes, `At most ${megabytes(maxInitImageBytes)}`),
      name: z.string().max(200).default(''),
    }),
  ),
  /**
   * Stores raw pixels as an image to start from, encoded to PNG here: an Edit box's init image
   * (RGBA, four bytes a pixel, kept as RGB with its transparency laid over neutral grey; or RGB)
   * or mask (grey, one byte a pixel), row after row. The page leaves encoding to the main
   * process, which does it off the page's thread and sends the file as it is. Answered at once.
   */
  uploadPixels: op<{ id: string; url: string; width: number; height: number }>()(
    z
      .object({
        bytes: z
          .instanceof(Uint8Array)
          .refine((b) => b.byteLength <= maxInitImageBytes, `At most ${megabytes(maxInitImageBytes)}`),
        width: z.number().int().min(1).max(8192),
        height: z.number().int().min(1).max(8192),
        channels: z.union([z.literal(1), z.literal(3), z.literal(4)]),
        name: z.string().max(200).default(''),
      })
      .refine((p) => p.bytes.byteLength === p.width * p.height * p.channels, {
        message: 'The pixels are not width × height × channels bytes.',
        path: ['bytes'],
      }),
  ),
  /** What this app can do where it runs (desktop-only actions). */
  getCapabilities: op<{ desktop: boolean }>()(none),
  /** Desktop: shows the image file in the system file manager. */
  revealImage: op<boolean>()(z.object({ generationId: itemIdSchema, imageId: itemIdSchema })),
  /** Desktop: starts dragging the image file out of the window. */
  startImageDrag: op<boolean>()(z.object({ generationId: itemIdSchema, imageId: itemIdSchema })),
  /**
   * Desktop: the PNG files the system asked the app to open ("Open with", a file dropped on the
   * dock icon, a second launch with files), read once and forgotten; empty elsewhere.
   */
  takeOpenedFiles: op<OpenedFiles>()(none),
  /** Retries every pending cloud upload and delete now. */
  retrySync: op<{ pending: number }>()(none),
  /**
   * Uploads generations that are only on this computer (made while cloud storage was off)
   * to the cloud history: the ones named, or all of them.
   */
  uploadToCloud: op<{ queued: number }>()(
    z.object({ generationIds: z.array(itemIdSchema).min(1).max(1000).optional() }).default({}),
  ),
  /** The Edit tab's document (a damaged one is set aside and an empty one answered, with a notice). */
  getEditorDocument: op<EditorDocumentAnswer>()(none),
  /** Replaces the Edit tab's document (written atomically); every layer's image must be in the editor folder. */
  saveEditorDocument: op<{ layers: number }>()(editorDocumentSchema),
  /** Stores an image for an editor layer (PNG, JPEG or WebP bytes; never base64), as PNG. */
  addEditorImage: op<EditorImage>()(
    z.object({
      bytes: z
        .instanceof(Uint8Array)
        .refine((b) => b.byteLength <= maxInitImageBytes, `At most ${megabytes(maxInitImageBytes)}`),
      name: z.string().max(200).default(''),
    }),
  ),
  /** Copies an image of the history into the editor folder, so the layer outlives the history's copy. */
  addEditorImageFromLibrary: op<EditorImage>()(z.object({ generationId: itemIdSchema, imageId: itemIdSchema })),
  /** Sign in with Cognito: who is signed in (after a remembered sign-in was restored), or why not. */
  getSignInState: op<SignInState>()(none),
  /** Starts a sign-in on the pool's sign-in page: the desktop app opens the system browser; web mode's page opens the URL. */
  signIn: op<SignInStart>()(none),
  /** Revokes the refresh token, forgets every token, drops the credentials. */
  signOut: op<SignInState>()(none),
  /**
   * Keeps a dream box's result as an editor layer image: laid into the box's source (the init
   * image uploaded for it) only where its mask is white, so every pixel outside the mask is the
   * source's exactly; without a mask (image-to-image) the result itself, at the source's size.
   */
  acceptEditorResult: op<EditorImage>()(
    z.object({
      generationId: itemIdSchema,
      imageId: itemIdSchema,
      sourceUploadId: ulidSchema,
      maskUploadId: ulidSchema.optional(),
    }),
  ),
  /**
   * Keeps a PNG made in the Edit tab (uploaded first with `uploadInitImage`) as a generation of one image (image-to-image unless `input`
   * says otherwise), with the parameters it was made with when known; answers it as the history shows it.
   */
  sendToHistory: op<Generation>()(z.object({ uploadId: ulidSchema, input: generationInputSchema.optional() })),
  listGenerations: op<GenerationPage>()(
    z.object({
      limit: z.number().int().min(1).max(200).default(20),
      cursor: itemIdSchema.optional(),
    }),
  ),
  // `satisfies` makes the keys exactly the names in operations.ts: none missing, none extra.
} satisfies Record<OperationName, Operation<z.ZodType, unknown>>;

export type Contract = typeof contract;

/** What a caller sends (defaults may be omitted). */
export type InputOf<N extends OperationName> = z.input<Contract[N]['input']>;
/** What a handler receives after validation. */
export type ParsedInputOf<N extends OperationName> = z.output<Contract[N]['input']>;
export type OutputOf<N extends OperationName> = NonNullable<Contract[N]['__output']>;

type Args<N extends OperationName> = undefined extends InputOf<N> ? [input?: InputOf<N>] : [input: InputOf<N>];

/** The API the renderer sees, identical over Electron IPC and web mode HTTP. */
export type StudioApi = { [N in OperationName]: (...args: Args<N>) => Promise<Result<OutputOf<N>>> } & {
  /** Subscribe to progress events (and, in the desktop app, the menu's commands); returns the unsubscribe function. */
  onEvent(listener: (event: StudioEvent | AppCommandEvent) => void): () => void;
};
