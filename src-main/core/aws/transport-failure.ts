/**
 * What went wrong under an AWS call, at the HTTP level.
 *
 * `@smithy/node-http-handler` renames every request error whose code is ECONNRESET, EPIPE or
 * ETIMEDOUT to `TimeoutError` (keeping `code`), so the name alone cannot tell a model that took
 * too long from a keep-alive connection the server had just closed. What it raises:
 * - its own request timeout: `TimeoutError`, code ETIMEDOUT, no `syscall`;
 * - its socket inactivity timeout: `TimeoutError`, no code;
 * - no connection within `connectionTimeout`: `TimeoutError`, no code, "did not establish a connection";
 * - the connection closed before any answer: `TimeoutError`, code ECONNRESET ("socket hang up",
 *   "read ECONNRESET") or EPIPE;
 * - the connection closed while the answer's body was arriving: a plain `Error` "aborted", code
 *   ECONNRESET, with the answer's `$metadata.httpStatusCode` (added by the SDK's deserializer).
 */
export type TransportFailure =
  /** The request went out and no answer came within the request timeout: the model may still be at work. */
  | 'response-timeout'
  /** The connection was closed or reset before the answer began: a stale keep-alive socket, a proxy, a restart. */
  | 'connection-lost'
  /** The answer began, but the connection closed before all of it arrived. */
  | 'answer-cut'
  /** No connection could be made in time. */
  | 'connect-timeout';

interface TransportErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  syscall?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const lostCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export const transportFailure = (error: unknown): TransportFailure | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as TransportErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (name === 'AbortError') return undefined;
  if (lostCodes.has(code) || /socket hang up/i.test(message)) {
    return typeof e.$metadata?.httpStatusCode === 'number' ? 'answer-cut' : 'connection-lost';
  }
  if (code === 'ETIMEDOUT' && typeof e.syscall === 'string') {
    // The operating system's timeout, not the handler's: on connect, or on a connection that went dead.
    return e.syscall === 'connect' ? 'connect-timeout' : 'connection-lost';
  }
  if (name !== 'TimeoutError') return undefined;
  if (/did not establish a connection/i.test(message)) return 'connect-timeout';
  return 'response-timeout';
};
