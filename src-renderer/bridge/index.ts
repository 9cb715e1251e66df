import './global';
import type { StudioApi } from '../../src-shared/contract';
import { createHttpBridge } from './http';

let bridge: StudioApi | undefined;

/** The preload's `window.studio` in Electron, the HTTP bridge in web mode. */
export const getBridge = (): StudioApi => {
  bridge ??= window.studio ?? createHttpBridge();
  return bridge;
};
