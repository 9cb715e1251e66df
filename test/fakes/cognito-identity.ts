/**
 * A fake Amazon Cognito Identity speaking the real awsJson1_1 protocol for
 * its unsigned calls:
 * - enhanced (simplified) flow: GetId → GetCredentialsForIdentity. Issued
 *   credentials go into the shared credential registry, so the SageMaker fake
 *   accepts them; guest credentials carry the managed session policy's
 *   scope-down (InvokeEndpoint only, see COGNITO_GUEST_SESSION_POLICY_ACTIONS).
 * - basic (classic) flow: GetId → GetOpenIdToken, then STS
 *   AssumeRoleWithWebIdentity (sts.ts). Tokens go into the shared web identity
 *   token registry, so the STS fake accepts them.
 */
import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeServer, type FakeServerOptions, type RunningFake } from './fake-server.js';
import { AwsError, clientGone, readBody, sendJson, sleep } from './http-util.js';
import {
  COGNITO_GUEST_SESSION_POLICY_ACTIONS,
  fakeUniqueId,
  sharedCredentials,
  sharedWebIdentityTokens,
  TEST_ACCOUNT_ID,
  type CredentialRegistry,
  type TemporaryCredential,
  type WebIdentityTokenRegistry,
} from './keys.js';

export const TEST_IDENTITY_POOL_ID = 'us-east-1:00000000-0000-4000-8000-000000000001';

const TARGET_PREFIX = 'AWSCognitoIdentityService.';
const JSON_11 = 'application/x-amz-json-1.1';
const ID_PATTERN = /^[\w-]+:[0-9a-f-]+$/;

export type CognitoOperation = 'GetId' | 'GetCredentialsForIdentity' | 'GetOpenIdToken';

const OPERATIONS: readonly CognitoOperation[] = ['GetId', 'GetCredentialsForIdentity', 'GetOpenIdToken'];

/** Default roles of a pool (what the console would create). */
export const TEST_UNAUTH_ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT_ID}:role/Cognito_StudioUnauth_Role`;
export const TEST_AUTH_ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT_ID}:role/Cognito_StudioAuth_Role`;

/** AWS's answer to GetOpenIdToken on a pool whose basic (classic) flow is off. */
export const CLASSIC_FLOW_DISABLED_MESSAGE = 'Basic (classic) flow is not enabled, please use enhanced flow.';

export type CognitoFault =
  'TooManyRequestsException' | 'InternalErrorException' | 'NotAuthorizedException' | 'ResourceNotFoundException';

export interface FakeIdentityPool {
  id: string;
  /** Guest (unauthenticated) identities allowed (default true). */
  allowUnauthenticated?: boolean;
  /** Basic (classic) flow, i.e. GetOpenIdToken, allowed (default true). */
  allowClassicFlow?: boolean;
  /** Role for guests in the enhanced flow (default TEST_UNAUTH_ROLE_ARN). */
  unauthRoleArn?: string;
  /** Role for authenticated identities in the enhanced flow (default TEST_AUTH_ROLE_ARN). */
  authRoleArn?: string;
  /**
   * IAM actions guests' enhanced-flow credentials may use (AWS's managed session
   * policy; default COGNITO_GUEST_SESSION_POLICY_ACTIONS). `null`: no scope-down.
   */
  guestSessionPolicy?: readonly string[] | null;
  /**
   * OpenID providers whose ID tokens sign users in (`Logins`), as a pool's authentication
   * providers: the login's name (`cognito-idp.<region>.amazonaws.com/<userPoolId>` for a user
   * pool), the token's issuer and its audience (the app client ID). A token is checked against
   * the issuer's JWKS (from its discovery document), its issuer, audience and expiry.
   */
  openIdProviders?: ReadonlyArray<{ name: string; issuer: string; audience: string }>;
}

export interface CognitoBehaviour {
  latencyMs: number;
  /** Faults consumed one per call (either operation), in order. */
  failNext: CognitoFault[];
  /** Lifetime of issued credentials in seconds (AWS: 3600). */
  credentialTtlSeconds: number;
  /** Lifetime of GetOpenIdToken tokens in seconds (AWS: 600). */
  openIdTokenTtlSeconds: number;
}

