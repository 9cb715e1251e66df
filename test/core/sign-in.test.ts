import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcClient } from '../../src-main/core/auth/oidc';
import type { Tokens } from '../../src-main/core/auth/oidc';
import { FileSecretStore, MemorySecretStore, SignInSession, refreshMarginMs } from '../../src-main/core/auth/session';
import { startFakeCognito } from '../fakes/cognito-identity';
import type { FakeCognito } from '../fakes/cognito-identity';
import { startOidcProvider } from '../fakes/oidc-provider';
import type { FakeOidcProvider } from '../fakes/oidc-provider';
import { freshCache } from '../fakes/sdk-helpers';

const redirectUri = 'http://localhost:5175/auth/callback';
const identityPoolId = 'us-east-1:12345678-0000-4000-8000-00000000aaaa';
const providerName = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TESTPOOL';
let provider: FakeOidcProvider;
let cognito: FakeCognito;

/** The real client, counting the refreshes it makes. */
class CountingClient extends OidcClient {
  refreshes = 0;
  override refresh(refreshToken: string): Promise<Tokens> {
    this.refreshes++;
    return super.refresh(refreshToken);
  }
}

const newClient = (): CountingClient =>
  new CountingClient({ issuer: provider.issuer, clientId: provider.clientId, redirectUri });

const signIn = async (session: SignInSession, user: string): Promise<void> => {
  const { url } = await session.begin();
  await session.finish((await provider.signIn(url, user)).href);
};

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [redirectUri] });
  cognito = await startFakeCognito({
    identityPools: [
      {
        id: identityPoolId,
        allowUnauthenticated: false,
        openIdProviders: [{ name: providerName, issuer: provider.issuer, audience: provider.clientId }],
      },
    ],
  });
});
afterAll(async () => {
  await Promise.all([provider.close(), cognito.close()]);
});

describe('a signed-in session', () => {
  it('remembers the refresh token in a 0600 file and is signed in again after a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'studio-auth-')), 'sign-in.token');
    const first = new SignInSession(newClient(), new FileSecretStore(file));
    await signIn(first, 'dana');
    expect(first.user()?.email).toBe('dana@example.com');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const restarted = new SignInSession(newClient(), new FileSecretStore(file));
    expect(await restarted.restore()).toMatchObject({ sub: 'dana' });
    expect(await restarted.idToken()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refreshes the ID token before it expires, once for everyone asking at that moment', async () => {
    let offset = 0;
    const client = newClient();
    const session = new SignInSession(client, new MemorySecretStore(), () => Date.now() + offset);
    await signIn(session, 'erin');
    await session.idToken();
    expect(client.refreshes).toBe(0);

    // An hour later the token is about to lapse: three calls, one refresh.
    offset = 3_600_000 - refreshMarginMs / 2;
    const tokens = await Promise.all([session.idToken(), session.idToken(), session.idToken()]);
    expect(client.refreshes).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it('signing out revokes the refresh token and forgets it; a revoked token at start asks to sign in again', async () => {
    const store = new MemorySecretStore();
    const session = new SignInSession(newClient(), store);
    await signIn(session, 'frank');
    const remembered = await store.load();
    await session.signOut();
    expect(session.user()).toBeUndefined();
    expect(await store.load()).toBeUndefined();
    await expect(session.idToken()).rejects.toMatchObject({ code: 'auth.expired' });

    // The revoked token, found again (e.g. a copy of the file), is refused and forgotten.
    await store.save(remembered ?? '');
    const again = new SignInSession(newClient(), store);
    await expect(again.restore()).rejects.toMatchObject({ code: 'auth.expired' });
    expect(await store.load()).toBeUndefined();
  });

  it('a remembered sign-in that cannot be checked (provider unreachable) is kept, moves with Remember me, and restores later', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'studio-auth-')), 'sign-in.token');
    await signIn(new SignInSession(newClient(), new FileSecretStore(file)), 'hugo');
    const restarted = new SignInSession(newClient(), new FileSecretStore(file));
    provider.reachable = false;
    try {
      await expect(restarted.restore()).rejects.toMatchObject({ code: 'auth.unreachable' });
    } finally {
      provider.reachable = true;
    }
    expect(restarted.user()).toBeUndefined();
    // Remember me turned off before it was checked: the token moves to memory, the file forgets it.
    const memory = new MemorySecretStore();
    await restarted.rememberIn(memory);
    expect(() => statSync(file)).toThrow();
    expect(await restarted.restore()).toMatchObject({ sub: 'hugo' });
    expect(await memory.load()).toBeTruthy();
  });

  it('gets authenticated AWS credentials from the Identity Pool with the ID token as its login, one identity per user', async () => {
    let offset = 0;
    const session = new SignInSession(newClient(), new MemorySecretStore(), () => Date.now() + offset);
    await signIn(session, 'gina');
    const credentials = () =>
      fromCognitoIdentityPool({
        identityPoolId,
        logins: { [providerName]: () => session.idToken() },
        cache: freshCache(),
        clientConfig: { region: 'us-east-1', endpoint: cognito.url, maxAttempts: 1 },
      })();
    const first = await credentials();
    expect(first.accessKeyId).toBeTruthy();
    const identity = cognito.issued.at(-1)?.identityId;
    expect(cognito.identities.get(identity ?? '')?.authenticated).toBe(true);

    // After a refresh (a new ID token) the same user is the same identity.
    offset = 3_600_000;
    await credentials();
    expect(cognito.issued.at(-1)?.identityId).toBe(identity);
  });
});
