/**
 * A bare SageMaker runtime for transport faults, on node:http with keep-alive: InvokeEndpoint
 * (`POST /endpoints/{name}/invocations`) answered by the `stability` container, and, per
 * request, the ways a connection goes wrong under a real client:
 *
 * - `answer`: a normal answer; the connection stays open for the next request;
 * - `drop`: the socket is destroyed as soon as the request has arrived, before any byte of an
 *   answer (what a client sees when it reuses a keep-alive connection the server has just closed);
 * - `cut`: the status line, headers and part of the body, then the socket is destroyed;
 * - `hang`: no answer at all, until the client gives up.
 *
 * No SigV4 check (the full fake, sagemaker-endpoint.ts, does that); this one is about the wire.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { runContainer } from './containers.js';
import { closeServer, listen, readBody } from './http-util.js';

export type WireAction = 'answer' | 'drop' | 'cut' | 'hang';

export interface WireBehaviour {
  /** Actions consumed one per request, in order. */
  next: WireAction[];
  /** Action once `next` is empty. */
  always: WireAction;
}

export interface WireRequest {
  action: WireAction;
  /** Whether the request came on a connection that had carried an earlier one (keep-alive reuse). */
  reused: boolean;
}

export interface FlakyRuntimeOptions {
  /** Actions consumed one per request, in order; then `always` (default `answer`). */
  next?: WireAction[];
  always?: WireAction;
  /**
   * How long the server keeps an idle connection (default 10 min, so that every close
   * seen in a test is the client's). Node announces it in a `Keep-Alive: timeout=…` header.
   */
  keepAliveTimeoutMs?: number;
}

export interface FlakyRuntime {
  readonly url: string;
  /** What the coming requests meet (replaced by `plan`). */
  readonly behaviour: Readonly<WireBehaviour>;
  plan(behaviour: Partial<WireBehaviour>): void;
  /** Every request, oldest first. */
  readonly requests: readonly WireRequest[];
  /** Connections the client closed itself (its end came while the server still held it open). */
  readonly closedByClient: number;
  /** Forgets the requests and closes, and goes back to answering every request. */
  reset(): void;
  close(): Promise<void>;
  /** Resolves once `predicate()` holds (checked on every change), rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
}

class FlakyRuntimeServer implements FlakyRuntime {
  url = '';
  behaviour: WireBehaviour;
  requests: WireRequest[] = [];
  closedByClient = 0;
  private readonly server: Server;
  private readonly served = new WeakSet<Socket>();
  private readonly watched = new WeakSet<Socket>();
  private readonly waiters = new Set<() => void>();

  constructor(options: FlakyRuntimeOptions) {
    this.behaviour = { next: [...(options.next ?? [])], always: options.always ?? 'answer' };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) =>
        this.crashed(res, err instanceof Error ? err.message : String(err)),
      );
    });
    this.server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 600_000;
  }

  async start(): Promise<this> {
    const port = await listen(this.server, 0, '127.0.0.1');
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  plan(behaviour: Partial<WireBehaviour>): void {
    this.behaviour = {
      next: [...(behaviour.next ?? this.behaviour.next)],
      always: behaviour.always ?? this.behaviour.always,
    };
  }

  reset(): void {
    this.requests = [];
    this.closedByClient = 0;
    this.behaviour = { next: [], always: 'answer' };
    this.notify();
  }

  waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`flaky runtime: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private crashed(res: ServerResponse, message: string): void {
    if (!res.headersSent) res.writeHead(500, { 'x-amzn-ErrorType': 'InternalFailure' });
    res.end(JSON.stringify({ message: `flaky runtime crashed: ${message}` }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket;
    const reused = this.served.has(socket);
    this.served.add(socket);
    if (!this.watched.has(socket)) {
      this.watched.add(socket);
      // The client's FIN arrives as 'end' while our side is still open: the client closed it.
      socket.once('end', () => {
        this.closedByClient++;
        this.notify();
      });
    }
    const action = this.behaviour.next.shift() ?? this.behaviour.always;
    const body = await readBody(req);
    this.requests.push({ action, reused });
    this.notify();
    if (body === undefined) return;
    switch (action) {
      case 'drop':
        socket.destroy();
        return;
      case 'hang':
        return;
      case 'answer':
      case 'cut': {
        const result = runContainer('stability', {
          rawBody: body,
          parsed: JSON.parse(body.toString('utf8')) as unknown,
          parseOk: true,
          contentType: req.headers['content-type'],
          accept: req.headers.accept,
          fault: null,
        });
        if (result.kind !== 'ok') throw new Error(`the container refused the request: ${result.originalMessage}`);
        res.writeHead(200, { 'Content-Type': result.contentType, 'Content-Length': String(result.bytes.length) });
        if (action === 'answer') {
          res.end(result.bytes);
          return;
        }
        res.write(result.bytes.subarray(0, Math.floor(result.bytes.length / 2)), () => socket.destroy());
        return;
      }
    }
  }
}

/** Starts a flaky runtime on 127.0.0.1, on a free port. */
export async function startFlakyRuntime(options: FlakyRuntimeOptions = {}): Promise<FlakyRuntime> {
  return new FlakyRuntimeServer(options).start();
}
