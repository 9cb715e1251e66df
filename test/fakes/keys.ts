/**
 * Known test credentials and the credential registry shared by the fakes.
 *
 * The SageMaker fake checks SigV4 signatures against a CredentialRegistry;
 * the Cognito fake issues fresh temporary credentials into the same registry,
 * so credentials obtained through the SDK's Cognito provider are accepted by
 * the SageMaker fake exactly like static test keys.
 */
import { randomBytes } from 'node:crypto';

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

/**
 * The registry all fakes use unless given another one.
 * Pre-loaded with `testCredentials` and `testSessionCredentials`.
 */
export const sharedCredentials = new CredentialRegistry([
  { ...testCredentials, source: 'static' },
  { ...testSessionCredentials, source: 'static-session' },
]);
