/** Small HTTP helpers shared by the fakes. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An AWS error answer: its code (`__type` / `<Code>`), message and HTTP status. */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** A signal that fires if the client closes the connection before the answer is complete. */
export function clientGone(res: ServerResponse): AbortSignal {
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableEnded) gone.abort();
  });
  return gone.signal;
}

/** Reads the whole request body. Resolves undefined if the client went away first. */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', () => {
      if (!done) resolve(undefined);
      done = true;
    });
    req.on('aborted', () => {
      if (!done) resolve(undefined);
      done = true;
    });
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void {
  sendBytes(res, status, Buffer.from(JSON.stringify(body), 'utf8'), contentType, headers);
}

export function sendBytes(
  res: ServerResponse,
  status: number,
  bytes: Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(bytes.length),
    'x-amzn-RequestId': randomUUID(),
    Date: new Date().toUTCString(),
    ...headers,
  });
  res.end(bytes);
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Resolves after `ms`, or early (with false) when `signal` fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!signal.aborted);
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
