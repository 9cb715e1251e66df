/**
 * Server-side verification of AWS Signature Version 4 (Authorization header form),
 * written for the fakes. Mirrors what AWS's JSON/REST services check and the
 * error codes and messages they answer with.
 *
 * Canonical URI note: for every service except S3 the SDK signs the *already
 * URI-encoded* request path and encodes it a second time (a space in an
 * endpoint name travels as `%20` and is signed as `%2520`), after dropping
 * empty, `.` and `..` segments. The canonical URI is therefore computed from
 * the raw path as received on the wire, not from the decoded path.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CredentialRegistry, RegisteredCredential } from './keys.js';

export type SigV4ErrorCode =
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException'
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'ExpiredTokenException';

export type SigV4Result =
  | {
      ok: true;
      accessKeyId: string;
      region: string;
      service: string;
      signedHeaders: string[];
      credential: RegisteredCredential;
    }
  | { ok: false; status: 403; code: SigV4ErrorCode; message: string };

export type SigV4Failure = Extract<SigV4Result, { ok: false }>;

/** Anything that can tell us the secret (and optionally session token / expiry) of an access key. */
export type CredentialLookup =
  CredentialRegistry | ((accessKeyId: string) => string | RegisteredCredential | undefined);

export interface VerifyOptions {
  credentials: CredentialLookup;
  /** Expected signing service (e.g. 'sagemaker'); any if omitted. */
  service?: string;
  /** Expected signing region; any if omitted. */
  region?: string;
  /** Clock for skew and expiry checks (default: now). */
  now?: Date;
  /** Allowed clock skew in ms (AWS: 15 min). `Infinity` disables the check. */
  maxSkewMs?: number;
}

