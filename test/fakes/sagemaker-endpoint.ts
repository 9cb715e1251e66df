/**
 * A fake Amazon SageMaker speaking the real wire protocols, on one URL:
 *
 * - Runtime, InvokeEndpoint (restJson1): `POST /endpoints/{EndpointName}/invocations`.
 *   Behind each endpoint a "container" in one of the payload formats
 *   (stability, jumpstart-sd, hf-diffusers, see containers.ts) returning real
 *   images of the requested size.
 * - Control plane (awsJson1_1): `POST /` with `X-Amz-Target: SageMaker.<Op>`
 *   for ListEndpoints, DescribeEndpoint, DescribeEndpointConfig, ListTags
 *   (see sagemaker-control.ts).
 *
 * Both check SigV4 (service `sagemaker`) against the shared credential
 * registry, honour session policies attached to credentials, and answer
 * errors in AWS's shapes (`x-amzn-ErrorType` header + JSON body).
 * In AWS runtime and control plane live on different hosts; the app sets one
 * endpoint URL override per service, and both overrides may point here.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runContainer, type ContainerFault, type PayloadFormat, type PngSource } from './containers.js';
import { FakeServer, type FakeServerOptions, type RunningFake } from './fake-server.js';
import { readBody, sendBytes, sendJson, sleep } from './http-util.js';
import {
  principalOf,
  sharedCredentials,
  TEST_ACCOUNT_ID,
  type CredentialRegistry,
  type RegisteredCredential,
} from './keys.js';
import {
  CONTROL_ACTIONS,
  CONTROL_OPERATIONS,
  ControlError,
  endpointArn,
  resolveEndpoint,
  runControl,
  SERVING_STATUSES,
  type ControlOperation,
  type EndpointSource,
  type EndpointStatus,
  type FakeEndpoint,
  type ResolvedEndpoint,
} from './sagemaker-control.js';
import { verifySigV4 } from './sigv4.js';

export {
  HF_DIFFUSERS_SIZE,
  JUMPSTART_MAX_IMAGES,
  JUMPSTART_SD_SIZE,
  PAYLOAD_FORMATS,
  SAMPLERS,
  SDXL_SIZES,
  STYLE_PRESETS,
  type PayloadFormat,
} from './containers.js';
export {
  CONTROL_OPERATIONS,
  ENDPOINT_STATUSES,
  type ControlOperation,
  type EndpointStatus,
  type FakeEndpoint,
  type ResolvedEndpoint,
} from './sagemaker-control.js';

export type FaultMode =
  | 'ModelError'
  | 'ValidationError'
  | 'ThrottlingException'
  | 'ServiceUnavailable'
  | 'ModelNotReadyException'
  | 'InternalFailure'
  | 'malformed-json'
  | 'no-artifacts'
  | 'bad-base64'
  | 'content-filtered';

export const FAULT_MODES: readonly FaultMode[] = [
  'ModelError',
  'ValidationError',
  'ThrottlingException',
  'ServiceUnavailable',
  'ModelNotReadyException',
  'InternalFailure',
  'malformed-json',
  'no-artifacts',
  'bad-base64',
  'content-filtered',
];

/** Faults the control plane can be told to answer (consumed one per control-plane call). */
export type ControlFault = 'ThrottlingException' | 'InternalFailure' | 'AccessDeniedException';

export interface Behaviour {
  /** Delay before every answer that reaches the model, in ms. */
  latencyMs: number;
  /** Faults consumed one per model invocation, in order. */
  failNext: FaultMode[];
  /** Fault applied to every invocation once `failNext` is empty. */
  failAlways: FaultMode | null;
  /** Faults consumed one per control-plane call (ListEndpoints, DescribeEndpoint, …), in order. */
  controlFailNext: ControlFault[];
  /**
   * A gate: only the first `holdAfter` invocations (counted since start or `reset`) are answered;
   * later ones stay in flight until it is raised or set to null, or their client goes away.
   * Null (the default): every invocation is answered.
   */
  holdAfter: number | null;
}

