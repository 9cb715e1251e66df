// The names only: the contract's schemas (and zod) stay off the page's start-up.
import { operationNames } from '../../src-shared/operations';
import type { OperationName } from '../../src-shared/operations';
import type { StudioApi } from '../../src-shared/contract';
import type { AppError, Result } from '../../src-shared/errors';
import type { StudioEvent } from '../../src-shared/generation';
import { maxInitImageBytes, megabytes } from '../../src-shared/limits';

type Call = (input?: unknown) => Promise<Result<unknown>>;

const failure = (error: AppError): Result<never> => ({ ok: false, error });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accepts only the contract's `Result` shape; anything else is a server bug. */
const isResult = (value: unknown): value is Result<unknown> =>
  isRecord(value) &&
  ((value.ok === true && 'value' in value) ||
    (value.ok === false && isRecord(value.error) && typeof value.error.message === 'string'));

const isStudioEvent = (value: unknown): value is StudioEvent =>
  isRecord(value) &&
  typeof value.type === 'string' &&
  (value.type === 'signIn.changed' ? isRecord(value.state) : typeof value.clientId === 'string');

/** What a refusal without the contract's error body means, from its HTTP status. */
const statusFailure = (name: OperationName, status: number): Result<never> => {
  if (status === 413)
    return failure({
      code: 'input.invalid',
      message: `The server refused ${name}: the request is too large (an init image can be at most ${megabytes(maxInitImageBytes)}).`,
    });
  return failure({
    code: 'internal',
    message: `The server answered ${name} with HTTP ${status} and no JSON result.`,
    ...(status === 401 || status === 403
      ? { hint: 'Open the link printed by `npm run serve` (opening a used link again prints a fresh one).' }
      : {}),
  });
};

/** The content type of image bytes, from their first bytes (the upload carries no type of its own). */
const sniffImageType = (bytes: Uint8Array): string => {
  const starts = (...sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return 'image/webp';
  return 'application/octet-stream';
};

/**
 * An upload's bytes go as the raw request body (never base64 in JSON); its name rides in a header,
 * and its other fields (a raw upload's size) as JSON in another.
 */
const uploadRequest = (input: unknown): RequestInit | undefined => {
  if (!isRecord(input) || !(input.bytes instanceof Uint8Array)) return undefined;
  const { bytes, ...rest } = input;
  const name = typeof rest.name === 'string' ? rest.name : '';
  return {
    headers: {
      'Content-Type': sniffImageType(bytes),
      'X-File-Name': encodeURIComponent(name),
      'X-Input': encodeURIComponent(JSON.stringify(rest)),
    },
    // A Blob copies its parts; only bytes in shared memory (which it refuses) are copied first.
    body: new Blob([bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice()]),
  };
};

const jsonRequest = (input: unknown): RequestInit => ({
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(input ?? {}),
});

/** The operations whose input is image bytes: sent as the raw body. */
const binaryOperations: ReadonlySet<OperationName> = new Set(['uploadInitImage', 'uploadPixels', 'addEditorImage']);

const post =
  (name: OperationName): Call =>
  async (input) => {
    let response: Response;
    try {
      response = await fetch(`/api/${name}`, {
        method: 'POST',
        credentials: 'same-origin',
        ...((binaryOperations.has(name) ? uploadRequest(input) : undefined) ?? jsonRequest(input)),
      });
    } catch {
      return failure({
        code: 'aws.unreachable',
        message: 'Cannot reach the StableStudio server.',
        hint: 'Check that `npm run serve` is still running.',
      });
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return statusFailure(name, response.status);
    }
    if (!response.ok) {
      // A refusal (401, 413 …) says why in the contract's error shape: show that, not a generic message.
      return isResult(body) && !body.ok ? body : statusFailure(name, response.status);
    }
    if (!isResult(body)) {
      return failure({ code: 'internal', message: `The server answered ${name} with an unexpected body.` });
    }
    return body;
  };

/** One EventSource shared by every listener, opened on first subscription. */
const createEventStream = (): StudioApi['onEvent'] => {
  const listeners = new Set<(event: StudioEvent) => void>();
  let source: EventSource | undefined;
  // Typed by its one field, not as MessageEvent<string>: Node's MessageEvent (tests type-check this file) is not generic.
  const onMessage = (message: { data: unknown }): void => {
    if (typeof message.data !== 'string') return;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    if (!isStudioEvent(data)) return;
    for (const listener of listeners) listener(data);
  };
  return (listener) => {
    listeners.add(listener);
    if (!source) {
      source = new EventSource('/api/events');
      source.addEventListener('message', onMessage);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = undefined;
      }
    };
  };
};

/** The StudioApi over HTTP for web mode: `POST /api/<operation>` plus server-sent events. */
export const createHttpBridge = (): StudioApi => {
  const calls: Partial<Record<OperationName, Call>> = {};
  for (const name of operationNames) calls[name] = post(name);
  // The mapped operations share one runtime shape; the contract's types say what each returns.
  return { ...calls, onEvent: createEventStream() } as unknown as StudioApi;
};
