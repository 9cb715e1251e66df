import { ipcMain } from 'electron';
import type { WebContents } from 'electron';
import { ipcChannel, ipcEventChannel, operationNames } from '../../src-shared/contract';
import { fail } from '../../src-shared/errors';
import type { Core } from '../core';
import { isTrustedSender } from '../core/policy';

/**
 * One handler per contract operation; each checks the sender frame before validating and
 * dispatching. Bound at once; calls made while the core still loads wait for it.
 */
export const bindIpc = (core: Core | Promise<Core>, appUrl: () => string): void => {
  const loaded = Promise.resolve(core);
  for (const name of operationNames) {
    ipcMain.handle(ipcChannel(name), async (event, input: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedSender(frame.url, appUrl())) {
        return fail({ code: 'input.invalid', message: 'Refused: the call did not come from the app window.' });
      }
      try {
        return (await loaded).dispatch(name, input);
      } catch (error) {
        return fail({ code: 'internal', message: `The app could not start: ${String(error)}` });
      }
    });
  }
};

/** Forwards progress events to the window (payload only), once the core is loaded. */
export const forwardEvents = async (
  core: Core | Promise<Core>,
  target: () => WebContents | undefined,
): Promise<void> => {
  (await core).events.subscribe((event) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(ipcEventChannel, event);
  });
};
