/**
 * A fake Amazon SageMaker Runtime speaking the real wire protocol of
 * InvokeEndpoint (restJson1): `POST /endpoints/{EndpointName}/invocations`,
 * SigV4 (service `sagemaker`) checked against the shared credential registry,
 * AWS's error shapes (`x-amzn-errortype` header + JSON body), and an SDXL
 * "stability" container behind it that returns real PNGs of the requested size.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listen, readBody, sendBytes, sendJson, sleep } from './http-util.js';
import { sharedCredentials, TEST_ACCOUNT_ID, type CredentialRegistry } from './keys.js';
import { jpegSize, pngSize, renderFilteredPng, renderPng } from './png.js';
import { verifySigV4 } from './sigv4.js';

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

export type EndpointStatus =
  | 'OutOfService'
  | 'Creating'
  | 'Updating'
  | 'SystemUpdating'
  | 'RollingBack'
  | 'InService'
  | 'Deleting'
  | 'Failed'
  | 'UpdateRollbackFailed';

/** Statuses in which a real endpoint still answers InvokeEndpoint. */
const SERVING_STATUSES: ReadonlySet<EndpointStatus> = new Set([
  'InService',
  'Updating',
  'SystemUpdating',
  'RollingBack',
  'UpdateRollbackFailed',
]);

export interface FakeEndpoint {
  status: EndpointStatus;
  /** Reported in `x-amzn-invoked-production-variant` (default 'AllTraffic'). */
  variant?: string;
  /** Payload format served by the "container" (only 'stability' for now). */
  format?: 'stability';
  /** ISO creation time, for a future ListEndpoints fake. */
  creationTime?: string;
}

export interface Behaviour {
  /** Delay before every answer that reaches the model, in ms. */
  latencyMs: number;
  /** Faults consumed one per model invocation, in order. */
  failNext: FaultMode[];
  /** Fault applied to every invocation once `failNext` is empty. */
  failAlways: FaultMode | null;
}

export interface FakeSageMakerOptions {
  /** Port to listen on (default 0 = any free port). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Known endpoints. If omitted, any (well-formed) endpoint name is accepted as InService. */
  endpoints?: Record<string, FakeEndpoint | EndpointStatus>;
  /** Where valid key pairs live (default: the shared registry). */
  credentials?: CredentialRegistry;
  /** Only accept signatures scoped to this region (default: any region). */
  region?: string;
  /** Check SigV4 (default true). */
  verifySignatures?: boolean;
  /** Allowed clock skew for signatures (default 15 min). */
  maxSkewMs?: number;
  /** Initial behaviour. */
  behaviour?: Partial<Behaviour>;
  /** The container's time limit (AWS: 60 s); latency at or beyond it yields a timeout ModelError. */
  modelTimeoutMs?: number;
  /** Keep at most this many entries in `invocations` (default 10000). */
  logLimit?: number;
}

export interface Invocation {
  endpoint: string;
  /** Parsed JSON body, or undefined if it did not parse. */
  body: unknown;
  /** Size of the raw request body in bytes. */
  bodyBytes: number;
  contentType: string | undefined;
  accept: string | undefined;
  accessKeyId: string;
  region: string;
  time: Date;
  /** Fault injected for this call, if any. */
  fault: FaultMode | null;
  /** HTTP status answered (undefined while in flight or if aborted). */
  status?: number;
  /** Seeds of the returned artifacts, for successful stability calls. */
  seeds?: number[];
  aborted?: boolean;
}

