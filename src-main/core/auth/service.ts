import type { ConnectionCheck } from '../../../src-shared/aws';
import type { SignInStart, SignInState } from '../../../src-shared/auth';
import type { AppError } from '../../../src-shared/errors';
import { userPoolDomainHost } from '../../../src-shared/settings';
import type { Settings } from '../../../src-shared/settings';
import { isStudioError, StudioError } from '../errors';
import type { EventBus } from '../events';
import type { AreaHandlers } from '../handlers';
import { log } from '../log';
import { cognitoIssuer, OidcClient } from './oidc';
import { probeAuthorization } from './probe';
import { SignInSession } from './session';
import type { SecretStore, SignedInUser } from './session';

export interface AuthOptions {
  /** The callback URL sign-ins return to: web mode's own route, the desktop app's scheme or loopback. */
  redirectUri: (s: Settings) => string;
  /** Where a sign-in is kept: remembered (a file, the system's keychain) or only in memory. */
  secretStore: (remember: boolean) => Promise<SecretStore>;
  /** Desktop: opens the system browser. Absent (web mode): the page opens the URL. */
  openBrowser?: (url: string) => Promise<void>;
  /** Desktop: made ready before a sign-in starts (the loopback listener, when the callback uses it). */
  beforeSignIn?: (redirectUri: string) => Promise<void>;
  /**
   * Schedules another check of a sign-in that could not be checked (the provider unreachable),
   * the `attempt`th one; answers a cancel. Default: a timer backing off from 5 s to 5 minutes.
   */
  retryLater?: (run: () => void, attempt: number) => () => void;
}

/** Waits 5 s, 10 s, 20 s … up to 5 minutes between checks; never keeps the process alive. */
export const retryWithBackoff = (run: () => void, attempt: number): (() => void) => {
  const timer = setTimeout(run, Math.min(5_000 * 2 ** attempt, 300_000));
  timer.unref();
  return () => clearTimeout(timer);
};

/** What the AWS side needs from a sign-in: who is signed in, and a valid ID token for the Identity Pool's `Logins`. */
export interface SignInLink {
  user(): SignedInUser | undefined;
  /**
   * Who is signed in, for a call that needs AWS: undefined when signed out; throws why when the
   * sign-in was lost rather than left (expired or revoked), whichever call met that first.
   */
  signedInUser(): Promise<SignedInUser | undefined>;
  idToken(): Promise<string>;
}

/** The issuer of the settings' user pool, or its override (tests, private set-ups). */
export const issuerOf = (s: Settings): string => s.endpointOverrides.userPoolIssuer || cognitoIssuer(s.userPoolId);

/** The Identity Pool's login name for the settings' user pool: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
export const loginProviderOf = (s: Settings): string => cognitoIssuer(s.userPoolId).replace(/^https:\/\//, '');

const appError = (error: unknown): AppError =>
  isStudioError(error)
    ? error.toAppError()
    : { code: 'auth.failed', message: `Sign-in failed: ${error instanceof Error ? error.message : String(error)}` };

/**
 * Sign in with Cognito: one session for the settings' user pool and app client, restored at start
 * from where it was remembered, begun from Settings, finished by the callback (web mode's route,
 * the desktop app's scheme or loopback), signed out from the top bar. Tells every change as a
 * `signIn.changed` event; the AWS clients take their ID token from here.
 */
