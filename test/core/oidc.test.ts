import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcClient, cognitoIssuer } from '../../src-main/core/auth/oidc';
import { startOidcProvider } from '../fakes/oidc-provider';
import type { FakeOidcProvider } from '../fakes/oidc-provider';

const redirectUri = 'http://localhost:5175/auth/callback';
let provider: FakeOidcProvider;

const errorOf = async (work: Promise<unknown>): Promise<{ code?: string; message: string; hint?: string }> => {
  try {
    await work;
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error('expected a failure');
};

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [redirectUri, 'stablestudio://auth/callback'] });
});
afterAll(() => provider.close());

const client = (overrides: Partial<{ clientId: string; redirectUri: string }> = {}): OidcClient =>
  new OidcClient({ issuer: provider.issuer, clientId: provider.clientId, redirectUri, ...overrides });

describe('sign-in with OpenID Connect (authorization code + PKCE)', () => {
  it('a pool ID names its issuer; anything else is refused with what one looks like', () => {
    expect(cognitoIssuer('eu-west-1_AbC123xyz')).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz',
    );
    expect(() => cognitoIssuer('my-pool')).toThrow(/not a user pool ID/);
  });

  it('opens the provider’s login with PKCE (S256) and state; the callback gives tokens and who signed in', async () => {
    const oidc = client();
    const { url, state } = await oidc.begin();
    const asked = new URL(url);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(asked.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(asked.searchParams.get('state')).toBe(state);
    expect(asked.searchParams.get('redirect_uri')).toBe(redirectUri);

    const back = await provider.signIn(url, 'alice');
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    const tokens = await oidc.finish(back.href);
    expect(tokens.user).toEqual({ sub: 'alice', email: 'alice@example.com', name: 'User alice' });
    expect(tokens.idToken.split('.')).toHaveLength(3);
    expect(tokens.refreshToken.length).toBeGreaterThan(10);
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());

    // The same callback again: refused, the code is never exchanged twice.
    const again = await errorOf(oidc.finish(back.href));
    expect(again.message).toMatch(/already used|not for a sign-in this app started/);
  });

  it('refuses a callback whose state is not one it started', async () => {
    const oidc = client();
    const { url } = await oidc.begin();
    const back = await provider.signIn(url, 'mallory');
    back.searchParams.set('state', 'forged');
    expect((await errorOf(oidc.finish(back.href))).code).toBe('auth.failed');
  });

  it('refreshes without a new refresh token, keeping the old one; after revocation it asks to sign in again', async () => {
    const oidc = client();
    const { url } = await oidc.begin();
    const first = await oidc.finish((await provider.signIn(url, 'bob')).href);
    const refreshed = await oidc.refresh(first.refreshToken);
    expect(refreshed.refreshToken).toBe(first.refreshToken);
    expect(refreshed.idToken.split('.')).toHaveLength(3);
    expect(refreshed.expiresAt).toBeGreaterThanOrEqual(first.expiresAt);
    expect(refreshed.user.sub).toBe('bob');

    await oidc.revoke(first.refreshToken);
    const expired = await errorOf(oidc.refresh(first.refreshToken));
    expect(expired).toMatchObject({ code: 'auth.expired', message: 'Your sign-in has expired or was revoked.' });
    expect(expired.hint).toMatch(/Sign in again/);
  });

  it('a provider that cannot be reached is unreachable (to try again later), not a refused sign-in', async () => {
    const oidc = client();
    const { url } = await oidc.begin();
    const { refreshToken } = await oidc.finish((await provider.signIn(url, 'cleo')).href);
    provider.reachable = false;
    try {
      // The discovery document is known already: the token request itself finds no provider.
      const down = await errorOf(oidc.refresh(refreshToken));
      expect(down).toMatchObject({ code: 'auth.unreachable', hint: 'Check the network.' });
      expect(down.message).toMatch(/^Cannot reach 127\.0\.0\.1:\d+: /);
      // A new client must read the discovery document first.
      expect(await errorOf(client().refresh(refreshToken))).toMatchObject({ code: 'auth.unreachable' });
      expect(await errorOf(oidc.revoke(refreshToken))).toMatchObject({ code: 'auth.unreachable' });
    } finally {
      provider.reachable = true;
    }
    expect((await oidc.refresh(refreshToken)).user.sub).toBe('cleo');
  });

  it('knows when the ID token expires from the token itself, even when the access token lives longer', async () => {
    const brief = await startOidcProvider({ redirectUris: [redirectUri], idTokenTtl: 60, accessTokenTtl: 3600 });
    try {
      const oidc = new OidcClient({ issuer: brief.issuer, clientId: brief.clientId, redirectUri });
      const { url } = await oidc.begin();
      const signedInBy = Date.now();
      const tokens = await oidc.finish((await brief.signIn(url, 'carol')).href);
      // The ID token's `exp` is in whole seconds: within a minute of the sign-in, not the access token's hour.
      expect(tokens.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
      expect(tokens.expiresAt).toBeGreaterThan(signedInBy + 50_000);
    } finally {
      await brief.close();
    }
  });

  it('says when the user cancelled at the login page', async () => {
    const oidc = client();
    const { url } = await oidc.begin();
    const back = await provider.signIn(url, 'carol', { cancel: true });
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(await errorOf(oidc.finish(back.href))).toMatchObject({
      code: 'auth.cancelled',
      message: 'Sign-in was cancelled.',
    });
  });

  it('says what is wrong with the set-up: an issuer that is not a provider, an unknown client', async () => {
    const wrong = new OidcClient({ issuer: `${provider.issuer}-nope`, clientId: provider.clientId, redirectUri });
    expect((await errorOf(wrong.begin())).code).toBe('auth.config');

    const stranger = client({ clientId: 'not-registered' });
    const { url } = await stranger.begin();
    const page = await fetch(url, { redirect: 'manual' });
    // The provider refuses an unknown client on its own page; the app never gets a callback.
    expect(page.status).toBeGreaterThanOrEqual(400);
  });
});
