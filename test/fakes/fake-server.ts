/** What every fake AWS service has in common: an HTTP server on a local port and a mutable behaviour. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listen } from './http-util.js';

/** The part of a running fake that does not depend on the service. */
export interface RunningFake<Behaviour> {
  readonly url: string;
  readonly port: number;
  readonly behaviour: Readonly<Behaviour>;
  /** Changes the fields the patch defines (arrays are copied); the others keep their value. */
  setBehaviour(patch: Partial<Behaviour>): void;
  close(): Promise<void>;
}

export interface FakeServerOptions<Behaviour> {
  /** Port to listen on (default 0 = any free port). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Initial behaviour, over the fake's defaults. */
  behaviour?: Partial<Behaviour>;
}

/** `base` with the fields `patch` defines (not undefined) replaced; arrays taken from `patch` are copied. */
function patched<Behaviour extends object>(base: Behaviour, patch: Partial<Behaviour>): Behaviour {
  const next = { ...base };
  for (const key of Object.keys(base) as Array<keyof Behaviour>) {
    const value = patch[key];
    if (value !== undefined) next[key] = (Array.isArray(value) ? [...value] : value) as Behaviour[keyof Behaviour];
  }
  return next;
}

/**
 * Base of the fakes: owns the server, start/close and the behaviour. A subclass
 * answers requests in `handle` and says in `crashed` how its service reports an
 * unexpected error thrown by `handle`.
 */
export abstract class FakeServer<
  Behaviour extends object,
  Options extends FakeServerOptions<Behaviour>,
> implements RunningFake<Behaviour> {
  url = '';
  port = 0;
  protected readonly options: Options;
  /** The behaviour in force; subclasses consume `failNext`-style queues from it. */
  protected current: Behaviour;
  private readonly initial: Behaviour;
  private readonly server: Server;

  protected constructor(options: Options, defaults: Behaviour) {
    this.options = options;
    this.initial = patched(defaults, options.behaviour ?? {});
    this.current = patched(this.initial, this.initial);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.crashed(res, err instanceof Error ? err.message : String(err));
      });
    });
  }

  get behaviour(): Readonly<Behaviour> {
    return this.current;
  }

  async start(): Promise<this> {
    const host = this.options.host ?? '127.0.0.1';
    this.port = await listen(this.server, this.options.port ?? 0, host);
    this.url = `http://${host}:${this.port}`;
    return this;
  }

  setBehaviour(patch: Partial<Behaviour>): void {
    this.current = patched(this.current, patch);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  /** Back to the behaviour given at construction (its arrays copied afresh). */
  protected restoreBehaviour(): void {
    this.current = patched(this.initial, this.initial);
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** Answers a request whose `handle` threw `message`, in the service's error shape. */
  protected abstract crashed(res: ServerResponse, message: string): void;
}
