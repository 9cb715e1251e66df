import type { StudioApi } from '../../src-shared/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in web mode. */
    studio?: StudioApi;
  }
}

export {};
