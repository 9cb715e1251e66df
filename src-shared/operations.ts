/**
 * The names of every operation. Kept apart from the schemas so the preload can
 * bind them without bundling zod; contract.ts must define exactly these (checked by `satisfies`).
 */
export const operationNames = [
  'getSettings',
  'saveSettings',
  'getStatus',
  'listProfiles',
  'discoverEndpoints',
  'testConnection',
  'listModels',
  'listSamplers',
  'getDefaultInput',
  'getDefaultCount',
  'generate',
  'cancelGeneration',
  'listGenerations',
  'deleteImages',
  'retrySync',
  'uploadToCloud',
  'searchGenerations',
  'uploadInitImage',
  'uploadPixels',
  'getCapabilities',
  'revealImage',
  'startImageDrag',
  'takeOpenedFiles',
  'getEditorDocument',
  'saveEditorDocument',
  'addEditorImage',
  'addEditorImageFromLibrary',
  'getSignInState',
  'signIn',
  'signOut',
  'acceptEditorResult',
  'sendToHistory',
] as const;

export type OperationName = (typeof operationNames)[number];

export const ipcChannel = (name: OperationName): string => `studio:${name}`;
export const ipcEventChannel = 'studio:event';
/** The name the preload exposes the API under (`window.studio`). */
export const bridgeGlobal = 'studio';
