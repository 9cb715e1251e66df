import { createPlugin, PluginError } from '@stability/stablestudio-plugin';
import type { PluginStore, StableDiffusionProgress, StableDiffusionStyle } from '@stability/stablestudio-plugin';
import type { StudioApi } from '../../src-shared/contract';
import { stylePresets } from '../../src-shared/generation';
import type { StudioEvent } from '../../src-shared/generation';
import { toFailedImage, toGenerationInput, toImage, toImages, toModel, toPluginInput, unwrap } from './mapping';
import { applySetting, toPluginSettings } from './settings';
import type { SageMakerSettings } from './settings';

export type { SageMakerSettings } from './settings';

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
    case 'generation.done':
      return { type: 'done', requestID: event.clientId, images: toImages(event.generation) };
  }
};

/**
 * The SageMaker plugin: StableStudio's plugin shape, every call forwarded to
 * the main process (or web server) through the bridge. Failures throw
 * PluginError with the contract's code, message and hint.
 */
export const createSageMakerPlugin = (bridge: StudioApi): PluginStore<SageMakerSettings> =>
  createPlugin<SageMakerSettings>(({ set }) => {
    // The settings mirror is informational; a failure to read them shows in
    // getStatus and in the Settings dialog, which read the same source.
    const loadSettings = async (): Promise<void> => {
      const result = await bridge.getSettings();
      if (result.ok) set({ settings: toPluginSettings(result.value) });
    };
    void loadSettings();

    return {
      manifest: {
        name: 'Amazon SageMaker',
        author: 'StableStudio Desktop',
        description: 'Generate with Stable Diffusion XL on your own SageMaker endpoints.',
        version: '0.1.0',
        license: 'MIT',
      },

      settings: toPluginSettings(undefined),

      setSetting: async (key, value) => {
        const current = unwrap(await bridge.getSettings());
        const applied = applySetting(current, key, value);
        if ('error' in applied) {
          throw new PluginError({ code: 'settings.invalid', message: applied.error, fields: { [key]: applied.error } });
        }
        const saved = unwrap(await bridge.saveSettings(applied.settings));
        set({ settings: toPluginSettings(saved) });
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
        const input = toGenerationInput(options?.input ?? {});
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
          const progress = toProgress(event);
          if (progress) listener(progress);
        }),
    };
  });
