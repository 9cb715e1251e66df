import { contextBridge, ipcRenderer } from 'electron';
import type { StudioApi } from '../src-shared/contract';
import { bridgeGlobal, ipcChannel, ipcEventChannel, operationNames } from '../src-shared/operations';
import type { AppCommandEvent, StudioEvent } from '../src-shared/generation';

/**
 * One named function per contract operation, nothing raw: the page never sees
 * ipcRenderer or the Electron event object, only payloads.
 */
const api: Record<string, unknown> = {};
for (const name of operationNames) {
  api[name] = (input?: unknown) => ipcRenderer.invoke(ipcChannel(name), input);
}
api.onEvent = (listener: (event: StudioEvent | AppCommandEvent) => void) => {
  const forward = (_event: Electron.IpcRendererEvent, payload: StudioEvent | AppCommandEvent): void =>
    listener(payload);
  ipcRenderer.on(ipcEventChannel, forward);
  return () => {
    ipcRenderer.removeListener(ipcEventChannel, forward);
  };
};

contextBridge.exposeInMainWorld(bridgeGlobal, api as unknown as StudioApi);