/** The parts of an HTTP request the signature covers. */
export interface RequestParts {
  method: string;
  /** Raw request target as received, e.g. `/endpoints/a%20b/invocations?x=1`. */
  url: string;
  /** Header name/value pairs in arrival order (Node's `rawHeaders` paired up); names any case. */
  headers: ReadonlyArray<readonly [string, string]>;
  body: Uint8Array;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const DEFAULT_SKEW_MS = 15 * 60 * 1000;

const MESSAGES = {
  missing: 'Missing Authentication Token',
  unknownKey: 'The security token included in the request is invalid.',
  expiredToken: 'The security token included in the request is expired',
  mismatch:
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
} as const;

function fail(code: SigV4ErrorCode, message: string): SigV4Failure {
  return { ok: false, status: 403, code, message };
}

/** RFC 3986 encoding exactly as AWS wants it (encodeURIComponent plus !'()*). */
export function awsUriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Canonical URI from the raw path as received (non-S3 rules: normalise, then encode again). */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalised =
    (rawPath.startsWith('/') ? '/' : '') +
    segments.join('/') +
    (segments.length > 0 && rawPath.endsWith('/') ? '/' : '');
  return awsUriEscape(normalised).replace(/%2F/g, '/') || '/';
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Canonical query string from the raw query (without '?'). */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : safeDecode(part.slice(eq + 1));
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([awsUriEscape(key), awsUriEscape(value)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValues(headers: RequestParts['headers'], lowerName: string): string[] {
  const out: string[] = [];
  for (const [name, value] of headers) if (name.toLowerCase() === lowerName) out.push(value);
  return out;
}

function firstHeader(headers: RequestParts['headers'], lowerName: string): string | undefined {
  return headerValues(headers, lowerName)[0];
}

function canonicalHeaderValue(values: string[]): string {
  return values
    .map((v) =>
      v
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim(),
    )
    .join(',');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, shortDate);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

export function buildCanonicalRequest(
  parts: RequestParts,
  signedHeaders: readonly string[],
  payloadHash: string,
): string {
  const q = parts.url.indexOf('?');
  const rawPath = q === -1 ? parts.url : parts.url.slice(0, q);
  const rawQuery = q === -1 ? '' : parts.url.slice(q + 1);
  const headerLines = signedHeaders.map((name) => `${name}:${canonicalHeaderValue(headerValues(parts.headers, name))}`);
  return [
    parts.method.toUpperCase(),
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    ...headerLines,
    '',
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
}

interface ParsedAuthorization {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export function parseAuthorization(header: string): ParsedAuthorization | SigV4Failure {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    const algo = trimmed.split(/\s+/)[0] ?? '';
    return fail(
      'IncompleteSignatureException',
      `Authorization header requires existence of a valid algorithm. '${algo}' is not a supported algorithm.`,
    );
  }
  const fields = new Map<string, string>();
  for (const piece of trimmed.slice(ALGORITHM.length).split(',')) {
    const p = piece.trim();
    const eq = p.indexOf('=');
    if (eq > 0) fields.set(p.slice(0, eq).trim(), p.slice(eq + 1).trim());
  }
  for (const required of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!fields.has(required)) {
      return fail(
        'IncompleteSignatureException',
        `Authorization header requires '${required}' parameter. Authorization=${trimmed}`,
      );
    }
  }
  const credential = fields.get('Credential') ?? '';
  const scope = credential.split('/');
  if (scope.length !== 5 || scope.some((s) => s === '')) {
    return fail(
      'IncompleteSignatureException',
      `Credential should be scoped to a valid region. Credential=${credential}`,
    );
  }
  const [accessKeyId, shortDate, region, service, terminator] = scope as [string, string, string, string, string];
  return {
    accessKeyId,
    shortDate,
    region,
    service,
    terminator,
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';').filter((h) => h !== ''),
    signature: (fields.get('Signature') ?? '').toLowerCase(),
  };
}

function isFailure(x: ParsedAuthorization | SigV4Failure): x is SigV4Failure {
  return 'ok' in x;
}

function toAmzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return Number.isNaN(t) ? undefined : new Date(t);
}

function resolveCredential(lookup: CredentialLookup, accessKeyId: string): RegisteredCredential | undefined {
  if (typeof lookup === 'function') {
    const found = lookup(accessKeyId);
    if (found === undefined) return undefined;
    return typeof found === 'string' ? { accessKeyId, secretAccessKey: found } : found;
  }
  return lookup.lookup(accessKeyId);
}

/** Verifies the SigV4 Authorization header of a request given as plain parts. */
export function verifySigV4Parts(parts: RequestParts, options: VerifyOptions): SigV4Result {
  const authorization = firstHeader(parts.headers, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    return fail('MissingAuthenticationTokenException', MESSAGES.missing);
  }
  const auth = parseAuthorization(authorization);
  if (isFailure(auth)) return auth;

  // Request date: X-Amz-Date, else the HTTP Date header.
  const amzDateHeader = firstHeader(parts.headers, 'x-amz-date');
  let requestDate: Date | undefined;
  let amzDate: string;
  if (amzDateHeader !== undefined) {
    requestDate = parseAmzDate(amzDateHeader.trim());
    amzDate = amzDateHeader.trim();
  } else {
    const dateHeader = firstHeader(parts.headers, 'date');
    if (dateHeader === undefined) {
      return fail(
        'IncompleteSignatureException',
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
          `Authorization=${authorization.trim()}`,
      );
    }
    const t = Date.parse(dateHeader);
    requestDate = Number.isNaN(t) ? undefined : new Date(t);
    amzDate = requestDate ? toAmzDate(requestDate) : dateHeader;
  }
  if (requestDate === undefined) {
    return fail('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  }

  // Who is it? (AWS checks the key before the signature.)
  const credential = resolveCredential(options.credentials, auth.accessKeyId);
  if (credential === undefined) return fail('UnrecognizedClientException', MESSAGES.unknownKey);
  const token = firstHeader(parts.headers, 'x-amz-security-token');
  if (credential.sessionToken !== undefined) {
    if (token === undefined || token !== credential.sessionToken) {
      return fail('UnrecognizedClientException', MESSAGES.unknownKey);
    }
  } else if (token !== undefined) {
    // A long-term key with a session token attached is not a valid token.
    return fail('UnrecognizedClientException', MESSAGES.unknownKey);
  }
  const now = options.now ?? new Date();
  if (credential.expiration !== undefined && credential.expiration.getTime() <= now.getTime()) {
    return fail('ExpiredTokenException', MESSAGES.expiredToken);
  }

  // Scope checks.
  if (auth.terminator !== 'aws4_request') {
    return fail(
      'InvalidSignatureException',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'.`,
    );
  }
  if (options.service !== undefined && auth.service !== options.service) {
    return fail('InvalidSignatureException', `Credential should be scoped to correct service: '${options.service}'. `);
  }
  if (options.region !== undefined && auth.region !== options.region) {
    return fail('InvalidSignatureException', 'Credential should be scoped to a valid region. ');
  }
  if (auth.shortDate !== amzDate.slice(0, 8)) {
    return fail(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.shortDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (!auth.signedHeaders.includes('host') && !auth.signedHeaders.includes(':authority')) {
    return fail(
      'InvalidSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const maxSkew = options.maxSkewMs ?? DEFAULT_SKEW_MS;
  const skew = requestDate.getTime() - now.getTime();
  if (Number.isFinite(maxSkew) && Math.abs(skew) > maxSkew) {
    const minutes = Math.round(maxSkew / 60000);
    return skew < 0
      ? fail(
          'InvalidSignatureException',
          `Signature expired: ${amzDate} is now earlier than ${toAmzDate(new Date(now.getTime() - maxSkew))} (${toAmzDate(now)} - ${minutes} min.)`,
        )
      : fail(
          'InvalidSignatureException',
          `Signature not yet current: ${amzDate} is still later than ${toAmzDate(new Date(now.getTime() + maxSkew))} (${toAmzDate(now)} + ${minutes} min.)`,
        );
  }

  // Payload hash.
  const bodyHash = parts.body.length === 0 ? EMPTY_SHA256 : sha256Hex(parts.body);
  const declared = firstHeader(parts.headers, 'x-amz-content-sha256')?.trim();
  if (declared !== undefined && /^[0-9a-fA-F]{64}$/.test(declared) && declared.toLowerCase() !== bodyHash) {
    return fail(
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const payloadHash = declared ?? bodyHash;

  const canonicalRequest = buildCanonicalRequest(parts, auth.signedHeaders, payloadHash);
  const scope = `${auth.shortDate}/${auth.region}/${auth.service}/${auth.terminator}`;
  const stringToSign = buildStringToSign(amzDate, scope, canonicalRequest);
  const key = deriveSigningKey(credential.secretAccessKey, auth.shortDate, auth.region, auth.service);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');

  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(auth.signature, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return fail(
      'InvalidSignatureException',
      `${MESSAGES.mismatch}\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
        `The String-to-Sign should have been\n'${stringToSign}'\n`,
    );
  }
  return {
    ok: true,
    accessKeyId: auth.accessKeyId,
    region: auth.region,
    service: auth.service,
    signedHeaders: auth.signedHeaders,
    credential,
  };
}

/** Pairs up Node's flat `rawHeaders` list. */
export function pairRawHeaders(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

/** Verifies an incoming Node request whose body has already been read into `body`. */
export function verifySigV4(req: IncomingMessage, body: Uint8Array, options: VerifyOptions): SigV4Result {
  return verifySigV4Parts(
    {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: pairRawHeaders(req.rawHeaders),
      body,
    },
    options,
  );
}