export interface FakeSageMakerOptions extends FakeServerOptions<Behaviour> {
  /**
   * Known endpoints. If omitted, InvokeEndpoint and DescribeEndpoint accept any
   * well-formed endpoint name as an InService stability endpoint (ListEndpoints
   * still lists only endpoints added with `setEndpoint` / `addEndpoints`).
   */
  endpoints?: Record<string, FakeEndpoint | EndpointStatus>;
  /** Where valid key pairs live (default: the shared registry). */
  credentials?: CredentialRegistry;
  /** Only accept signatures scoped to this region (default: any region). */
  region?: string;
  /** Check SigV4 (default true). */
  verifySignatures?: boolean;
  /** Allowed clock skew for signatures (default 15 min). */
  maxSkewMs?: number;
  /** The container's time limit (AWS: 60 s); latency at or beyond it yields a timeout ModelError. */
  modelTimeoutMs?: number;
  /** Keep at most this many entries in `invocations` (default 10000). */
  logLimit?: number;
  /**
   * Opt-in, for benchmarks: PNGs the stability containers answer with instead of drawing
   * them on the request path (undefined for a size or seed: drawn as usual).
   */
  pngFor?: PngSource;
}

export interface Invocation {
  endpoint: string;
  /** Payload format of the endpoint's container. */
  format: PayloadFormat;
  /** Parsed JSON body, or undefined if it did not parse. */
  body: unknown;
  /** Size of the raw request body in bytes. */
  bodyBytes: number;
  contentType: string | undefined;
  accept: string | undefined;
  accessKeyId: string;
  region: string;
  time: Date;
  /** When its last byte arrived: the moment the request was wholly sent (before its signature and JSON were checked). */
  receivedAt: Date;
  /** Fault injected for this call, if any. */
  fault: FaultMode | null;
  /** HTTP status answered (undefined while in flight or if aborted). */
  status?: number;
  /**
   * Seeds the container used, one per image, for successful calls. For formats
   * whose answer carries no seed (jumpstart-sd, hf-diffusers) these are the
   * request's seed (image i of a batch: seed + i) or the random one the fake picked.
   */
  seeds?: number[];
  aborted?: boolean;
}

/** A control-plane call, for assertions. */
export interface ControlCall {
  operation: ControlOperation | 'other';
  /** Parsed JSON input, or undefined. */
  input: unknown;
  accessKeyId: string;
  time: Date;
  status?: number;
  /** Error code answered, if any. */
  error?: string;
}

