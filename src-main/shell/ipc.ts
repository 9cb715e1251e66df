import { ipcMain } from 'electron';
import type { WebContents } from 'electron';
import { ipcChannel, ipcEventChannel, operationNames } from '../../src-shared/contract';
import { fail } from '../../src-shared/errors';
import type { Core } from '../core';
import { isTrustedSender } from '../core/policy';

/** One handler per contract operation; each checks the sender frame before validating and dispatching. */
export const bindIpc = (core: Core, appUrl: () => string): void => {
  for (const name of operationNames) {
    ipcMain.handle(ipcChannel(name), async (event, input: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedSender(frame.url, appUrl())) {
        return fail({ code: 'input.invalid', message: 'Refused: the call did not come from the app window.' });
      }
      return core.dispatch(name, input);
    });
  }
};

/** Forwards progress events to the window (payload only). */
export const forwardEvents = (core: Core, target: () => WebContents | undefined): (() => void) =>
  core.events.subscribe((event) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(ipcEventChannel, event);
  });
