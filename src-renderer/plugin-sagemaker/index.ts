import { createPlugin, PluginError } from '@stability/stablestudio-plugin';
import type {
  PluginStore,
  StableDiffusionLibraryChange,
  StableDiffusionProgress,
  StableDiffusionStyle,
} from '@stability/stablestudio-plugin';
import type { StudioApi } from '../../src-shared/contract';
import { stylePresets } from '../../src-shared/sdxl';
import type { StudioEvent } from '../../src-shared/generation';
import { getBridge } from '../bridge';
import {
  toFailedImage,
  toGenerationInput,
  toImage,
  toImages,
  toModel,
  toPluginInput,
  toSync,
  unwrap,
  uploadInputImages,
} from './mapping';

const styleName = (id: string): string =>
  id
    .split('-')
    .map((word) => (word === '3d' ? '3D' : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');

const styles: StableDiffusionStyle[] = stylePresets.map((id) => ({ id, name: styleName(id) }));

/** Contract events → StableStudio-style progress, keyed by the caller's requestID (our clientId). */
const toProgress = (event: StudioEvent): StableDiffusionProgress | undefined => {
  switch (event.type) {
    case 'generation.started':
      return {
        type: 'started',
        requestID: event.clientId,
        imagesID: event.generationId,
        count: event.count,
        createdAt: new Date(event.createdAt),
      };
    case 'image.ready':
      return {
        type: 'image',
        requestID: event.clientId,
        imagesID: event.generationId,
        index: event.image.index,
        image: toImage(event.image),
      };
    case 'image.failed':
      return {
        type: 'image',
        requestID: event.clientId,
        imagesID: event.generationId,
        index: event.failure.index,
        image: toFailedImage(event.generationId, event.failure),
      };
    case 'image.progress':
      return {
        type: 'progress',
        requestID: event.clientId,
        imagesID: event.generationId,
        index: event.index,
        done: event.done,
        total: event.total,
        message: event.message,
      };
    case 'generation.done':
      return { type: 'done', requestID: event.clientId, images: toImages(event.generation) };
  }
};

const toLibraryChange = (event: StudioEvent): StableDiffusionLibraryChange | undefined => {
  if (event.type === 'sync.changed') return { type: 'sync', imagesID: event.generationId, sync: toSync(event.sync) };
  if (event.type === 'generation.deleted') {
    return { type: 'deleted', imagesID: event.generationId, imageIDs: event.imageIds, remaining: event.remaining };
  }
  return undefined;
};

/**
 * The SageMaker plugin: StableStudio's plugin shape, every Stable Diffusion call forwarded
 * to the main process (or web server) through the bridge. Failures throw PluginError with
 * the contract's code, message and hint. It has no settings of its own: the app's settings
 * (models, region, sign-in, storage) are edited in the Settings dialog, through app-services.
 */
export const createSageMakerPlugin = (bridge: StudioApi = getBridge()): PluginStore =>
  createPlugin(({ set }) => {
    return {
      manifest: {
        name: 'Amazon SageMaker',
        author: 'StableStudio Desktop',
        description: 'Generate with Stable Diffusion XL on your own SageMaker endpoints.',
        version: '0.1.0',
        license: 'MIT',
      },

      getStatus: async () => unwrap(await bridge.getStatus()),

      getStableDiffusionModels: async () => unwrap(await bridge.listModels()).map(toModel),

      getStableDiffusionSamplers: async (options) =>
        unwrap(await bridge.listSamplers({ modelId: options?.model ?? '' })),

      getStableDiffusionStyles: () => styles,

      getStableDiffusionDefaultCount: async () => unwrap(await bridge.getDefaultCount()),

      getStableDiffusionDefaultInput: async (options) =>
        toPluginInput(unwrap(await bridge.getDefaultInput({ modelId: options?.model ?? '' }))),

      createStableDiffusionImages: async (options) => {
        const upload = async (bytes: Uint8Array<ArrayBuffer>, name: string): Promise<string> =>
          unwrap(await bridge.uploadInitImage({ bytes, name })).id;
        const input = toGenerationInput(await uploadInputImages(options?.input ?? {}, upload));
        const generation = unwrap(
          await bridge.generate({ input, count: options?.count ?? 1, clientId: options?.requestID ?? '' }),
        );
        return toImages(generation);
      },

      getStableDiffusionExistingImages: async (options) => {
        const page = unwrap(
          await bridge.listGenerations({
            limit: options?.limit ?? 20,
            ...(options?.exclusiveStartImageID ? { cursor: options.exclusiveStartImageID } : {}),
          }),
        );
        set({ historyNotice: page.notice });
        return page.generations.map((generation) => toImages(generation, page.nextCursor));
      },

      searchStableDiffusionImages: async ({ query, limit, exclusiveStartImageID }) => {
        const page = unwrap(
          await bridge.searchGenerations({
            query,
            limit: limit ?? 40,
            ...(exclusiveStartImageID ? { cursor: exclusiveStartImageID } : {}),
          }),
        );
        return {
          images: page.generations.map((generation) => toImages(generation)),
          ...(page.nextCursor ? { exclusiveStartImageID: page.nextCursor } : {}),
          ...(page.notice ? { notice: page.notice } : {}),
        };
      },

      deleteStableDiffusionImages: async (options) => {
        const generationId = options?.imagesID;
        if (!generationId) {
          throw new PluginError({ code: 'input.invalid', message: 'Say which batch the images belong to (imagesID).' });
        }
        const imageIds = options.imageIDs;
        unwrap(await bridge.deleteImages({ generationId, ...(imageIds ? { imageIds } : {}) }));
      },

      cancelStableDiffusionImages: async ({ requestID }) =>
        unwrap(await bridge.cancelGeneration({ clientId: requestID })),

      onStableDiffusionProgress: (listener) =>
        bridge.onEvent((event) => {
          if (event.type === 'app.command') return;
          const progress = toProgress(event);
          if (progress) listener(progress);
        }),

      onStableDiffusionLibraryChange: (listener) =>
        bridge.onEvent((event) => {
          if (event.type === 'app.command') return;
          const change = toLibraryChange(event);
          if (change) listener(change);
        }),
    };
  });