export interface FakeSageMaker {
  readonly url: string;
  readonly port: number;
  /** Every HTTP request received, whatever became of it. */
  readonly requests: number;
  /** Authenticated InvokeEndpoint calls on known endpoints, oldest first. */
  readonly invocations: readonly Invocation[];
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Requests whose client closed the connection before the answer. */
  readonly aborted: number;
  /** Requests refused by the signature check. */
  readonly authFailures: number;
  readonly endpoints: Map<string, FakeEndpoint>;
  readonly behaviour: Readonly<Behaviour>;
  setBehaviour(patch: Partial<Behaviour>): void;
  setEndpoint(name: string, endpoint: FakeEndpoint | EndpointStatus): void;
  removeEndpoint(name: string): boolean;
  /** Zeroes counters and the log, restores the initial behaviour. */
  reset(): void;
  /** Resolves once `predicate()` holds (checked on every state change), rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// The SDXL "container" (stability payload format)

export const SDXL_SIZES: ReadonlyArray<readonly [number, number]> = [
  [1024, 1024],
  [1152, 896],
  [896, 1152],
  [1216, 832],
  [832, 1216],
  [1344, 768],
  [768, 1344],
  [1536, 640],
  [640, 1536],
];

export const SAMPLERS = [
  'DDIM',
  'DDPM',
  'K_DPMPP_SDE',
  'K_DPMPP_2M',
  'K_DPMPP_2S_ANCESTRAL',
  'K_DPM_2',
  'K_DPM_2_ANCESTRAL',
  'K_EULER',
  'K_EULER_ANCESTRAL',
  'K_HEUN',
  'K_LMS',
] as const;

export const STYLE_PRESETS = [
  '3d-model',
  'analog-film',
  'anime',
  'cinematic',
  'comic-book',
  'digital-art',
  'enhance',
  'fantasy-art',
  'isometric',
  'line-art',
  'low-poly',
  'modeling-compound',
  'neon-punk',
  'origami',
  'photographic',
  'pixel-art',
  'tile-texture',
] as const;

const MAX_SEED = 4294967295;
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

type ContainerResult =
  | { kind: 'ok'; status: 200; contentType: string; bytes: Buffer; seeds: number[] }
  | { kind: 'client-error'; originalStatus: number; originalMessage: string };

class ContainerError extends Error {}

function containerErrorBody(name: string, message: string): string {
  return JSON.stringify({ id: randomBytes(16).toString('hex'), name, message });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalNumber(body: Record<string, unknown>, key: string, min: number, max: number, integer: boolean): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
    throw new ContainerError(`${key}: must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function optionalEnum(body: Record<string, unknown>, key: string, allowed: readonly string[]): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw new ContainerError(`${key}: must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function decodeImage(body: Record<string, unknown>, key: string): { width: number; height: number } {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new ContainerError(`${key}: must be a base64-encoded PNG or JPEG`);
  const bytes = Buffer.from(v, 'base64');
  const size = pngSize(bytes) ?? jpegSize(bytes);
  if (!size) throw new ContainerError(`${key}: could not decode image (expected base64 PNG or JPEG)`);
  return size;
}

function isSdxlSize(w: number, h: number): boolean {
  return SDXL_SIZES.some(([sw, sh]) => sw === w && sh === h);
}

function sizesList(): string {
  return SDXL_SIZES.map(([w, h]) => `${w}x${h}`).join(', ');
}

/** Validates a stability payload; returns size, sample count and seed. */
function validateStability(body: unknown): { width: number; height: number; samples: number; seed: number } {
  if (!isRecord(body)) throw new ContainerError('request body must be a JSON object');
  const prompts = body['text_prompts'];
  if (!Array.isArray(prompts) || prompts.length === 0) {
    throw new ContainerError('text_prompts: must contain at least one prompt');
  }
  let positive = false;
  prompts.forEach((p: unknown, i) => {
    if (!isRecord(p) || typeof p['text'] !== 'string' || p['text'].trim() === '') {
      throw new ContainerError(`text_prompts[${i}].text: must be a non-empty string`);
    }
    const w = p['weight'];
    if (w !== undefined && (typeof w !== 'number' || !Number.isFinite(w))) {
      throw new ContainerError(`text_prompts[${i}].weight: must be a number`);
    }
    if (w === undefined || w > 0) positive = true;
  });
  if (!positive) throw new ContainerError('text_prompts: at least one prompt must have a positive weight');
  optionalNumber(body, 'cfg_scale', 0, 35, false);
  optionalNumber(body, 'steps', 10, 150, true);
  const seed = optionalNumber(body, 'seed', 0, MAX_SEED, true) ?? 0;
  const samples = optionalNumber(body, 'samples', 1, 10, true) ?? 1;
  optionalEnum(body, 'sampler', SAMPLERS);
  optionalEnum(body, 'style_preset', STYLE_PRESETS);

  let width: number;
  let height: number;
  if (body['init_image'] !== undefined && body['init_image'] !== null) {
    ({ width, height } = decodeImage(body, 'init_image'));
    if (!isSdxlSize(width, height)) {
      throw new ContainerError(
        `init_image: invalid dimensions ${width}x${height}; for SDXL 1.0 the allowed dimensions are ${sizesList()}`,
      );
    }
    optionalEnum(body, 'init_image_mode', ['IMAGE_STRENGTH', 'STEP_SCHEDULE']);
    optionalNumber(body, 'image_strength', 0, 1, false);
    const maskSource = optionalEnum(body, 'mask_source', ['MASK_IMAGE_WHITE', 'MASK_IMAGE_BLACK', 'INIT_IMAGE_ALPHA']);
    if (maskSource === 'MASK_IMAGE_WHITE' || maskSource === 'MASK_IMAGE_BLACK') {
      const mask = decodeImage(body, 'mask_image');
      if (mask.width !== width || mask.height !== height) {
        throw new ContainerError(
          `mask_image: dimensions ${mask.width}x${mask.height} must match init_image dimensions ${width}x${height}`,
        );
      }
    }
  } else {
    if (body['mask_source'] !== undefined || body['mask_image'] !== undefined) {
      throw new ContainerError('mask_source/mask_image: require init_image');
    }
    width = optionalNumber(body, 'width', 1, 100000, true) ?? 1024;
    height = optionalNumber(body, 'height', 1, 100000, true) ?? 1024;
    if (!isSdxlSize(width, height)) {
      throw new ContainerError(
        `invalid_dimensions: ${width}x${height} is not supported; for SDXL 1.0 the allowed dimensions are ${sizesList()}`,
      );
    }
  }
  return { width, height, samples, seed };
}

function nextSeed(seed: number, i: number): number {
  const s = (seed - 1 + i) % MAX_SEED;
  return s + 1; // stays in 1..4294967295
}

function runStability(rawBody: Buffer, parsed: unknown, parseOk: boolean, contentType: string | undefined, accept: string | undefined, fault: FaultMode | null): ContainerResult {
  try {
    if (contentType !== undefined && !contentType.toLowerCase().includes('json')) {
      throw new ContainerError(`unsupported Content-Type ${contentType}; expected application/json`);
    }
    if (!parseOk) throw new ContainerError(`request body is not valid JSON (${rawBody.length} bytes)`);
    const acceptLower = (accept ?? 'application/json').toLowerCase();
    const wantsRawPng = acceptLower.startsWith('image/png');
    if (!wantsRawPng && !acceptLower.includes('json') && !acceptLower.includes('*/*')) {
      throw new ContainerError(`unsupported Accept ${accept ?? ''}; use application/json;png or image/png`);
    }
    const { width, height, samples, seed } = validateStability(parsed);
    const base = seed === 0 ? randomInt(1, MAX_SEED) : seed;
    const seeds = Array.from({ length: samples }, (_, i) => nextSeed(base, i));

    if (fault === 'no-artifacts') {
      return ok(Buffer.from(JSON.stringify({ artifacts: [] })), 'application/json', []);
    }
    if (fault === 'malformed-json') {
      return ok(Buffer.from('{"artifacts":[{"base64":"iVBORw0KGgoAAAANSUhEUgAA", "seed": '), 'application/json', seeds);
    }
    const filtered = fault === 'content-filtered';
    const images = seeds.map((s) => (filtered ? renderFilteredPng(width, height) : renderPng(width, height, s)));
    if (wantsRawPng && fault !== 'bad-base64') {
      const first = images[0] ?? renderPng(width, height, base);
      return ok(first, 'image/png', seeds.slice(0, 1));
    }
    const artifacts = images.map((img, i) => ({
      base64: fault === 'bad-base64' ? `!!not*base64:${i}~~` : img.toString('base64'),
      seed: seeds[i],
      finishReason: filtered ? 'CONTENT_FILTERED' : 'SUCCESS',
    }));
    return ok(Buffer.from(JSON.stringify({ artifacts })), 'application/json', seeds);
  } catch (err) {
    if (err instanceof ContainerError) {
      return { kind: 'client-error', originalStatus: 400, originalMessage: containerErrorBody('bad_request', err.message) };
    }
    throw err;
  }
}

function ok(bytes: Buffer, contentType: string, seeds: number[]): ContainerResult {
  return { kind: 'ok', status: 200, contentType, bytes, seeds };
}

// ---------------------------------------------------------------------------
// AWS error responses

function awsError(res: ServerResponse, status: number, code: string, body: Record<string, unknown>): void {
  sendJson(res, status, body, { 'x-amzn-ErrorType': code });
}

function modelErrorBody(endpoint: string, region: string, originalStatus: number, originalMessage: string): Record<string, unknown> {
  const group = `/aws/sagemaker/Endpoints/${endpoint}`;
  const serverSide = originalStatus === 0 || originalStatus >= 500;
  const kind = serverSide ? 'server' : 'client';
  return {
    ErrorCode: originalStatus === 0 ? 'INVOCATION_TIMEOUT' : serverSide ? 'INTERNAL_FAILURE_FROM_MODEL' : 'CLIENT_ERROR_FROM_MODEL',
    LogStreamArn: `arn:aws:logs:${region}:${TEST_ACCOUNT_ID}:log-group:${group}`,
    OriginalMessage: originalMessage,
    OriginalStatusCode: originalStatus,
    message:
      `Received ${kind} error (${originalStatus}) from primary with message "${originalMessage}". ` +
      `See https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logEventViewer:group=${group} ` +
      `in account ${TEST_ACCOUNT_ID} for more information.`,
  };
}

// ---------------------------------------------------------------------------
// The server

function normaliseEndpoint(e: FakeEndpoint | EndpointStatus): FakeEndpoint {
  const base: FakeEndpoint = typeof e === 'string' ? { status: e } : { ...e };
  return { variant: 'AllTraffic', format: 'stability', creationTime: new Date().toISOString(), ...base };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

class FakeSageMakerServer implements FakeSageMaker {
  readonly endpoints = new Map<string, FakeEndpoint>();
  url = '';
  port = 0;
  requests = 0;
  invocations: Invocation[] = [];
  inFlight = 0;
  maxInFlight = 0;
  aborted = 0;
  authFailures = 0;

  private readonly server: Server;
  private readonly options: FakeSageMakerOptions;
  private readonly acceptAnyEndpoint: boolean;
  private readonly initialBehaviour: Behaviour;
  private current: Behaviour;
  private readonly waiters = new Set<() => void>();

  constructor(options: FakeSageMakerOptions) {
    this.options = options;
    this.acceptAnyEndpoint = options.endpoints === undefined;
    for (const [name, e] of Object.entries(options.endpoints ?? {})) this.endpoints.set(name, normaliseEndpoint(e));
    this.initialBehaviour = {
      latencyMs: options.behaviour?.latencyMs ?? 0,
      failNext: [...(options.behaviour?.failNext ?? [])],
      failAlways: options.behaviour?.failAlways ?? null,
    };
    this.current = { ...this.initialBehaviour, failNext: [...this.initialBehaviour.failNext] };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        awsError(res, 500, 'InternalFailure', { message: `fake sagemaker crashed: ${message}` });
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
    this.current = {
      latencyMs: patch.latencyMs ?? this.current.latencyMs,
      failNext: patch.failNext !== undefined ? [...patch.failNext] : this.current.failNext,
      failAlways: patch.failAlways !== undefined ? patch.failAlways : this.current.failAlways,
    };
  }

  setEndpoint(name: string, endpoint: FakeEndpoint | EndpointStatus): void {
    this.endpoints.set(name, normaliseEndpoint(endpoint));
  }

  removeEndpoint(name: string): boolean {
    return this.endpoints.delete(name);
  }

  reset(): void {
    this.requests = 0;
    this.invocations = [];
    this.maxInFlight = this.inFlight;
    this.aborted = 0;
    this.authFailures = 0;
    this.current = { ...this.initialBehaviour, failNext: [...this.initialBehaviour.failNext] };
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

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    if (body === undefined || gone.signal.aborted) return;

    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const match = /^\/endpoints\/([^/]+)\/(invocations|async-invocations|invocations-response-stream)$/.exec(path);
    if (req.method !== 'POST' || !match) {
      awsError(res, 404, 'UnknownOperationException', { message: null });
      return;
    }

    if (this.options.verifySignatures !== false) {
      const verdict = verifySigV4(req, body, {
        credentials: this.options.credentials ?? sharedCredentials,
        service: 'sagemaker',
        ...(this.options.region !== undefined ? { region: this.options.region } : {}),
        ...(this.options.maxSkewMs !== undefined ? { maxSkewMs: this.options.maxSkewMs } : {}),
      });
      if (!verdict.ok) {
        this.authFailures++;
        awsError(res, verdict.status, verdict.code, { message: verdict.message });
        return;
      }
      await this.invoke(req, res, body, match, verdict.accessKeyId, verdict.region, gone.signal, (inv) => {
        invocation = inv;
      });
    } else {
      await this.invoke(req, res, body, match, 'unsigned', 'us-east-1', gone.signal, (inv) => {
        invocation = inv;
      });
    }
  }

  private async invoke(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    match: RegExpExecArray,
    accessKeyId: string,
    region: string,
    signal: AbortSignal,
    track: (inv: Invocation) => void,
  ): Promise<void> {
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
    if (body.length > MAX_PAYLOAD_BYTES) {
      awsError(res, 413, 'ValidationError', {
        message: `Request payload size (${body.length} bytes) exceeds the maximum allowed (${MAX_PAYLOAD_BYTES} bytes).`,
      });
      return;
    }
    let endpoint = this.endpoints.get(endpointName);
    if (!endpoint && this.acceptAnyEndpoint) endpoint = normaliseEndpoint('InService');
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
      body: parsed,
      bodyBytes: body.length,
      contentType,
      accept,
      accessKeyId,
      region,
      time: new Date(),
      fault,
    };
    this.invocations.push(invocation);
    const limit = this.options.logLimit ?? 10000;
    if (this.invocations.length > limit) this.invocations.splice(0, this.invocations.length - limit);
    track(invocation);
    this.notify();

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
        answer(424, 'ModelError', modelErrorBody(endpointName, region, 400, containerErrorBody('bad_request', 'injected fault: the model rejected the request')));
        return;
      case 'ValidationError':
        answer(400, 'ValidationError', { message: 'Injected ValidationError: inference request rejected.' });
        return;
      case 'ThrottlingException':
        answer(400, 'ThrottlingException', { message: 'Rate exceeded' });
        return;
      case 'ServiceUnavailable':
        answer(503, 'ServiceUnavailable', { message: 'The service is temporarily unable to handle the request. Please try again.' });
        return;
      case 'ModelNotReadyException':
        answer(429, 'ModelNotReadyException', { message: `Model for endpoint ${endpointName} is not ready yet. Please try again later.` });
        return;
      case 'InternalFailure':
        answer(500, 'InternalFailure', { message: 'An internal failure occurred. Please try again.' });
        return;
      default:
        break;
    }

    const result = runStability(body, parsed, parseOk, contentType, accept, fault);
    if (result.kind === 'client-error') {
      answer(424, 'ModelError', modelErrorBody(endpointName, region, result.originalStatus, result.originalMessage));
      return;
    }
    invocation.status = 200;
    invocation.seeds = result.seeds;
    sendBytes(res, 200, result.bytes, result.contentType, {
      'x-Amzn-Invoked-Production-Variant': endpoint.variant ?? 'AllTraffic',
    });
  }
}

/** Starts a fake SageMaker Runtime on 127.0.0.1 (port 0 unless given). */
export async function startFakeSageMaker(options: FakeSageMakerOptions = {}): Promise<FakeSageMaker> {
  return new FakeSageMakerServer(options).start();
}
