/**
 * Known test credentials and the credential registry shared by the fakes.
 *
 * The SageMaker fake checks SigV4 signatures against a CredentialRegistry;
 * the Cognito fake issues fresh temporary credentials into the same registry,
 * so credentials obtained through the SDK's Cognito provider are accepted by
 * the SageMaker fake exactly like static test keys.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Long-term test key pair (like an IAM user access key). Always registered in `sharedCredentials`. */
export const testCredentials = {
  accessKeyId: 'AKIDTESTSTUDIO',
  secretAccessKey: 'test-secret-key-for-fakes',
} as const;

/** A temporary key pair with a session token, registered in `sharedCredentials` and never expiring. */
export const testSessionCredentials = {
  accessKeyId: 'ASIATESTSTUDIOSESSION',
  secretAccessKey: 'test-session-secret-for-fakes',
  sessionToken: 'test-session-token-for-fakes',
} as const;

/** Same access key as `testCredentials` but the wrong secret: signatures never match. */
export const wrongSecretCredentials = {
  accessKeyId: testCredentials.accessKeyId,
  secretAccessKey: 'this-is-not-the-secret',
} as const;

/** An access key no fake knows. */
export const unknownCredentials = {
  accessKeyId: 'AKIDUNKNOWNKEY00000',
  secretAccessKey: 'whatever-secret',
} as const;

/** The AWS account every fake pretends to live in. */
export const TEST_ACCOUNT_ID = '123456789012';

export interface RegisteredCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** If set, requests signed with this key must carry exactly this x-amz-security-token. */
  sessionToken?: string;
  /** If set, requests after this moment are refused with ExpiredTokenException. */
  expiration?: Date;
  /** Free-form origin label, e.g. 'static' or 'cognito:<identityId>'. */
  source?: string;
  /** Who the key belongs to, as STS GetCallerIdentity reports it (default: derived, see `principalOf`). */
  principalArn?: string;
  /** GetCallerIdentity's UserId (`AIDA…` for users, `AROA…:session` for assumed roles). */
  userId?: string;
  /**
   * If set, a session policy: only these IAM actions (e.g. `sagemaker:InvokeEndpoint`) are allowed;
   * fakes answer AccessDeniedException for anything else. Unset: everything is allowed.
   */
  allowedActions?: readonly string[];
}

export interface TemporaryCredential extends RegisteredCredential {
  sessionToken: string;
  expiration: Date;
}

export interface IssueOptions {
  /** Lifetime in seconds (default 3600). */
  ttlSeconds?: number;
  source?: string;
  /** Override the clock (tests). */
  now?: Date;
  principalArn?: string;
  userId?: string;
  allowedActions?: readonly string[];
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKeyId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = 0; out.length < length; i++) {
    out += KEY_ALPHABET[(bytes[i] ?? 0) % KEY_ALPHABET.length];
  }
  return out;
}

/** A set of valid key pairs. Thread-free, in-memory. */
export class CredentialRegistry {
  private readonly byKey = new Map<string, RegisteredCredential>();

  constructor(initial: Iterable<RegisteredCredential> = []) {
    for (const c of initial) this.register(c);
  }

  /** Adds (or replaces) a key pair. */
  register(credential: RegisteredCredential): RegisteredCredential {
    const copy: RegisteredCredential = { ...credential };
    this.byKey.set(copy.accessKeyId, copy);
    return copy;
  }

  /** Generates, registers and returns a fresh temporary key pair with a session token (like STS / Cognito). */
  issueTemporary(options: IssueOptions = {}): TemporaryCredential {
    const now = options.now ?? new Date();
    const ttl = options.ttlSeconds ?? 3600;
    const cred: TemporaryCredential = {
      accessKeyId: randomKeyId('ASIA', 20),
      secretAccessKey: randomBytes(30).toString('base64').slice(0, 40),
      sessionToken: `FakeSessionToken/${randomBytes(48).toString('base64')}`,
      // AWS expirations have second precision.
      expiration: new Date(Math.floor(now.getTime() / 1000) * 1000 + ttl * 1000),
      ...(options.source !== undefined ? { source: options.source } : {}),
      ...(options.principalArn !== undefined ? { principalArn: options.principalArn } : {}),
      ...(options.userId !== undefined ? { userId: options.userId } : {}),
      ...(options.allowedActions !== undefined ? { allowedActions: [...options.allowedActions] } : {}),
    };
    this.register(cred);
    return cred;
  }

  lookup(accessKeyId: string): RegisteredCredential | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Secret for a key, or undefined: the shape `verifySigV4` wants. */
  secretFor(accessKeyId: string): string | undefined {
    return this.byKey.get(accessKeyId)?.secretAccessKey;
  }

  revoke(accessKeyId: string): boolean {
    return this.byKey.delete(accessKeyId);
  }

  has(accessKeyId: string): boolean {
    return this.byKey.has(accessKeyId);
  }

  get size(): number {
    return this.byKey.size;
  }

  list(): RegisteredCredential[] {
    return [...this.byKey.values()].map((c) => ({ ...c }));
  }
}

/** IAM user the long-term test key belongs to. */
export const TEST_USER_ARN = `arn:aws:iam::${TEST_ACCOUNT_ID}:user/studio-test`;
/** Role behind `testSessionCredentials`. */
export const TEST_SESSION_ROLE_ARN = `arn:aws:sts::${TEST_ACCOUNT_ID}:assumed-role/studio-test-role/studio-test-session`;

