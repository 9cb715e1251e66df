/**
 * A fake AWS STS speaking the real awsQuery protocol: `POST /` with a
 * form-urlencoded body (`Action=…&Version=2011-06-15&…`), XML answers and
 * awsQuery XML errors (`<ErrorResponse><Error><Type/><Code/><Message/>…`).
 *
 * - GetCallerIdentity: SigV4 signed (service `sts`), checked against the
 *   shared credential registry; answers who the key belongs to.
 * - AssumeRoleWithWebIdentity: unsigned; accepts only tokens issued by the
 *   Cognito fake's GetOpenIdToken (shared token registry) and roles in the
 *   test account; issues temporary credentials into the shared credential
 *   registry, so the SageMaker fake accepts them (no session policy: the
 *   basic/classic flow gets the role's full permissions).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeServer, type FakeServerOptions, type RunningFake } from './fake-server.js';
import { AwsError, clientGone, readBody, sendBytes, sleep } from './http-util.js';
import {
  fakeUniqueId,
  principalOf,
  sharedCredentials,
  sharedWebIdentityTokens,
  TEST_ACCOUNT_ID,
  type CredentialRegistry,
  type TemporaryCredential,
  type WebIdentityTokenRegistry,
} from './keys.js';
import { verifySigV4, type SigV4ErrorCode } from './sigv4.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_VERSION = '2011-06-15';

export type StsAction = 'GetCallerIdentity' | 'AssumeRoleWithWebIdentity';

const ACTIONS: readonly StsAction[] = ['GetCallerIdentity', 'AssumeRoleWithWebIdentity'];

/** Faults consumed one per (known) action call. */
export type StsFault = 'Throttling' | 'InternalFailure' | 'IDPCommunicationError' | 'RegionDisabledException';

export interface StsBehaviour {
  latencyMs: number;
  failNext: StsFault[];
}

export interface FakeStsOptions extends FakeServerOptions<StsBehaviour> {
  /** Where valid key pairs live and where AssumeRoleWithWebIdentity issues new ones (default: shared). */
  credentials?: CredentialRegistry;
  /** Tokens AssumeRoleWithWebIdentity accepts (default: the shared registry the Cognito fake writes). */
  tokens?: WebIdentityTokenRegistry;
  /** Only accept signatures scoped to this region (default: any). */
  region?: string;
  /** Check SigV4 on GetCallerIdentity (default true). */
  verifySignatures?: boolean;
  maxSkewMs?: number;
  /** Role names (in the test account) that may be assumed; default: any. */
  roles?: readonly string[];
  /** Roles' MaxSessionDuration in seconds (AWS default 3600). */
  maxSessionDurationSeconds?: number;
}

export interface AssumedRoleCredentials extends TemporaryCredential {
  roleArn: string;
  assumedRoleArn: string;
  roleSessionName: string;
  /** The web identity token's subject (the Cognito identity ID). */
  subject: string;
}

/** One STS request, for assertions. */
export interface StsCall {
  action: StsAction | 'other';
  /** Signing key and region of signed requests that passed the check. */
  accessKeyId?: string;
  signingRegion?: string;
  /** Whether the request carried an Authorization header. */
  signed: boolean;
  status?: number;
  /** Error code answered, if any. */
  error?: string;
  time: Date;
}

export interface FakeSts extends RunningFake<StsBehaviour> {
  readonly requests: number;
  /** Requests per Action (counted on arrival, whatever the outcome). */
  readonly calls: Readonly<Record<StsAction | 'other', number>>;
  /** Credentials issued by AssumeRoleWithWebIdentity, oldest first. */
  readonly issued: readonly AssumedRoleCredentials[];
  /** GetCallerIdentity requests refused by the signature check. */
  readonly authFailures: number;
  /** Every request, oldest first (at most 10000). */
  readonly log: readonly StsCall[];
}

class StsError extends AwsError {
  readonly type: 'Sender' | 'Receiver';
  constructor(code: string, message: string, status = 400, type: 'Sender' | 'Receiver' = 'Sender') {
    super(code, message, status);
    this.type = type;
  }
}

/** STS's names for what JSON services call the SigV4 failures. */
const SIGV4_CODES: Record<SigV4ErrorCode, { code: string; status: number; message?: string }> = {
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', status: 403 },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403 },
  MissingAuthenticationTokenException: {
    code: 'MissingAuthenticationToken',
    status: 403,
    message: 'Request is missing Authentication Token',
  },
  IncompleteSignatureException: { code: 'IncompleteSignature', status: 400 },
  ExpiredTokenException: { code: 'ExpiredToken', status: 403 },
};

const FAULTS: Record<StsFault, () => StsError> = {
  Throttling: () => new StsError('Throttling', 'Rate exceeded', 400),
  InternalFailure: () => new StsError('InternalFailure', 'An internal error occurred.', 500, 'Receiver'),
  IDPCommunicationError: () =>
    new StsError('IDPCommunicationError', 'Failed to communicate with the identity provider.', 400),
  RegionDisabledException: () =>
    new StsError(
      'RegionDisabledException',
      'STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.',
      403,
    ),
};

