export type * from './types';
export { createPlugin } from './createPlugin';
export type { PluginContext, PluginFactory, PluginStore } from './createPlugin';
export { PluginError, describeError, unwrap } from './errors';
export { negativePromptOf, promptOf, toPrompts } from './prompts';