/** A stable, AWS-looking unique ID (`AIDA…`, `AROA…`) derived from a name. */
export function fakeUniqueId(prefix: 'AIDA' | 'AROA', name: string): string {
  const digest = createHash('sha256').update(name).digest();
  let out = prefix;
  for (let i = 0; out.length < 21; i++) out += KEY_ALPHABET[(digest[i] ?? 0) % KEY_ALPHABET.length];
  return out;
}

/** The principal behind a key, as STS GetCallerIdentity answers it. */
export function principalOf(credential: RegisteredCredential): { arn: string; userId: string; account: string } {
  if (credential.principalArn !== undefined) {
    return {
      arn: credential.principalArn,
      userId: credential.userId ?? fakeUniqueId('AIDA', credential.principalArn),
      account: credential.principalArn.split(':')[4] || TEST_ACCOUNT_ID,
    };
  }
  if (credential.sessionToken !== undefined) {
    const arn = `arn:aws:sts::${TEST_ACCOUNT_ID}:assumed-role/studio-temporary-role/${credential.accessKeyId}`;
    return {
      arn,
      userId: `${fakeUniqueId('AROA', 'studio-temporary-role')}:${credential.accessKeyId}`,
      account: TEST_ACCOUNT_ID,
    };
  }
  return { arn: TEST_USER_ARN, userId: fakeUniqueId('AIDA', TEST_USER_ARN), account: TEST_ACCOUNT_ID };
}

/**
 * The registry all fakes use unless given another one.
 * Pre-loaded with `testCredentials` and `testSessionCredentials`.
 */
export const sharedCredentials = new CredentialRegistry([
  { ...testCredentials, source: 'static', principalArn: TEST_USER_ARN, userId: fakeUniqueId('AIDA', TEST_USER_ARN) },
  {
    ...testSessionCredentials,
    source: 'static-session',
    principalArn: TEST_SESSION_ROLE_ARN,
    userId: `${fakeUniqueId('AROA', 'studio-test-role')}:studio-test-session`,
  },
]);

// ---------------------------------------------------------------------------
// OpenID tokens (Cognito GetOpenIdToken → STS AssumeRoleWithWebIdentity)

/** What a web identity token stands for. */
export interface WebIdentityToken {
  token: string;
  /** `sub`: the Cognito identity ID. */
  subject: string;
  /** `aud`: the identity pool ID. */
  audience: string;
  /** `iss` without scheme, what STS reports as Provider. */
  provider: string;
  /** `amr`: 'unauthenticated' or 'authenticated' plus login providers. */
  amr: string[];
  issuedAt: Date;
  expiration: Date;
}

export interface IssueTokenOptions {
  subject: string;
  audience: string;
  authenticated: boolean;
  loginProviders?: readonly string[];
  /** Lifetime in seconds (Cognito: 600). */
  ttlSeconds?: number;
  now?: Date;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * OpenID tokens issued by the Cognito fake's GetOpenIdToken and accepted by the
 * STS fake's AssumeRoleWithWebIdentity. Tokens are JWT-shaped
 * (`header.payload.signature`, base64url) but only valid if registered here.
 */
export class WebIdentityTokenRegistry {
  private readonly byToken = new Map<string, WebIdentityToken>();

  issue(options: IssueTokenOptions): WebIdentityToken {
    const now = options.now ?? new Date();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + (options.ttlSeconds ?? 600);
    const amr = options.authenticated ? ['authenticated', ...(options.loginProviders ?? [])] : ['unauthenticated'];
    const provider = 'cognito-identity.amazonaws.com';
    const header = { kid: 'us-east-1-fake', typ: 'JWS', alg: 'RS512' };
    const payload = { sub: options.subject, aud: options.audience, amr, iss: `https://${provider}`, exp, iat };
    const token = [
      base64url(JSON.stringify(header)),
      base64url(JSON.stringify(payload)),
      base64url(randomBytes(64)),
    ].join('.');
    const entry: WebIdentityToken = {
      token,
      subject: options.subject,
      audience: options.audience,
      provider,
      amr,
      issuedAt: new Date(iat * 1000),
      expiration: new Date(exp * 1000),
    };
    this.byToken.set(token, entry);
    return { ...entry, amr: [...amr] };
  }

  lookup(token: string): WebIdentityToken | undefined {
    const e = this.byToken.get(token);
    return e ? { ...e, amr: [...e.amr] } : undefined;
  }

  revoke(token: string): boolean {
    return this.byToken.delete(token);
  }

  get size(): number {
    return this.byToken.size;
  }
}

/** The token registry the Cognito and STS fakes share unless given another one. */
export const sharedWebIdentityTokens = new WebIdentityTokenRegistry();

/**
 * What the enhanced (simplified) flow's managed session policy
 * (AmazonCognitoUnAuthedIdentitiesSessionPolicy) leaves to guests, as far as
 * the fakes care: InvokeEndpoint yes; SageMaker control plane, S3, DynamoDB no.
 */
export const COGNITO_GUEST_SESSION_POLICY_ACTIONS: readonly string[] = ['sagemaker:InvokeEndpoint'];