export function xmlEscape(v: string): string {
  return v.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function constraint(value: string | undefined, field: string, rule: string): StsError {
  const shown = value === undefined ? 'null' : `'${value}'`;
  return new StsError(
    'ValidationError',
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${rule}`,
  );
}

class FakeStsServer extends FakeServer<StsBehaviour, FakeStsOptions> implements FakeSts {
  requests = 0;
  calls: Record<StsAction | 'other', number> = { GetCallerIdentity: 0, AssumeRoleWithWebIdentity: 0, other: 0 };
  issued: AssumedRoleCredentials[] = [];
  authFailures = 0;
  log: StsCall[] = [];

  constructor(options: FakeStsOptions) {
    super(options, { latencyMs: 0, failNext: [] });
  }

  protected override crashed(res: ServerResponse, message: string): void {
    this.error(res, new StsError('InternalFailure', `fake sts crashed: ${message}`, 500, 'Receiver'));
  }

  private get registry(): CredentialRegistry {
    return this.options.credentials ?? sharedCredentials;
  }

  private send(res: ServerResponse, status: number, xml: string): void {
    sendBytes(res, status, Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`, 'utf8'), 'text/xml');
  }

  private error(res: ServerResponse, err: StsError, call?: StsCall): void {
    if (call) {
      call.status = err.status;
      call.error = err.code;
    }
    this.send(
      res,
      err.status,
      `<ErrorResponse xmlns="${STS_NAMESPACE}">\n` +
        `  <Error>\n    <Type>${err.type}</Type>\n    <Code>${xmlEscape(err.code)}</Code>\n    <Message>${xmlEscape(err.message)}</Message>\n  </Error>\n` +
        `  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>`,
    );
  }

  private respond(res: ServerResponse, action: StsAction, result: string): void {
    this.send(
      res,
      200,
      `<${action}Response xmlns="${STS_NAMESPACE}">\n  <${action}Result>\n${result}  </${action}Result>\n` +
        `  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</${action}Response>`,
    );
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const gone = clientGone(res);
    const body = await readBody(req);
    if (body === undefined) return;

    // awsQuery: parameters in the form body (POST) or the query string (GET).
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const params = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
    if (req.method === 'POST') {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
    }
    const actionName = params.get('Action') ?? '';
    const action = ACTIONS.find((a) => a === actionName);
    const call: StsCall = {
      action: action ?? 'other',
      signed: req.headers.authorization !== undefined,
      time: new Date(),
    };
    this.log.push(call);
    if (this.log.length > 10000) this.log.splice(0, this.log.length - 10000);
    if (action === undefined) {
      this.calls.other++;
      this.error(
        res,
        actionName === ''
          ? new StsError('MissingAction', 'Missing Action', 400)
          : new StsError(
              'InvalidAction',
              `Could not find operation ${actionName} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
              400,
            ),
        call,
      );
      return;
    }
    this.calls[action]++;
    const version = params.get('Version');
    if (version !== STS_VERSION) {
      this.error(
        res,
        new StsError(
          'InvalidAction',
          `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
          400,
        ),
        call,
      );
      return;
    }

    try {
      if (action === 'GetCallerIdentity') {
        const result = this.getCallerIdentity(req, body, call);
        if (!(await this.delayAndFault(gone))) return;
        call.status = 200;
        this.respond(res, action, result);
      } else {
        if (!(await this.delayAndFault(gone))) return;
        const result = this.assumeRoleWithWebIdentity(params);
        call.status = 200;
        this.respond(res, action, result);
      }
    } catch (err) {
      if (err instanceof StsError) this.error(res, err, call);
      else throw err;
    }
  }

  /** Waits the configured latency, then throws the next fault if any. False if the client left. */
  private async delayAndFault(signal: AbortSignal): Promise<boolean> {
    if (!(await sleep(this.current.latencyMs, signal))) return false;
    const fault = this.current.failNext.shift();
    if (fault !== undefined) throw FAULTS[fault]();
    return true;
  }

  private getCallerIdentity(req: IncomingMessage, body: Buffer, call: StsCall): string {
    let arn = `arn:aws:sts::${TEST_ACCOUNT_ID}:assumed-role/unsigned/unsigned`;
    let userId = 'unsigned';
    let account = TEST_ACCOUNT_ID;
    if (this.options.verifySignatures !== false) {
      const verdict = verifySigV4(req, body, {
        credentials: this.registry,
        service: 'sts',
        ...(this.options.region !== undefined ? { region: this.options.region } : {}),
        ...(this.options.maxSkewMs !== undefined ? { maxSkewMs: this.options.maxSkewMs } : {}),
      });
      if (!verdict.ok) {
        this.authFailures++;
        const mapped = SIGV4_CODES[verdict.code];
        throw new StsError(mapped.code, mapped.message ?? verdict.message, mapped.status);
      }
      call.accessKeyId = verdict.accessKeyId;
      call.signingRegion = verdict.region;
      ({ arn, userId, account } = principalOf(verdict.credential));
    }
    return `    <Arn>${xmlEscape(arn)}</Arn>\n    <UserId>${xmlEscape(userId)}</UserId>\n    <Account>${xmlEscape(account)}</Account>\n`;
  }

  private assumeRoleWithWebIdentity(params: URLSearchParams): string {
    const roleArn = params.get('RoleArn') ?? undefined;
    const sessionName = params.get('RoleSessionName') ?? undefined;
    const tokenValue = params.get('WebIdentityToken') ?? undefined;
    const durationRaw = params.get('DurationSeconds') ?? undefined;
    if (roleArn === undefined) throw constraint(undefined, 'roleArn', 'Member must not be null');
    if (roleArn.length < 20)
      throw constraint(roleArn, 'roleArn', 'Member must have length greater than or equal to 20');
    if (sessionName === undefined) throw constraint(undefined, 'roleSessionName', 'Member must not be null');
    if (!SESSION_NAME.test(sessionName)) {
      throw constraint(sessionName, 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
    }
    if (tokenValue === undefined) throw constraint(undefined, 'webIdentityToken', 'Member must not be null');
    if (tokenValue.length < 4)
      throw constraint(tokenValue, 'webIdentityToken', 'Member must have length greater than or equal to 4');
    const maxSession = this.options.maxSessionDurationSeconds ?? 3600;
    let duration = 3600;
    if (durationRaw !== undefined) {
      const n = Number(durationRaw);
      if (!Number.isInteger(n)) throw constraint(durationRaw, 'durationSeconds', 'Member must be an integer');
      if (n < 900)
        throw constraint(durationRaw, 'durationSeconds', 'Member must have value greater than or equal to 900');
      if (n > 43200)
        throw constraint(durationRaw, 'durationSeconds', 'Member must have value less than or equal to 43200');
      duration = n;
    }
    const m = ROLE_ARN.exec(roleArn);
    if (!m) throw new StsError('ValidationError', `${roleArn} is invalid`, 400);
    const account = m[1] ?? '';
    const roleName = m[2] ?? '';
    if (account !== TEST_ACCOUNT_ID || (this.options.roles !== undefined && !this.options.roles.includes(roleName))) {
      throw new StsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    }
    if (duration > maxSession) {
      throw new StsError(
        'ValidationError',
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
        400,
      );
    }

    const parts = tokenValue.split('.');
    if (parts.length !== 3 || parts.some((p) => p === '')) {
      throw new StsError(
        'InvalidIdentityToken',
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
      );
    }
    const token = (this.options.tokens ?? sharedWebIdentityTokens).lookup(tokenValue);
    if (!token) throw new StsError('InvalidIdentityToken', "Couldn't verify the signature of the web identity token.");
    const now = new Date();
    if (token.expiration.getTime() <= now.getTime()) {
      throw new StsError(
        'ExpiredTokenException',
        `Token expired: current date/time ${isoSeconds(now)} must be before the expiration date/time ${isoSeconds(token.expiration)}`,
      );
    }

    const roleId = fakeUniqueId('AROA', `arn:aws:iam::${account}:role/${roleName}`);
    const assumedRoleArn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
    const cred = this.registry.issueTemporary({
      ttlSeconds: duration,
      source: `sts:web-identity:${token.subject}`,
      principalArn: assumedRoleArn,
      userId: `${roleId}:${sessionName}`,
    });
    this.issued.push({ ...cred, roleArn, assumedRoleArn, roleSessionName: sessionName, subject: token.subject });
    return (
      `    <Audience>${xmlEscape(token.audience)}</Audience>\n` +
      `    <AssumedRoleUser>\n      <AssumedRoleId>${xmlEscape(`${roleId}:${sessionName}`)}</AssumedRoleId>\n` +
      `      <Arn>${xmlEscape(assumedRoleArn)}</Arn>\n    </AssumedRoleUser>\n` +
      `    <Provider>${xmlEscape(token.provider)}</Provider>\n` +
      `    <Credentials>\n      <AccessKeyId>${cred.accessKeyId}</AccessKeyId>\n` +
      `      <SecretAccessKey>${xmlEscape(cred.secretAccessKey)}</SecretAccessKey>\n` +
      `      <SessionToken>${xmlEscape(cred.sessionToken)}</SessionToken>\n` +
      `      <Expiration>${isoSeconds(cred.expiration)}</Expiration>\n    </Credentials>\n` +
      `    <SubjectFromWebIdentityToken>${xmlEscape(token.subject)}</SubjectFromWebIdentityToken>\n`
    );
  }
}

/** Starts a fake STS on 127.0.0.1 (port 0 unless given). */
export async function startFakeSts(options: FakeStsOptions = {}): Promise<FakeSts> {
  return new FakeStsServer(options).start();
}
