import { z } from 'zod';
import { settingsSchema } from '../../src-shared/settings';

/**
 * The JSON Schema `properties` electron-store validates the stored settings with,
 * derived from the same zod schema the core uses (cross-field rules stay in zod).
 */
export const settingsJsonSchemaProperties = (): Record<string, unknown> => {
  const json = z.toJSONSchema(settingsSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return json.properties ?? {};
};
