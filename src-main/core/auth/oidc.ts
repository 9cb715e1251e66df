import * as oauth from 'oauth4webapi';
import { StudioError } from '../errors';

/** A Cognito User Pool's issuer: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
export const cognitoIssuer = (userPoolId: string): string => {
  const region = userPoolId.split('_')[0] ?? '';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region) || !/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
    throw new StudioError(
      'auth.config',
      `"${userPoolId}" is not a user pool ID.`,
      'A user pool ID looks like us-east-1_AbCdEf123 (Cognito console → User pools).',
    );
  }
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
};

export interface OidcClientOptions {
  /** The issuer (a pool's, or an override for tests and private set-ups). */
  issuer: string;
  clientId: string;
  /** The callback URL this sign-in returns to (registered exactly in the app client). */
  redirectUri: string;
  scope?: string;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** When the ID token expires (ms since the epoch): its own `exp`, which a pool may set shorter than the access token's. */
  expiresAt: number;
  /** Who signed in, from the ID token. */
  user: { sub: string; name?: string; email?: string };
}

/** A sign-in under way: what the callback must match. */
interface Pending {
  verifier: string;
  redirectUri: string;
}

const why = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How long one request to the provider may take before it counts as unreachable. */
export const providerTimeoutMs = 15_000;

/**
 * The provider could not be reached: no connection (fetch's `TypeError`), a timeout, or an
 * answer a server in trouble gives (5xx without an OAuth error body). Not a refusal: whatever
 * was asked may work later.
 */
const unreachable = (error: unknown): boolean => {
  if (error instanceof TypeError && !('code' in error)) return true;
  if (error instanceof DOMException) return error.name === 'TimeoutError' || error.name === 'AbortError';
  return (
    error instanceof oauth.OperationProcessingError && error.cause instanceof Response && error.cause.status >= 500
  );
};

/** What an authorization server's refusal means for the user, and what to do. */
const refusal = (error: unknown, host = ''): StudioError => {
  if (unreachable(error)) {
    const cause =
      error instanceof oauth.OperationProcessingError && error.cause instanceof Response
        ? `it answered HTTP ${error.cause.status}`
        : why(error);
    return new StudioError(
      'auth.unreachable',
      `Cannot reach ${host || 'the sign-in provider'}: ${cause}.`,
      'Check the network.',
    );
  }
  const code =
    error instanceof oauth.ResponseBodyError || error instanceof oauth.AuthorizationResponseError ? error.error : '';
  const description =
    error instanceof oauth.ResponseBodyError || error instanceof oauth.AuthorizationResponseError
      ? (error.error_description ?? '')
      : why(error);
  switch (code) {
    case 'access_denied':
      return new StudioError('auth.cancelled', 'Sign-in was cancelled.', 'Press Sign in to try again.');
    case 'invalid_client':
    case 'unauthorized_client':
      return new StudioError(
        'auth.config',
        `The user pool does not accept this app client (${description || code}).`,
        'Check the app client ID, and that the client is a public client with the authorization code grant.',
      );
    case 'invalid_scope':
      return new StudioError(
        'auth.config',
        `The app client is not allowed the scopes asked for (${description}).`,
        'Allow openid, email and profile for the app client (Cognito: App client → Login pages).',
      );
    case 'invalid_grant':
      return new StudioError(
        'auth.expired',
        'Your sign-in has expired or was revoked.',
        'Sign in again: nothing is lost, uploads wait until you do.',
      );
    case 'redirect_mismatch':
    case 'invalid_redirect_uri':
      return new StudioError(
        'auth.config',
        'The user pool does not know this app’s callback URL.',
        'Add it to the app client’s allowed callback URLs (the README lists them).',
      );
    default:
      return new StudioError('auth.failed', `Sign-in failed: ${description || code || 'unknown error'}.`);
  }
};

/**
 * OAuth 2.0 authorization code with PKCE and state (RFC 8252: the system browser, never a
 * web view) against a Cognito User Pool's managed login, or any OpenID provider. Endpoints come
 * from the issuer's discovery document. Each code is exchanged once; refreshing keeps the old
 * refresh token when none comes back (Cognito does not rotate them by default).
 */
export class OidcClient {
  private server: Promise<oauth.AuthorizationServer> | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly client: oauth.Client;
  private readonly http: { [oauth.allowInsecureRequests]?: boolean; signal: () => AbortSignal };

