/**
 * Our own rendition of StableStudio's `@stability/stablestudio-plugin` types.
 * The shapes follow StableStudio's; additions are marked "(desktop)".
 */

export type ID = string;
export type MaybePromise<T> = T | Promise<T>;

export interface PluginManifest {
  name?: string;
  author?: string;
  link?: string;
  icon?: string;
  version?: string;
  license?: string;
  description?: string;
}

interface PluginSettingBase<T extends string, V> {
  type: T;
  title: string;
  description?: string;
  placeholder?: string;
  required?: boolean;
  value?: V;
}

export type PluginSettingString = PluginSettingBase<'string', string> & { password?: boolean };
export type PluginSettingBoolean = PluginSettingBase<'boolean', boolean>;
export type PluginSettingNumber = PluginSettingBase<'number', number> & {
  min?: number;
  max?: number;
  step?: number;
  variant?: 'slider' | 'input';
};
export type PluginSetting = PluginSettingString | PluginSettingBoolean | PluginSettingNumber;
export type PluginSettings = Record<string, PluginSetting>;

export type PluginSettingValue<S extends PluginSetting> = NonNullable<S['value']>;

export interface PluginStatus {
  indicator?: 'success' | 'error' | 'warning' | 'info' | 'loading';
  text?: string;
}

export interface StableDiffusionPrompt {
  text?: string;
  /** Negative weights make a negative prompt. */
  weight?: number;
}

/** (desktop) An image the studio already holds: an upload, or an image of the library. */
export type StableDiffusionImageRef = { kind: 'upload'; id: ID } | { kind: 'library'; generationId: ID; imageId: ID };

export interface StableDiffusionInputImage {
  blob?: Blob;
  /** For an initial image: how much of it survives (0–1, the image strength). */
  weight?: number;
  /** (desktop) The image by reference instead of as a blob (bytes never cross the bridge twice). */
  ref?: StableDiffusionImageRef;
}

export interface StableDiffusionSampler {
  id: ID;
  name?: string;
}

export interface StableDiffusionModel {
  id: ID;
  name?: string;
  description?: string;
  image?: string;
  /** (desktop) Width × height pairs the model's payload format accepts. */
  sizes?: Array<{ width: number; height: number }>;
  /** (desktop) The payload format the model's endpoint speaks (which options it takes). */
  format?: string;
}

export interface StableDiffusionStyle {
  id: ID;
  name?: string;
  description?: string;
  image?: string;
}

export interface StableDiffusionInput {
  prompts?: StableDiffusionPrompt[];
  model?: ID;
  sampler?: StableDiffusionSampler;
  style?: ID;
  width?: number;
  height?: number;
  cfgScale?: number;
  steps?: number;
  seed?: number;
  initialImage?: StableDiffusionInputImage;
  maskImage?: StableDiffusionInputImage;
  /** (desktop) An edit of the Edit tab: where its dream box was on the canvas. */
  box?: { x: number; y: number; width: number; height: number };
  /** (desktop) What the request makes; absent: from text, or from the initial image when there is one. */
  kind?: StableDiffusionKind;
  /** (desktop) Upscaling: the noise the upscaler adds to the small image first. */
  noiseLevel?: number;
}

/** (desktop) What a generation makes: from text, from an image, inside a mask, past an edge, or larger. */
export type StableDiffusionKind = 'txt2img' | 'img2img' | 'inpaint' | 'outpaint' | 'upscale';

export type StableDiffusionFinishReason = 'SUCCESS' | 'CONTENT_FILTERED' | 'ERROR';

/** (desktop) Why one image of a batch did not come back. */
export interface StableDiffusionImageError {
  code: string;
  message: string;
  hint?: string;
}

export interface StableDiffusionImage {
  id: ID;
  createdAt?: Date;
  input?: StableDiffusionInput;
  /** A URL the renderer can load (studio-image:// in Electron, /images/… in web mode). */
  src?: string;
  finishReason?: StableDiffusionFinishReason;
  /** (desktop) Set when finishReason is not SUCCESS. */
  error?: StableDiffusionImageError;
  /** (desktop) A small version of `src` for grids. */
  thumbSrc?: string;
}

/** (desktop) Where a batch stands in the shared cloud history. */
export interface StableDiffusionSync {
  state: 'pending' | 'synced' | 'cloud' | 'local';
  /** Why it is still pending. */
  reason?: string;
  attempts?: number;
  nextAttemptAt?: Date;
}

