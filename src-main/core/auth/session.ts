import { readFile, rm } from 'node:fs/promises';
import { StudioError } from '../errors';
import { writeFileAtomic } from '../fs-atomic';
import { log } from '../log';
import type { OidcClient, Tokens } from './oidc';

/**
 * Where the refresh token is remembered between runs. `os`: encrypted by the system's keychain
 * (Electron's safeStorage); `weak-os`: safeStorage's fallback with a hard-coded key (Linux without
 * a keyring), which the user is told about; `file`: a 0600 file (web mode, when asked);
 * `memory`: not remembered (signed out at quit).
 */
export interface SecretStore {
  readonly kind: 'os' | 'weak-os' | 'file' | 'memory';
  load(): Promise<string | undefined>;
  save(secret: string): Promise<void>;
  clear(): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  private secret: string | undefined;
  load(): Promise<string | undefined> {
    return Promise.resolve(this.secret);
  }
  save(secret: string): Promise<void> {
    this.secret = secret;
    return Promise.resolve();
  }
  clear(): Promise<void> {
    this.secret = undefined;
    return Promise.resolve();
  }
}

/** A file only its owner can read (0600, written atomically). */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  constructor(private readonly path: string) {}
  async load(): Promise<string | undefined> {
    try {
      const text = (await readFile(this.path, 'utf8')).trim();
      return text === '' ? undefined : text;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
  save(secret: string): Promise<void> {
    return writeFileAtomic(this.path, secret);
  }
  clear(): Promise<void> {
    return rm(this.path, { force: true });
  }
}

export type SignedInUser = Tokens['user'];

/** Refresh this long before the ID token expires, so no call goes out with one about to lapse. */
export const refreshMarginMs = 5 * 60_000;

/**
 * A signed-in user's tokens, in the main process only: the ID token for the Identity Pool's
 * `Logins`, refreshed before it expires (concurrent callers share one refresh, so a running
 * generation keeps working across it), the refresh token remembered in `store`.
 */
export class SignInSession {
  private tokens: Tokens | undefined;
  private refreshing: Promise<Tokens> | undefined;

  constructor(
    private readonly oidc: OidcClient,
    private store: SecretStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The URL to open in the system browser. */
  begin(): Promise<{ url: string; state: string }> {
    return this.oidc.begin();
  }

  /** Completes a sign-in from its callback URL; remembers the refresh token. */
  async finish(callbackUrl: string): Promise<SignedInUser> {
    const tokens = await this.oidc.finish(callbackUrl);
    await this.keep(tokens);
    return tokens.user;
  }

  /**
   * Signs in again with a remembered refresh token (at start); undefined when there is none.
   * Refused (`auth.expired`): forgotten. Not checked (`auth.unreachable`, the provider cannot be
   * reached): kept, to be tried again.
   */
  async restore(): Promise<SignedInUser | undefined> {
    const refreshToken = await this.store.load();
    if (!refreshToken) return undefined;
    try {
      return (await this.refresh(refreshToken)).user;
    } catch (error) {
      // Expired or revoked: forgotten, and the user is asked to sign in again.
      if (error instanceof StudioError && error.code === 'auth.expired') await this.store.clear();
      throw error;
    }
  }

  /** Where the refresh token is remembered. */
  get rememberedIn(): SecretStore['kind'] {
    return this.store.kind;
  }

  /** Remembers the sign-in somewhere else from now on (Remember me turned on or off); the old place forgets it. */
  async rememberIn(store: SecretStore): Promise<void> {
    // A sign-in not checked yet (the provider was unreachable) is moved too.
    const refreshToken = this.tokens?.refreshToken ?? (await this.store.load());
    if (refreshToken) await store.save(refreshToken);
    const previous = this.store;
    this.store = store;
    await previous.clear();
  }

  /** Forgets the sign-in without revoking it (its refresh token was refused: it is of no use to anyone). */
  async forget(): Promise<void> {
    this.tokens = undefined;
    await this.store.clear();
  }

  user(): SignedInUser | undefined {
    return this.tokens?.user;
  }

  /** A valid ID token, refreshed first when it expires within `refreshMarginMs`. */
  async idToken(): Promise<string> {
    const current = this.tokens;
    if (!current) {
      throw new StudioError('auth.expired', 'You are not signed in.', 'Sign in (Settings → Credentials).');
    }
    if (current.expiresAt - this.now() > refreshMarginMs) return current.idToken;
    return (await this.refresh(current.refreshToken)).idToken;
  }

  /**
   * Signs out (Sign out, or the settings moved to another pool or app client): forgets every
   * token, then revokes the refresh token at its provider, best effort: a provider that cannot be
   * reached or refuses is logged, and the sign-in is forgotten all the same.
   */
  async signOut(): Promise<void> {
    const refreshToken = this.tokens?.refreshToken ?? (await this.store.load());
    this.tokens = undefined;
    this.refreshing = undefined;
    await this.store.clear();
    if (refreshToken) {
      await this.oidc
        .revoke(refreshToken)
        .catch((error: unknown) => log.warn('The refresh token could not be revoked (it is forgotten here)', error));
    }
  }

  private refresh(refreshToken: string): Promise<Tokens> {
    this.refreshing ??= this.oidc
      .refresh(refreshToken)
      .then(async (tokens) => {
        await this.keep(tokens);
        return tokens;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async keep(tokens: Tokens): Promise<void> {
    this.tokens = tokens;
    await this.store.save(tokens.refreshToken);
  }
}