export class AuthService implements SignInLink {
  private session: SignInSession | undefined;
  private making: Promise<SignInSession> | undefined;
  private sessionKey = '';
  private pending = false;
  private error: AppError | undefined;
  private restoring: Promise<void> = Promise.resolve();
  /** The remembered sign-in could not be checked (the provider could not be reached): kept, and tried again. */
  private unchecked = false;
  private retrying: Promise<void> | undefined;
  private retryAttempt = 0;
  private cancelRetry: (() => void) | undefined;
  /** Settings changes and sign-outs run one after another: each moves or forgets what the last one left. */
  private work: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: () => Settings,
    private readonly events: EventBus,
    private readonly options: AuthOptions,
    /** Called when the signed-in user changes (credentials and caches belong to the user). */
    private readonly onUserChange: () => void,
  ) {}

  /** Which pool, client and callback a session is for; another credentials mode leaves the sign-in as it is. */
  private keyOf(s: Settings): string {
    return s.credentialsMode === 'signIn'
      ? `${issuerOf(s)}|${s.userPoolClientId}|${this.options.redirectUri(s)}`
      : this.sessionKey;
  }

  /** The session for the current settings (made when first needed, once for concurrent callers). */
  private current(): Promise<SignInSession> {
    const s = this.settings();
    if (s.credentialsMode !== 'signIn') {
      return Promise.reject(
        new StudioError('auth.config', 'Sign-in is off.', 'Choose Sign in with Cognito in Settings → Credentials.'),
      );
    }
    const key = this.keyOf(s);
    if (!this.making || this.sessionKey !== key) {
      this.sessionKey = key;
      this.session = undefined;
      const oidc = new OidcClient({
        issuer: issuerOf(s),
        clientId: s.userPoolClientId,
        redirectUri: this.options.redirectUri(s),
      });
      const making = this.options.secretStore(s.rememberSignIn).then((store) => {
        const session = new SignInSession(oidc, store);
        if (this.making === making) this.session = session;
        return session;
      });
      this.making = making;
      making.catch(() => {
        if (this.making === making) this.making = undefined;
      });
    }
    return this.making;
  }

  /**
   * At start: signs in again with the remembered refresh token, if there is one. When the provider
   * cannot be reached the token is kept and the state says the sign-in could not be checked; the
   * next call that needs AWS tries again (`signedInUser`), and so does a timer (`retryLater`).
   */
  start(): Promise<void> {
    if (this.settings().credentialsMode !== 'signIn') return Promise.resolve();
    this.restoring = (async () => {
      try {
        const user = await (await this.current()).restore();
        this.retrying = undefined;
        const wasUnchecked = this.unchecked;
        this.checked();
        if (user) this.error = undefined;
        if (user || wasUnchecked) this.changed();
      } catch (error) {
        this.retrying = undefined;
        const e = appError(error);
        log.warn(`Sign-in could not be restored (${e.code}): ${e.message}`);
        if (e.code === 'auth.unreachable') {
          this.unchecked = true;
          this.scheduleRetry();
        } else this.checked();
        this.error = this.unchecked
          ? {
              code: 'auth.unreachable',
              message: 'Your sign-in could not be checked: the sign-in provider cannot be reached.',
              hint: 'Check the network. You stay signed in: the next Dream or Test connection checks again.',
            }
          : e;
        this.changed();
      }
    })();
    return this.restoring;
  }

  /** Checks a sign-in not checked yet again, once for concurrent callers (the next call that needs AWS, the timer). */
  private retry(): Promise<void> {
    if (this.settings().credentialsMode !== 'signIn') return Promise.resolve();
    // Cleared by `start` itself before it tells the outcome, so a check asked for then is made.
    this.retrying ??= this.start();
    return this.retrying;
  }

  private scheduleRetry(): void {
    this.cancelRetry?.();
    const cancel = (this.options.retryLater ?? retryWithBackoff)(() => {
      if (this.cancelRetry !== cancel) return;
      this.cancelRetry = undefined;
      if (this.unchecked) void this.retry();
    }, this.retryAttempt++);
    this.cancelRetry = cancel;
  }

  /** Checked (or no longer to be checked): no retry is waiting. */
  private checked(): void {
    this.unchecked = false;
    this.retryAttempt = 0;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
  }

  /** The core closes: no timer is left waiting. */
  close(): void {
    this.cancelRetry?.();
    this.cancelRetry = undefined;
  }

  /** Settings changed: another pool or client signs out (revoking, best effort); Remember me moves the sign-in. */
  settingsChanged(next: Settings, previous: Settings): Promise<void> {
    return this.serially(() => this.applySettings(next, previous));
  }

  private serially<T>(run: () => Promise<T>): Promise<T> {
    const next = this.work.then(run, run);
    this.work = next.catch(() => undefined);
    return next;
  }

  private async applySettings(next: Settings, previous: Settings): Promise<void> {
    const key = this.keyOf(next);
    if (this.session && key !== this.sessionKey) {
      const old = this.session;
      const hadUser = old.user() !== undefined;
      this.session = undefined;
      this.making = undefined;
      this.pending = false;
      this.error = undefined;
      this.checked();
      // Revoked at the old provider (best effort: a failure is logged), then forgotten here.
      await old.signOut().catch((error: unknown) => log.warn('Forgetting the sign-in failed', error));
      if (hadUser) this.onUserChange();
      this.changed();
      if (next.credentialsMode === 'signIn') await this.start();
      return;
    }
    if (this.session && next.rememberSignIn !== previous.rememberSignIn) {
      await this.session.rememberIn(await this.options.secretStore(next.rememberSignIn));
      this.changed();
    }
    if (next.credentialsMode !== previous.credentialsMode) {
      if (!this.session && next.credentialsMode === 'signIn') await this.start();
      else this.changed();
    }
  }

  user(): SignedInUser | undefined {
    return this.settings().credentialsMode === 'signIn' && this.sessionKey === this.keyOf(this.settings())
      ? this.session?.user()
      : undefined;
  }

  async signedInUser(): Promise<SignedInUser | undefined> {
    await this.restoring;
    if (this.unchecked) {
      // Not checked at start (the provider was unreachable): once more, shared by concurrent calls.
      await this.retry();
    }
    const user = this.user();
    if (user) return user;
    const lost = this.lost();
    if (lost) throw lost;
    return undefined;
  }

  /**
   * Why there is no sign-in, when it was lost (expired or revoked) rather than signed out of or
   * never made, or could not be checked (the provider unreachable).
   */
  private lost(): StudioError | undefined {
    const e = this.error;
    const why = e?.code === 'auth.expired' || (e?.code === 'auth.unreachable' && this.unchecked);
    return e && why && this.settings().credentialsMode === 'signIn'
      ? new StudioError(e.code, e.message, e.hint)
      : undefined;
  }

  async idToken(): Promise<string> {
    await this.restoring;
    const session = await this.current();
    try {
      return await session.idToken();
    } catch (error) {
      if (!isStudioError(error) || error.code !== 'auth.expired') throw error;
      // The refresh token expired or was revoked: signed out, and asked to sign in again.
      if (session.user()) {
        await session.forget();
        this.error = error.toAppError();
        this.onUserChange();
        this.changed();
        throw error;
      }
      // Another call met the revocation first: the same words for this one.
      throw this.lost() ?? error;
    }
  }

  async state(): Promise<SignInState> {
    // What the last settings change moved or forgot is part of the answer.
    await this.work;
    await this.restoring;
    return this.snapshot();
  }

  private snapshot(): SignInState {
    const s = this.settings();
    if (s.credentialsMode !== 'signIn') return { status: 'off', rememberedIn: 'memory' };
    const user = this.user();
    const state: SignInState = {
      status: user ? 'signedIn' : this.pending ? 'pending' : this.unchecked ? 'unreachable' : 'signedOut',
      rememberedIn: this.session?.rememberedIn ?? (s.rememberSignIn ? 'file' : 'memory'),
      callbackUrl: this.options.redirectUri(s),
    };
    if (user) state.user = user;
    if (this.error && !user) state.error = this.error;
    return state;
  }

  private changed(): void {
    this.events.emit({ type: 'signIn.changed', state: this.snapshot() });
  }

  /** Starts a sign-in: the desktop app opens the system browser; web mode's page opens the URL answered. */
  async begin(): Promise<SignInStart> {
    const s = this.settings();
    const session = await this.current();
    await this.options.beforeSignIn?.(this.options.redirectUri(s));
    const { url } = await session.begin();
    this.pending = true;
    this.error = undefined;
    this.changed();
    if (this.options.openBrowser) {
      await this.options.openBrowser(url);
      return { url, opened: true };
    }
    return { url, opened: false };
  }

  /** The callback: completes the sign-in the browser came back from (each answer works once). */
  async finish(callbackUrl: string): Promise<SignedInUser> {
    const session = await this.current();
    try {
      const user = await session.finish(callbackUrl);
      this.pending = false;
      this.error = undefined;
      this.checked();
      this.onUserChange();
      this.changed();
      return user;
    } catch (error) {
      this.pending = false;
      this.error = appError(error);
      this.changed();
      throw error;
    }
  }

  signOut(): Promise<SignInState> {
    return this.serially(() => this.leave());
  }

  private async leave(): Promise<SignInState> {
    const session = this.session;
    this.pending = false;
    this.error = undefined;
    this.checked();
    if (session) {
      await session.signOut();
      this.onUserChange();
    }
    this.changed();
    return this.snapshot();
  }

  /**
   * Test connection's sign-in checks: the pool's discovery document (reachable, an OpenID provider,
   * with a managed login domain, the domain in Settings), and whether its sign-in page takes this
   * app client and callback URL.
   */
  async check(s: Settings): Promise<ConnectionCheck[]> {
    const label = `User pool ${s.userPoolId}`;
    const redirectUri = this.options.redirectUri(s);
    const failed = (error: unknown, target = 'signIn'): ConnectionCheck => {
      const e = appError(error);
      return { target, label, ok: false, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
    };
    let authorizationEndpoint: string;
    try {
      const oidc = new OidcClient({ issuer: issuerOf(s), clientId: s.userPoolClientId, redirectUri });
      const as = await oidc.discover();
      if (!as.authorization_endpoint || !as.token_endpoint) {
        return [
          {
            target: 'signIn',
            label,
            ok: false,
            code: 'auth.config',
            message: 'The user pool has no managed login: its discovery document names no sign-in page.',
            hint: 'Give the pool a domain (Cognito console → the pool → Branding → Domain).',
          },
        ];
      }
      authorizationEndpoint = as.authorization_endpoint;
    } catch (error) {
      return [failed(error)];
    }
    const domain = userPoolDomainHost(s.userPoolDomain);
    const host = new URL(authorizationEndpoint).host;
    if (domain !== '' && domain.toLowerCase() !== host.toLowerCase()) {
      return [
        {
          target: 'signIn',
          label,
          ok: false,
          code: 'auth.config',
          message: `The pool's sign-in page is on ${host}, not on ${domain}.`,
          hint: 'Copy the domain from the pool (Branding → Domain), or check the user pool ID.',
        },
      ];
    }
    const discovery: ConnectionCheck = {
      target: 'signIn',
      label,
      ok: true,
      message: `Discovery document read; sign-in page on ${host}.`,
    };
    const probe = await probeAuthorization(authorizationEndpoint, s.userPoolClientId, redirectUri);
    return [
      discovery,
      probe.ok ? { ...probe, label: `App client ${s.userPoolClientId}` } : failed(probe.error, 'signInClient'),
    ];
  }

  readonly handlers: AreaHandlers<'getSignInState' | 'signIn' | 'signOut'> = {
    getSignInState: () => this.state(),
    signIn: () => this.begin(),
    signOut: () => this.signOut(),
  };
}
