import type { PluginSettingBoolean, PluginSettingString } from '@stability/stablestudio-plugin';
import { modelConfigSchema } from '../../src-shared/settings';
import type { Settings } from '../../src-shared/settings';
import { z } from 'zod';

/** The browser SageMaker plugin's seven settings, same meaning, read from the app's settings. */
export type SageMakerSettings = {
  modelConfiguration: PluginSettingString;
  region: PluginSettingString;
  identityPoolId: PluginSettingString;
  storeGeneratedImages: PluginSettingBoolean;
  generationsTable: PluginSettingString;
  generationsBucket: PluginSettingString;
  projectId: PluginSettingString;
};

export type SageMakerSettingKey = keyof SageMakerSettings;

export const toPluginSettings = (settings: Settings | undefined): SageMakerSettings => ({
  modelConfiguration: {
    type: 'string',
    title: 'Model configuration',
    description: 'JSON list of { modelId, modelName, endpointName }.',
    placeholder: '[{"modelId": "sdxl", "modelName": "SDXL 1.0", "endpointName": "my-endpoint"}]',
    required: true,
    value: JSON.stringify(
      (settings?.models ?? []).map(({ modelId, modelName, endpointName }) => ({ modelId, modelName, endpointName })),
    ),
  },
  region: {
    type: 'string',
    title: 'AWS region',
    placeholder: 'us-east-1',
    required: true,
    value: settings?.region ?? '',
  },
  identityPoolId: {
    type: 'string',
    title: 'Cognito Identity Pool ID',
    placeholder: 'us-east-1:00000000-0000-0000-0000-000000000000',
    value: settings?.identityPoolId ?? '',
  },
  storeGeneratedImages: {
    type: 'boolean',
    title: 'Store generated images',
    description: 'Keep history in S3 and DynamoDB.',
    value: settings?.storeGeneratedImages ?? false,
  },
  generationsTable: { type: 'string', title: 'Generations table', value: settings?.generationsTable ?? '' },
  generationsBucket: { type: 'string', title: 'Generations bucket', value: settings?.generationsBucket ?? '' },
  projectId: { type: 'string', title: 'Project ID', value: settings?.projectId ?? '' },
});

const modelConfigurationSchema = z.array(modelConfigSchema);

/**
 * One plugin setting applied to the app's settings. Returns an error message
 * when the value cannot be read (the contract validates the rest on save).
 */
export const applySetting = (
  settings: Settings,
  key: SageMakerSettingKey,
  value: string | boolean | number,
): { settings: Settings } | { error: string } => {
  switch (key) {
    case 'modelConfiguration': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(value));
      } catch {
        return { error: 'Model configuration must be JSON.' };
      }
      const models = modelConfigurationSchema.safeParse(parsed);
      if (!models.success) return { error: models.error.issues[0]?.message ?? 'Invalid model configuration.' };
      return { settings: { ...settings, models: models.data } };
    }
    case 'storeGeneratedImages':
      return { settings: { ...settings, storeGeneratedImages: value === true } };
    case 'region':
    case 'identityPoolId':
    case 'generationsTable':
    case 'generationsBucket':
    case 'projectId':
      return { settings: { ...settings, [key]: String(value) } };
  }
};
