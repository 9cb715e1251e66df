import { contract, operationNames } from '../../src-shared/contract';
import type { OperationName } from '../../src-shared/contract';
import { fail, ok } from '../../src-shared/errors';
import type { Result } from '../../src-shared/errors';
import { fieldErrors } from '../../src-shared/settings';
import { isStudioError } from './errors';
import type { Handlers } from './handlers';
import { log } from './log';

export const isOperationName = (name: string): name is OperationName =>
  (operationNames as readonly string[]).includes(name);

export type Dispatch = (name: string, input: unknown) => Promise<Result<unknown>>;

/**
 * The single entry for every call from the renderer (IPC or HTTP): validates the
 * input against the contract, runs the handler, and turns every outcome into data.
 */
export const createDispatcher =
  (handlers: Handlers): Dispatch =>
  async (name, input) => {
    if (!isOperationName(name)) return fail({ code: 'input.invalid', message: `Unknown operation "${name}".` });
    const parsed = contract[name].input.safeParse(input);
    if (!parsed.success) {
      return fail({
        code: name === 'saveSettings' ? 'settings.invalid' : 'input.invalid',
        message:
          name === 'saveSettings' ? 'Some settings are not valid; nothing was saved.' : 'The request was not valid.',
        fields: fieldErrors(parsed.error),
      });
    }
    try {
      // The handler for `name` takes exactly the parsed input of `name`; TypeScript cannot correlate the two.
      const handler = handlers[name] as (i: unknown) => Promise<unknown>;
      return ok(await handler(parsed.data));
    } catch (error) {
      if (isStudioError(error)) {
        const e = error.toAppError();
        // AWS and other expected failures: what the user is told, for the log.
        log.warn(`${name} failed (${e.code}): ${e.message}`);
        return fail(e);
      }
      log.error(`Operation ${name} failed`, error);
      return fail({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
    }
  };
