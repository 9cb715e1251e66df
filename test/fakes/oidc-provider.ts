/**
 * A real OpenID Connect provider (`oidc-provider`) set up the way a Cognito User Pool's
 * managed login behaves for a public app client: authorization code with PKCE required,
 * signed ID tokens (JWKS), refresh tokens without `offline_access`, refresh tokens not
 * rotated, revocation, and short lifetimes a test can choose. Its login page takes any user
 * name; `signIn` drives it as a browser would and returns where it sends the browser back.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Grant, KoaContextWithOIDC } from 'oidc-provider';

export interface OidcProviderOptions {
  clientId?: string;
  /** Callback URLs registered for the client (Cognito matches them exactly). */
  redirectUris: string[];
  /** Lifetimes in seconds. */
  idTokenTtl?: number;
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
}

export interface FakeOidcProvider {
  /** The issuer, e.g. http://127.0.0.1:PORT/us-east-1_TEST (a pool's issuer has its ID as the path). */
  issuer: string;
  clientId: string;
  /** How many refresh-token grants it answered (silent refreshes). */
  readonly refreshes: number;
  /** Down (false): every request's connection is dropped unanswered, as with a network that is out. */
  reachable: boolean;
  /** Signs `user` in at `authorizationUrl` and returns the URL the browser is sent back to (not fetched). */
  signIn(authorizationUrl: string, user: string, options?: { cancel?: boolean }): Promise<URL>;
  close(): Promise<void>;
}

/** A browser's cookies for one host, enough for the provider's interaction cookies. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export const startOidcProvider = async (options: OidcProviderOptions): Promise<FakeOidcProvider> => {
  const clientId = options.clientId ?? 'studio-desktop-client';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const poolPath = '/us-east-1_TESTPOOL';
  const issuer = `http://127.0.0.1:${port}${poolPath}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

  const provider: Provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [jwk] },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@example.com`, email_verified: true, name: `User ${sub}` }),
    }),
    // Cognito's ID token carries the user's claims (email, name) itself.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    pkce: { required: () => true },
    // Cognito: a refresh token for every code grant, never rotated.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => false,
    ttl: {
      IdToken: options.idTokenTtl ?? 3600,
      AccessToken: options.accessTokenTtl ?? 3600,
      RefreshToken: options.refreshTokenTtl ?? 3600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    // A first-party app: consent is given by signing in.
    loadExistingGrant: async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
      const accountId = ctx.oidc.session?.accountId;
      const client = ctx.oidc.client;
      if (!accountId || !client) return undefined;
      const grant: Grant = new provider.Grant({ clientId: client.clientId, accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  provider.proxy = false;
  let refreshes = 0;
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') refreshes++;
  });
  const callback = provider.callback();
  let reachable = true;
  server.on('request', (req, res) => {
    if (!reachable) {
      req.socket.destroy();
      return;
    }
    // The pool's issuer is a path on the host, as Cognito's is.
    if (req.url?.startsWith(poolPath)) req.url = req.url.slice(poolPath.length) || '/';
    void callback(req, res);
  });

  const signIn = async (authorizationUrl: string, user: string, how: { cancel?: boolean } = {}): Promise<URL> => {
    const jar = new CookieJar();
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 12; hop++) {
      if (url.host !== `127.0.0.1:${port}`) return url;
      const page = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.take(page);
      const location = page.headers.get('location');
      if (location) {
        url = new URL(location, url);
        continue;
      }
      const html = await page.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`OIDC provider: unexpected page at ${url.href} (${page.status})`);
      const target = new URL(action.replaceAll('&amp;', '&'), url);
      if (how.cancel) {
        // The managed login's cancel: the app is told access_denied.
        const abort = await fetch(new URL(`${target.pathname.replace(/\/login$/, '')}/abort`, target), {
          redirect: 'manual',
          headers: { cookie: jar.header() },
        });
        jar.take(abort);
        const back = abort.headers.get('location');
        if (!back) throw new Error('OIDC provider: cancelling did not redirect');
        url = new URL(back, target);
        continue;
      }
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login: user, password: 'any' } : { prompt });
      const posted = await fetch(target, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      jar.take(posted);
      const next = posted.headers.get('location');
      if (!next) throw new Error(`OIDC provider: submitting ${prompt} answered ${posted.status}`);
      url = new URL(next, target);
    }
    throw new Error('OIDC provider: too many redirects');
  };

  return {
    issuer,
    clientId,
    get refreshes() {
      return refreshes;
    },
    get reachable() {
      return reachable;
    },
    set reachable(up: boolean) {
      reachable = up;
    },
    signIn,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