export interface FakeCognitoOptions extends FakeServerOptions<CognitoBehaviour> {
  /** Known pools. If omitted, any well-formed pool ID is accepted (guest access on). */
  identityPools?: ReadonlyArray<string | FakeIdentityPool>;
  /** Where issued credentials are registered (default: the shared registry). */
  credentials?: CredentialRegistry;
  /** Where GetOpenIdToken registers its tokens (default: the shared token registry the STS fake reads). */
  tokens?: WebIdentityTokenRegistry;
}

export interface IssuedIdentity {
  identityId: string;
  identityPoolId: string;
  authenticated: boolean;
  /** Provider names of the logins used (tokens are not kept). */
  loginProviders: string[];
  created: Date;
}

export interface IssuedCredentials extends TemporaryCredential {
  identityId: string;
}

export interface IssuedOpenIdToken {
  identityId: string;
  token: string;
  expiration: Date;
}

export interface FakeCognito extends RunningFake<CognitoBehaviour> {
  readonly requests: number;
  readonly calls: Readonly<Record<CognitoOperation | 'other', number>>;
  /** Identities created by GetId, by ID. */
  readonly identities: ReadonlyMap<string, IssuedIdentity>;
  /** Every key pair handed out by GetCredentialsForIdentity, oldest first. */
  readonly issued: readonly IssuedCredentials[];
  /** Every token handed out by GetOpenIdToken, oldest first. */
  readonly openIdTokens: readonly IssuedOpenIdToken[];
  addPool(pool: string | FakeIdentityPool): void;
  /** Forgets an identity (GetCredentialsForIdentity then answers ResourceNotFoundException). */
  deleteIdentity(identityId: string): boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const FAULT_STATUS: Record<CognitoFault, number> = {
  TooManyRequestsException: 400,
  InternalErrorException: 500,
  NotAuthorizedException: 400,
  ResourceNotFoundException: 400,
};

const FAULT_MESSAGE: Record<CognitoFault, string> = {
  TooManyRequestsException: 'Rate exceeded',
  InternalErrorException: 'An internal error occurred.',
  NotAuthorizedException: 'Injected NotAuthorizedException.',
  ResourceNotFoundException: 'Injected ResourceNotFoundException.',
};

class CognitoError extends AwsError {}

function validationError(field: string, value: unknown): CognitoError {
  return new CognitoError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ` +
      'Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+',
  );
}

function loginKey(poolId: string, subjects: string[]): string {
  return `${poolId}|${JSON.stringify(subjects)}`;
}

function parseLogins(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v))
    throw new CognitoError('ValidationException', "1 validation error detected: 'logins' must be a map");
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string' || val === '') {
      throw new CognitoError('NotAuthorizedException', `Invalid login token for provider ${k}.`);
    }
    out[k] = val;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

class FakeCognitoServer extends FakeServer<CognitoBehaviour, FakeCognitoOptions> implements FakeCognito {
  requests = 0;
  calls: Record<CognitoOperation | 'other', number> = {
    GetId: 0,
    GetCredentialsForIdentity: 0,
    GetOpenIdToken: 0,
    other: 0,
  };
  identities = new Map<string, IssuedIdentity>();
  issued: IssuedCredentials[] = [];
  openIdTokens: IssuedOpenIdToken[] = [];

  private readonly pools = new Map<string, FakeIdentityPool>();
  private readonly acceptAnyPool: boolean;
  private readonly byLogin = new Map<string, string>();
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(options: FakeCognitoOptions) {
    super(options, { latencyMs: 0, failNext: [], credentialTtlSeconds: 3600, openIdTokenTtlSeconds: 600 });
    this.acceptAnyPool = options.identityPools === undefined;
    for (const p of options.identityPools ?? []) this.addPool(p);
  }

  addPool(pool: string | FakeIdentityPool): void {
    const p = typeof pool === 'string' ? { id: pool } : pool;
    this.pools.set(p.id, { allowUnauthenticated: true, allowClassicFlow: true, ...p });
  }

  deleteIdentity(identityId: string): boolean {
    return this.identities.delete(identityId);
  }

  /** The issuer's signing keys, found through its discovery document (cached per issuer). */
  private async keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    let keys = this.keySets.get(issuer);
    if (!keys) {
      const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
        jwks_uri?: string;
      };
      if (!discovery.jwks_uri)
        throw new CognitoError('NotAuthorizedException', `Invalid login token. No JWKS at ${issuer}.`);
      keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
      this.keySets.set(issuer, keys);
    }
    return keys;
  }

  /**
   * Checks each login as Cognito does (a known provider; the token signed by it, for this
   * client, not expired) and returns who it names: `provider:sub`, sorted.
   */
  private async verifyLogins(pool: FakeIdentityPool | undefined, logins: Record<string, string>): Promise<string[]> {
    const subjects: string[] = [];
    for (const [name, token] of Object.entries(logins)) {
      const provider = pool?.openIdProviders?.find((p) => p.name === name);
      if (!provider)
        throw new CognitoError('NotAuthorizedException', `Invalid login token. Issuer doesn't match providerName`);
      try {
        const { payload } = await jwtVerify(token, await this.keysOf(provider.issuer), {
          issuer: provider.issuer,
          audience: provider.audience,
        });
        subjects.push(`${name}:${String(payload.sub)}`);
      } catch (error) {
        if (error instanceof CognitoError) throw error;
        const code = (error as { code?: string }).code ?? '';
        const message =
          code === 'ERR_JWT_EXPIRED'
            ? 'Invalid login token. Token expired.'
            : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
              ? `Invalid login token. ${(error as Error).message}.`
              : 'Invalid login token. Signature verification failed.';
        throw new CognitoError('NotAuthorizedException', message);
      }
    }
    return subjects.sort();
  }

  protected override crashed(res: ServerResponse, message: string): void {
    this.error(res, new CognitoError('InternalErrorException', `fake cognito crashed: ${message}`, 500));
  }

  private error(res: ServerResponse, err: CognitoError): void {
    sendJson(
      res,
      err.status,
      { __type: err.code, message: err.message },
      { 'x-amzn-ErrorType': `${err.code}:` },
      JSON_11,
    );
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const gone = clientGone(res);
    const body = await readBody(req);
    if (body === undefined) return;

    const target = req.headers['x-amz-target'];
    const op = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const known = OPERATIONS.find((o) => o === op);
    if (req.method !== 'POST' || known === undefined) {
      this.calls.other++;
      this.error(res, new CognitoError('UnknownOperationException', `Unknown operation ${op || String(target)}`));
      return;
    }
    this.calls[known]++;

    if (!(await sleep(this.current.latencyMs, gone))) return;
    const fault = this.current.failNext.shift();
    if (fault !== undefined) {
      this.error(res, new CognitoError(fault, FAULT_MESSAGE[fault], FAULT_STATUS[fault]));
      return;
    }

    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      this.error(
        res,
        new CognitoError('SerializationException', 'Start of structure or map found where not expected.'),
      );
      return;
    }
    if (!isRecord(input)) {
      this.error(res, new CognitoError('SerializationException', 'Expected a JSON object.'));
      return;
    }
    try {
      const output =
        known === 'GetId'
          ? await this.getId(input)
          : known === 'GetOpenIdToken'
            ? await this.getOpenIdToken(input)
            : await this.getCredentials(input);
      sendJson(res, 200, output, {}, JSON_11);
    } catch (err) {
      if (err instanceof CognitoError) this.error(res, err);
      else throw err;
    }
  }

  private async getId(input: Record<string, unknown>): Promise<{ IdentityId: string }> {
    const poolId = input['IdentityPoolId'];
    if (typeof poolId !== 'string' || poolId.length > 55 || !ID_PATTERN.test(poolId)) {
      throw validationError('identityPoolId', poolId);
    }
    let pool = this.pools.get(poolId);
    if (!pool && this.acceptAnyPool) {
      this.addPool(poolId);
      pool = this.pools.get(poolId);
    }
    if (!pool) throw new CognitoError('ResourceNotFoundException', `IdentityPool '${poolId}' not found.`);
    const logins = parseLogins(input['Logins']);
    if (!logins && pool.allowUnauthenticated === false) {
      throw new CognitoError(
        'NotAuthorizedException',
        'Unauthenticated access is not supported for this identity pool.',
      );
    }
    // The same user (not the same token) is the same identity.
    const who = logins ? await this.verifyLogins(pool, logins) : undefined;
    if (who) {
      const known = this.byLogin.get(loginKey(poolId, who));
      if (known && this.identities.has(known)) return { IdentityId: known };
    }
    const region = poolId.split(':')[0] ?? 'us-east-1';
    const identityId = `${region}:${randomUUID()}`;
    this.identities.set(identityId, {
      identityId,
      identityPoolId: poolId,
      authenticated: logins !== undefined,
      loginProviders: logins ? Object.keys(logins) : [],
      created: new Date(),
    });
    if (who) this.byLogin.set(loginKey(poolId, who), identityId);
    return { IdentityId: identityId };
  }

  /** Common checks of GetCredentialsForIdentity and GetOpenIdToken. */
  private async checkIdentity(input: Record<string, unknown>): Promise<{
    identityId: string;
    identity: IssuedIdentity;
    pool: FakeIdentityPool | undefined;
    logins: Record<string, string> | undefined;
  }> {
    const identityId = input['IdentityId'];
    if (typeof identityId !== 'string' || identityId.length > 55 || !ID_PATTERN.test(identityId)) {
      throw validationError('identityId', identityId);
    }
    const identity = this.identities.get(identityId);
    if (!identity) throw new CognitoError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    const logins = parseLogins(input['Logins']);
    if (identity.authenticated && !logins) {
      throw new CognitoError(
        'NotAuthorizedException',
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
      );
    }
    const pool = this.pools.get(identity.identityPoolId);
    if (logins) {
      const who = await this.verifyLogins(pool, logins);
      if (this.byLogin.get(loginKey(identity.identityPoolId, who)) !== identityId) {
        throw new CognitoError(
          'NotAuthorizedException',
          "Logins don't match. Please include at least one valid login for this identity or identity pool.",
        );
      }
    }
    if (!logins && pool?.allowUnauthenticated === false) {
      throw new CognitoError(
        'NotAuthorizedException',
        'Unauthenticated access is not supported for this identity pool.',
      );
    }
    return { identityId, identity, pool, logins };
  }

  private async getOpenIdToken(input: Record<string, unknown>): Promise<{ IdentityId: string; Token: string }> {
    const { identityId, identity, pool } = await this.checkIdentity(input);
    if (pool?.allowClassicFlow === false) {
      throw new CognitoError('InvalidParameterException', CLASSIC_FLOW_DISABLED_MESSAGE);
    }
    const issued = (this.options.tokens ?? sharedWebIdentityTokens).issue({
      subject: identityId,
      audience: identity.identityPoolId,
      authenticated: identity.authenticated,
      loginProviders: identity.loginProviders,
      ttlSeconds: this.current.openIdTokenTtlSeconds,
    });
    this.openIdTokens.push({ identityId, token: issued.token, expiration: issued.expiration });
    return { IdentityId: identityId, Token: issued.token };
  }

  private async getCredentials(input: Record<string, unknown>): Promise<{
    IdentityId: string;
    Credentials: { AccessKeyId: string; SecretKey: string; SessionToken: string; Expiration: number };
  }> {
    const { identityId, pool, logins } = await this.checkIdentity(input);
    const guest = logins === undefined;
    const roleArn = guest ? (pool?.unauthRoleArn ?? TEST_UNAUTH_ROLE_ARN) : (pool?.authRoleArn ?? TEST_AUTH_ROLE_ARN);
    const roleName = roleArn.split('/').pop() ?? 'Cognito_Role';
    const sessionPolicy = guest
      ? pool?.guestSessionPolicy === undefined
        ? COGNITO_GUEST_SESSION_POLICY_ACTIONS
        : pool.guestSessionPolicy
      : null;
    const cred = (this.options.credentials ?? sharedCredentials).issueTemporary({
      ttlSeconds: this.current.credentialTtlSeconds,
      source: `cognito:${identityId}`,
      principalArn: `arn:aws:sts::${TEST_ACCOUNT_ID}:assumed-role/${roleName}/CognitoIdentityCredentials`,
      userId: `${fakeUniqueId('AROA', roleArn)}:CognitoIdentityCredentials`,
      ...(sessionPolicy !== null ? { allowedActions: sessionPolicy } : {}),
    });
    this.issued.push({ ...cred, identityId });
    return {
      IdentityId: identityId,
      Credentials: {
        AccessKeyId: cred.accessKeyId,
        SecretKey: cred.secretAccessKey,
        SessionToken: cred.sessionToken,
        // awsJson1_1 timestamps are epoch seconds.
        Expiration: Math.floor(cred.expiration.getTime() / 1000),
      },
    };
  }
}

/** Starts a fake Cognito Identity on 127.0.0.1 (port 0 unless given). */
export async function startFakeCognito(options: FakeCognitoOptions = {}): Promise<FakeCognito> {
  return new FakeCognitoServer(options).start();
}