export interface StableDiffusionImages {
  id: ID;
  images?: StableDiffusionImage[];
  /** Pass back to getStableDiffusionExistingImages to continue after this batch. */
  exclusiveStartImageID?: ID;
  /** (desktop) When the batch was made. */
  createdAt?: Date;
  /** (desktop) Cloud history state; absent when the batch lives only on this computer. */
  sync?: StableDiffusionSync;
  /** (desktop) An edit's source image (and mask) as sent: URLs the renderer can load. */
  sources?: { src: string; maskSrc?: string };
}

/** (desktop) Progress of one createStableDiffusionImages call, matched by requestID. */
export type StableDiffusionProgress =
  | { type: 'started'; requestID: ID; imagesID: ID; count: number; createdAt: Date }
  | { type: 'image'; requestID: ID; imagesID: ID; index: number; image: StableDiffusionImage }
  /** Work on image `index` advanced: `done` of `total` steps (tiles of an upscale), said in `message`. */
  | { type: 'progress'; requestID: ID; imagesID: ID; index: number; done: number; total: number; message: string }
  | { type: 'done'; requestID: ID; images: StableDiffusionImages };

/** (desktop) A page of search results, paged like the history. */
export interface StableDiffusionSearchPage {
  images: StableDiffusionImages[];
  /** Pass back to continue after this page; absent on the last page. */
  exclusiveStartImageID?: ID;
  /** Said when the results are not what was asked for (e.g. the cloud is unreachable: this computer's only). */
  notice?: string;
}

/** (desktop) The library changed underneath (this window or another): a batch's cloud state, or deleted images. */
export type StableDiffusionLibraryChange =
  | { type: 'sync'; imagesID: ID; sync: StableDiffusionSync }
  | { type: 'deleted'; imagesID: ID; imageIDs: ID[]; remaining: number };

export interface Plugin<S extends PluginSettings = PluginSettings> {
  manifest?: PluginManifest;

  createStableDiffusionImages?: (options?: {
    input?: StableDiffusionInput;
    count?: number;
    /** (desktop) Caller-chosen ID that progress events and cancellation refer to. */
    requestID?: ID;
  }) => MaybePromise<StableDiffusionImages | undefined>;

  getStableDiffusionExistingImages?: (options?: {
    exclusiveStartImageID?: ID;
    limit?: number;
  }) => MaybePromise<StableDiffusionImages[] | undefined>;

  deleteStableDiffusionImages?: (options?: {
    imageIDs?: ID[];
    /** (desktop) The batch the images belong to; without imageIDs, the whole batch. */
    imagesID?: ID;
  }) => MaybePromise<void>;

  /** (desktop) Batches whose prompt holds every word of the query, newest first, across the whole library. */
  searchStableDiffusionImages?: (options: {
    query: string;
    limit?: number;
    exclusiveStartImageID?: ID;
  }) => MaybePromise<StableDiffusionSearchPage>;

  /** (desktop) Said by the last getStableDiffusionExistingImages call when its page is not what was asked for. */
  historyNotice?: string;

  getStableDiffusionModels?: () => MaybePromise<StableDiffusionModel[] | undefined>;
  getStableDiffusionSamplers?: (options?: { model?: ID }) => MaybePromise<StableDiffusionSampler[] | undefined>;
  getStableDiffusionStyles?: () => MaybePromise<StableDiffusionStyle[] | undefined>;
  getStableDiffusionDefaultCount?: () => MaybePromise<number | undefined>;
  getStableDiffusionDefaultInput?: (options?: { model?: ID }) => MaybePromise<StableDiffusionInput | undefined>;

  /** (desktop) Stop a running createStableDiffusionImages call. */
  cancelStableDiffusionImages?: (options: { requestID: ID }) => MaybePromise<boolean>;
  /** (desktop) Subscribe to progress; returns the unsubscribe function. */
  onStableDiffusionProgress?: (listener: (progress: StableDiffusionProgress) => void) => () => void;

  /** (desktop) Subscribe to library changes; returns the unsubscribe function. */
  onStableDiffusionLibraryChange?: (listener: (change: StableDiffusionLibraryChange) => void) => () => void;

  getStatus?: () => MaybePromise<PluginStatus | undefined>;

  settings?: S;
  setSetting?: <K extends keyof S>(key: K, value: PluginSettingValue<S[K]>) => MaybePromise<void>;
}