export interface FakeSageMaker extends RunningFake<Behaviour> {
  /** Every HTTP request received, whatever became of it. */
  readonly requests: number;
  /** Authenticated InvokeEndpoint calls on known endpoints, oldest first. */
  readonly invocations: readonly Invocation[];
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Requests whose client closed the connection before the answer. */
  readonly aborted: number;
  /** Requests refused by the signature check (runtime and control plane). */
  readonly authFailures: number;
  /** Control-plane requests per X-Amz-Target operation (counted on arrival, whatever the outcome). */
  readonly controlCalls: Readonly<Record<ControlOperation | 'other', number>>;
  /** Control-plane calls, oldest first. */
  readonly controlLog: readonly ControlCall[];
  readonly endpoints: Map<string, FakeEndpoint>;
  /**
   * Adds or replaces an endpoint. Given just a status for an existing endpoint,
   * keeps its other fields (creation time, format, …) and bumps LastModifiedTime.
   */
  setEndpoint(name: string, endpoint: FakeEndpoint | EndpointStatus): void;
  /**
   * Adds `count` endpoints named `${prefix}-000`, `${prefix}-001`, … (zero-padded to
   * at least 3 digits), created one minute apart, oldest first, ending now. Returns the names in that order.
   */
  addEndpoints(count: number, prefix?: string, template?: Partial<FakeEndpoint>): string[];
  removeEndpoint(name: string): boolean;
  /** Zeroes counters and logs, restores the initial behaviour (endpoints stay). */
  reset(): void;
  /** Resolves once `predicate()` holds (checked on every state change), rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
}

const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
const TARGET_PREFIX = 'SageMaker.';
const JSON_11 = 'application/x-amz-json-1.1';

const CONTAINER_FAULTS: ReadonlySet<FaultMode> = new Set([
  'malformed-json',
  'no-artifacts',
  'bad-base64',
  'content-filtered',
]);

function isContainerFault(f: FaultMode | null): f is ContainerFault {
  return f !== null && CONTAINER_FAULTS.has(f);
}

// ---------------------------------------------------------------------------
// AWS error responses

function awsError(res: ServerResponse, status: number, code: string, body: Record<string, unknown>): void {
  sendJson(res, status, body, { 'x-amzn-ErrorType': code });
}

function modelErrorBody(
  endpoint: string,
  region: string,
  originalStatus: number,
  originalMessage: string,
): Record<string, unknown> {
  const group = `/aws/sagemaker/Endpoints/${endpoint}`;
  const serverSide = originalStatus === 0 || originalStatus >= 500;
  const kind = serverSide ? 'server' : 'client';
  return {
    ErrorCode:
      originalStatus === 0
        ? 'INVOCATION_TIMEOUT'
        : serverSide
          ? 'INTERNAL_FAILURE_FROM_MODEL'
          : 'CLIENT_ERROR_FROM_MODEL',
    LogStreamArn: `arn:aws:logs:${region}:${TEST_ACCOUNT_ID}:log-group:${group}`,
    OriginalMessage: originalMessage,
    OriginalStatusCode: originalStatus,
    message:
      `Received ${kind} error (${originalStatus}) from primary with message "${originalMessage}". ` +
      `See https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logEventViewer:group=${group} ` +
      `in account ${TEST_ACCOUNT_ID} for more information.`,
  };
}

/** The message IAM gives when a session policy leaves an action out. */
function sessionPolicyDenial(credential: RegisteredCredential, action: string, resource: string): string {
  return (
    `User: ${principalOf(credential).arn} is not authorized to perform: ${action} on resource: ${resource} ` +
    `because no session policy allows the ${action} action`
  );
}

function allows(credential: RegisteredCredential, action: string): boolean {
  return credential.allowedActions === undefined || credential.allowedActions.includes(action);
}

// ---------------------------------------------------------------------------
// The server

function normaliseEndpoint(name: string, e: FakeEndpoint | EndpointStatus, previous?: FakeEndpoint): FakeEndpoint {
  const now = new Date();
  if (typeof e === 'string') {
    if (previous) {
      const changed = previous.status !== e;
      return resolveEndpoint(
        name,
        { ...previous, status: e, ...(changed ? { lastModifiedTime: now.toISOString() } : {}) },
        now,
      );
    }
    return resolveEndpoint(name, { status: e }, now);
  }
  return resolveEndpoint(name, { ...e }, now);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function zeroControlCalls(): Record<ControlOperation | 'other', number> {
  return { ListEndpoints: 0, DescribeEndpoint: 0, DescribeEndpointConfig: 0, ListTags: 0, other: 0 };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Authenticated = { accessKeyId: string; region: string; credential: RegisteredCredential | undefined };

class FakeSageMakerServer extends FakeServer<Behaviour, FakeSageMakerOptions> implements FakeSageMaker {
  readonly endpoints = new Map<string, FakeEndpoint>();
  requests = 0;
  invocations: Invocation[] = [];
  inFlight = 0;
  maxInFlight = 0;
  aborted = 0;
  authFailures = 0;
  controlCalls = zeroControlCalls();
  controlLog: ControlCall[] = [];
  /** Invocations counted for the `holdAfter` gate (since start or reset). */
  private invocationCount = 0;

  private readonly acceptAnyEndpoint: boolean;
  private readonly waiters = new Set<() => void>();
  private readonly source: EndpointSource;

  constructor(options: FakeSageMakerOptions) {
    super(options, { latencyMs: 0, failNext: [], failAlways: null, controlFailNext: [], holdAfter: null });
    this.acceptAnyEndpoint = options.endpoints === undefined;
    for (const [name, e] of Object.entries(options.endpoints ?? {}))
      this.endpoints.set(name, normaliseEndpoint(name, e));
    this.source = {
      get: (name) => this.lookup(name),
      all: () => this.resolvedEntries(),
    };
  }

  setEndpoint(name: string, endpoint: FakeEndpoint | EndpointStatus): void {
    this.endpoints.set(name, normaliseEndpoint(name, endpoint, this.endpoints.get(name)));
    this.notify();
  }

  addEndpoints(count: number, prefix = 'endpoint', template: Partial<FakeEndpoint> = {}): string[] {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`addEndpoints: count must be a non-negative integer, got ${count}`);
    const digits = Math.max(3, String(Math.max(count - 1, 0)).length);
    const now = Math.floor(Date.now() / 1000) * 1000;
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${prefix}-${String(i).padStart(digits, '0')}`;
      const creationTime = new Date(now - (count - 1 - i) * 60_000).toISOString();
      this.endpoints.set(name, normaliseEndpoint(name, { status: 'InService', creationTime, ...template }));
      names.push(name);
    }
    this.notify();
    return names;
  }

  removeEndpoint(name: string): boolean {
    const removed = this.endpoints.delete(name);
    this.notify();
    return removed;
  }

  override setBehaviour(patch: Partial<Behaviour>): void {
    super.setBehaviour(patch);
    // A raised or lifted gate lets held invocations go.
    this.notify();
  }

  reset(): void {
    this.requests = 0;
    this.invocationCount = 0;
    this.invocations = [];
    this.maxInFlight = this.inFlight;
    this.aborted = 0;
    this.authFailures = 0;
    this.controlCalls = zeroControlCalls();
    this.controlLog = [];
    this.restoreBehaviour();
    this.notify();
  }

  waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fake sagemaker: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  protected override crashed(res: ServerResponse, message: string): void {
    awsError(res, 500, 'InternalFailure', { message: `fake sagemaker crashed: ${message}` });
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves true once invocation number `position` is let through the `holdAfter` gate, false if its client left first. */
  private passGate(position: number, signal: AbortSignal): Promise<boolean> {
    const open = (): boolean => this.current.holdAfter === null || position <= this.current.holdAfter;
    if (open()) return Promise.resolve(!signal.aborted);
    return new Promise((resolve) => {
      const settle = (passed: boolean): void => {
        this.waiters.delete(check);
        signal.removeEventListener('abort', onAbort);
        resolve(passed);
      };
      const check = (): void => {
        if (open()) settle(true);
      };
      const onAbort = (): void => settle(false);
      this.waiters.add(check);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) settle(false);
    });
  }

  /** The endpoint with defaults filled in; in accept-any mode any well-formed name is an InService stability endpoint. */
  private lookup(name: string): ResolvedEndpoint | undefined {
    const e = this.endpoints.get(name);
    if (e) return resolveEndpoint(name, e);
    if (this.acceptAnyEndpoint && name.length <= 63 && ENDPOINT_NAME_PATTERN.test(name)) {
      return resolveEndpoint(name, { status: 'InService' });
    }
    return undefined;
  }

  private *resolvedEntries(): Iterable<[string, ResolvedEndpoint]> {
    for (const [name, e] of this.endpoints) yield [name, resolveEndpoint(name, e)];
  }

  private log(): void {
    const limit = this.options.logLimit ?? 10000;
    if (this.invocations.length > limit) this.invocations.splice(0, this.invocations.length - limit);
    if (this.controlLog.length > limit) this.controlLog.splice(0, this.controlLog.length - limit);
  }

  /** Verifies the signature; answers the failure itself and returns undefined if it does not hold. */
  private authenticate(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    contentType?: string,
  ): Authenticated | undefined {
    if (this.options.verifySignatures === false)
      return { accessKeyId: 'unsigned', region: this.options.region ?? 'us-east-1', credential: undefined };
    const verdict = verifySigV4(req, body, {
      credentials: this.options.credentials ?? sharedCredentials,
      service: 'sagemaker',
      ...(this.options.region !== undefined ? { region: this.options.region } : {}),
      ...(this.options.maxSkewMs !== undefined ? { maxSkewMs: this.options.maxSkewMs } : {}),
    });
    if (!verdict.ok) {
      this.authFailures++;
      if (contentType !== undefined) {
        sendJson(
          res,
          verdict.status,
          { __type: verdict.code, message: verdict.message },
          { 'x-amzn-ErrorType': verdict.code },
          contentType,
        );
      } else {
        awsError(res, verdict.status, verdict.code, { message: verdict.message });
      }
      return undefined;
    }
    return { accessKeyId: verdict.accessKeyId, region: verdict.region, credential: verdict.credential };
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const gone = new AbortController();
    let settled = false;
    let invocation: Invocation | undefined;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      if (!res.writableEnded) {
        this.aborted++;
        if (invocation) invocation.aborted = true;
        gone.abort();
      }
      this.notify();
    };
    res.on('close', finish);
    res.on('finish', finish);
    this.notify();

    const body = await readBody(req);
    const receivedAt = new Date();
    if (body === undefined || gone.signal.aborted) return;

    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const target = header(req, 'x-amz-target');
    if (req.method === 'POST' && target !== undefined && !path.startsWith('/endpoints/')) {
      this.control(req, res, body, target);
      return;
    }
    const match = /^\/endpoints\/([^/]+)\/(invocations|async-invocations|invocations-response-stream)$/.exec(path);
    if (req.method !== 'POST' || !match) {
      awsError(res, 404, 'UnknownOperationException', { message: null });
      return;
    }
    const who = this.authenticate(req, res, body);
    if (!who) return;
    await this.invoke(req, res, body, receivedAt, match, who, gone.signal, (inv) => {
      invocation = inv;
    });
  }

  // -------------------------------------------------------------------------
  // Control plane

  private control(req: IncomingMessage, res: ServerResponse, body: Buffer, target: string): void {
    const opName = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const op: ControlOperation | 'other' = (CONTROL_OPERATIONS as readonly string[]).includes(opName)
      ? (opName as ControlOperation)
      : 'other';
    this.controlCalls[op]++;
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      input = undefined;
    }
    const call: ControlCall = { operation: op, input, accessKeyId: '', time: new Date() };
    this.controlLog.push(call);
    this.log();
    this.notify();
    const fail = (status: number, code: string, message: string): void => {
      call.status = status;
      call.error = code;
      sendJson(res, status, { __type: code, message }, { 'x-amzn-ErrorType': code }, JSON_11);
    };

    const who = this.authenticate(req, res, body, JSON_11);
    if (!who) {
      call.status = 403;
      call.error = 'auth';
      return;
    }
    call.accessKeyId = who.accessKeyId;
    if (op === 'other') {
      fail(400, 'UnknownOperationException', `Unknown operation ${target}`);
      return;
    }
    if (who.credential && !allows(who.credential, CONTROL_ACTIONS[op])) {
      const resource = `arn:aws:sagemaker:${who.region}:${TEST_ACCOUNT_ID}:endpoint/*`;
      fail(400, 'AccessDeniedException', sessionPolicyDenial(who.credential, CONTROL_ACTIONS[op], resource));
      return;
    }
    const fault = this.current.controlFailNext.shift();
    if (fault === 'ThrottlingException') return fail(400, 'ThrottlingException', 'Rate exceeded');
    if (fault === 'InternalFailure')
      return fail(500, 'InternalFailure', 'An internal failure occurred. Please try again.');
    if (fault === 'AccessDeniedException') {
      const arn = who.credential ? principalOf(who.credential).arn : 'unknown';
      return fail(
        400,
        'AccessDeniedException',
        `User: ${arn} is not authorized to perform: ${CONTROL_ACTIONS[op]} (injected fault)`,
      );
    }
    if (!isRecord(input)) {
      fail(400, 'SerializationException', 'Start of structure or map found where not expected.');
      return;
    }
    try {
      const output = runControl(op, this.source, input, who.region);
      call.status = 200;
      sendJson(res, 200, output, {}, JSON_11);
    } catch (err) {
      if (err instanceof ControlError) fail(err.status, err.code, err.message);
      else throw err;
    }
  }

  // -------------------------------------------------------------------------
  // Runtime

  private async invoke(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    receivedAt: Date,
    match: RegExpExecArray,
    who: Authenticated,
    signal: AbortSignal,
    track: (inv: Invocation) => void,
  ): Promise<void> {
    const { accessKeyId, region } = who;
    let endpointName: string;
    try {
      endpointName = decodeURIComponent(match[1] ?? '');
    } catch {
      endpointName = match[1] ?? '';
    }
    if (match[2] !== 'invocations') {
      awsError(res, 400, 'ValidationError', {
        message: `The fake only implements InvokeEndpoint; ${match[2]} is not supported.`,
      });
      return;
    }
    if (endpointName.length > 63 || !ENDPOINT_NAME_PATTERN.test(endpointName)) {
      awsError(res, 400, 'ValidationError', {
        message:
          `1 validation error detected: Value '${endpointName}' at 'endpointName' failed to satisfy constraint: ` +
          'Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*',
      });
      return;
    }
    if (who.credential && !allows(who.credential, 'sagemaker:InvokeEndpoint')) {
      awsError(res, 403, 'AccessDeniedException', {
        message: sessionPolicyDenial(who.credential, 'sagemaker:InvokeEndpoint', endpointArn(region, endpointName)),
      });
      return;
    }
    if (body.length > MAX_PAYLOAD_BYTES) {
      awsError(res, 413, 'ValidationError', {
        message: `Request payload size (${body.length} bytes) exceeds the maximum allowed (${MAX_PAYLOAD_BYTES} bytes).`,
      });
      return;
    }
    const endpoint = this.lookup(endpointName);
    if (!endpoint || !SERVING_STATUSES.has(endpoint.status)) {
      awsError(res, 400, 'ValidationError', {
        message: `Endpoint ${endpointName} of account ${TEST_ACCOUNT_ID} not found.`,
      });
      return;
    }

    const contentType = header(req, 'content-type');
    const accept = header(req, 'accept');
    let parsed: unknown;
    let parseOk = true;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parseOk = false;
    }
    const fault = this.current.failNext.shift() ?? this.current.failAlways;
    const invocation: Invocation = {
      endpoint: endpointName,
      format: endpoint.format,
      body: parsed,
      bodyBytes: body.length,
      contentType,
      accept,
      accessKeyId,
      region,
      time: new Date(),
      receivedAt,
      fault,
    };
    this.invocations.push(invocation);
    const position = ++this.invocationCount;
    this.log();
    track(invocation);
    this.notify();
    if (!(await this.passGate(position, signal))) return;

    const timeoutMs = this.options.modelTimeoutMs ?? 60000;
    const latency = this.current.latencyMs;
    const timedOut = latency >= timeoutMs;
    const stillThere = await sleep(Math.min(latency, timeoutMs), signal);
    if (!stillThere) return;

    const answer = (status: number, code: string, payload: Record<string, unknown>): void => {
      invocation.status = status;
      awsError(res, status, code, payload);
    };
    if (timedOut) {
      answer(
        424,
        'ModelError',
        modelErrorBody(
          endpointName,
          region,
          0,
          'Your invocation timed out while waiting for a response from container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.',
        ),
      );
      return;
    }
    switch (fault) {
      case 'ModelError':
        answer(
          424,
          'ModelError',
          modelErrorBody(
            endpointName,
            region,
            400,
            JSON.stringify({
              id: randomBytes(16).toString('hex'),
              name: 'bad_request',
              message: 'injected fault: the model rejected the request',
            }),
          ),
        );
        return;
      case 'ValidationError':
        answer(400, 'ValidationError', { message: 'Injected ValidationError: inference request rejected.' });
        return;
      case 'ThrottlingException':
        answer(400, 'ThrottlingException', { message: 'Rate exceeded' });
        return;
      case 'ServiceUnavailable':
        answer(503, 'ServiceUnavailable', {
          message: 'The service is temporarily unable to handle the request. Please try again.',
        });
        return;
      case 'ModelNotReadyException':
        answer(429, 'ModelNotReadyException', {
          message: `Model for endpoint ${endpointName} is not ready yet. Please try again later.`,
        });
        return;
      case 'InternalFailure':
        answer(500, 'InternalFailure', { message: 'An internal failure occurred. Please try again.' });
        return;
      default:
        break;
    }

    const result = runContainer(endpoint.format, {
      rawBody: body,
      parsed,
      parseOk,
      contentType,
      accept,
      fault: isContainerFault(fault) ? fault : null,
      pngFor: this.options.pngFor,
    });
    if (result.kind === 'client-error') {
      answer(424, 'ModelError', modelErrorBody(endpointName, region, result.originalStatus, result.originalMessage));
      return;
    }
    invocation.status = 200;
    invocation.seeds = result.seeds;
    sendBytes(res, 200, result.bytes, result.contentType, {
      'x-Amzn-Invoked-Production-Variant': endpoint.variant,
    });
  }
}

/** Starts a fake SageMaker (runtime + control plane) on 127.0.0.1 (port 0 unless given). */
export async function startFakeSageMaker(options: FakeSageMakerOptions = {}): Promise<FakeSageMaker> {
  return new FakeSageMakerServer(options).start();
}