  constructor(private readonly o: OidcClientOptions) {
    this.client = { client_id: o.clientId };
    // Plain HTTP only for a loopback issuer (tests, local providers).
    const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(`${o.issuer}/`);
    const signal = (): AbortSignal => AbortSignal.timeout(providerTimeoutMs);
    this.http = loopback ? { [oauth.allowInsecureRequests]: true, signal } : { signal };
  }

  private get host(): string {
    return new URL(this.o.issuer).host;
  }

  /** The issuer's discovery document (`/.well-known/openid-configuration`), read once. */
  discover(): Promise<oauth.AuthorizationServer> {
    this.server ??= (async () => {
      const issuer = new URL(this.o.issuer);
      let response: Response;
      try {
        response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...this.http });
      } catch (error) {
        throw new StudioError('auth.unreachable', `Cannot reach ${issuer.host}: ${why(error)}.`, 'Check the network.');
      }
      try {
        return await oauth.processDiscoveryResponse(issuer, response);
      } catch (error) {
        throw new StudioError(
          'auth.config',
          `${this.o.issuer} is not an OpenID provider (${why(error)}).`,
          'Check the user pool ID and its region (or the issuer override in Advanced).',
        );
      }
    })();
    this.server.catch(() => (this.server = undefined));
    return this.server;
  }

  /** Starts a sign-in: the URL to open in the system browser; its state is remembered for the callback. */
  async begin(): Promise<{ url: string; state: string }> {
    const as = await this.discover();
    if (!as.authorization_endpoint) throw new StudioError('auth.config', 'The provider has no authorization endpoint.');
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.o.clientId,
      redirect_uri: this.o.redirectUri,
      response_type: 'code',
      scope: this.o.scope ?? 'openid email profile',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    }).toString();
    this.pending.set(state, { verifier, redirectUri: this.o.redirectUri });
    return { url: url.href, state };
  }

  /** Finishes a sign-in from the callback URL the browser came back to. A callback works once. */
  async finish(callbackUrl: string): Promise<Tokens> {
    const as = await this.discover();
    const url = new URL(callbackUrl);
    const state = url.searchParams.get('state') ?? '';
    const pending = this.pending.get(state);
    if (!pending) {
      throw new StudioError(
        'auth.failed',
        'This sign-in answer is not for a sign-in this app started (or it was already used).',
        'Press Sign in again.',
      );
    }
    this.pending.delete(state);
    let response: Response;
    try {
      const params = oauth.validateAuthResponse(as, this.client, url, state);
      response = await oauth.authorizationCodeGrantRequest(
        as,
        this.client,
        oauth.None(),
        params,
        pending.redirectUri,
        pending.verifier,
        this.http,
      );
      return this.tokens(
        await oauth.processAuthorizationCodeResponse(as, this.client, response, { requireIdToken: true }),
      );
    } catch (error) {
      throw error instanceof StudioError ? error : refusal(error, this.host);
    }
  }

  /** New ID and access tokens; the refresh token stays the same when the provider does not rotate it. */
  async refresh(refreshToken: string): Promise<Tokens> {
    const as = await this.discover();
    try {
      const response = await oauth.refreshTokenGrantRequest(as, this.client, oauth.None(), refreshToken, this.http);
      const result = await oauth.processRefreshTokenResponse(as, this.client, response);
      return this.tokens(result, refreshToken);
    } catch (error) {
      throw error instanceof StudioError ? error : refusal(error, this.host);
    }
  }

  /** Revokes the refresh token (Sign out). */
  async revoke(refreshToken: string): Promise<void> {
    const as = await this.discover();
    try {
      const response = await oauth.revocationRequest(as, this.client, oauth.None(), refreshToken, this.http);
      await oauth.processRevocationResponse(response);
    } catch (error) {
      throw refusal(error, this.host);
    }
  }

  private tokens(result: oauth.TokenEndpointResponse, previousRefresh?: string): Tokens {
    const claims = oauth.getValidatedIdTokenClaims(result);
    const refreshToken = result.refresh_token ?? previousRefresh;
    if (!claims || !result.id_token || !refreshToken) {
      throw new StudioError('auth.failed', 'The provider answered without an ID token or refresh token.');
    }
    const user: Tokens['user'] = { sub: claims.sub };
    if (typeof claims.name === 'string') user.name = claims.name;
    if (typeof claims.email === 'string') user.email = claims.email;
    return {
      idToken: result.id_token,
      accessToken: result.access_token,
      refreshToken,
      expiresAt: claims.exp * 1000,
      user,
    };
  }
}
