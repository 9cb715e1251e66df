import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  callbackUrlIn,
  isSignInPageAllowed,
  LoopbackCallback,
  loopbackCallbackUrl,
} from '../../src-main/core/auth/callback';
import { OidcClient } from '../../src-main/core/auth/oidc';
import { MemorySecretStore, SignInSession } from '../../src-main/core/auth/session';
import { startOidcProvider } from '../fakes/oidc-provider';
import type { FakeOidcProvider } from '../fakes/oidc-provider';

/** A port nothing listens on now (the system's choice, released). */
const freePort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
};

let port: number;
let provider: FakeOidcProvider;
beforeAll(async () => {
  port = await freePort();
  provider = await startOidcProvider({ clientId: 'loopback_client', redirectUris: [loopbackCallbackUrl(port)] });
});
afterAll(() => provider.close());

describe('the desktop app’s sign-in callback', () => {
  it('finds the scheme’s callback among a second launch’s arguments, and nothing else', () => {
    const url = 'stablestudio://auth/callback?code=abc&state=xyz';
    expect(callbackUrlIn(['/opt/studio/stablestudio-desktop', '--flag', url])).toBe(url);
    expect(callbackUrlIn(['/opt/studio/stablestudio-desktop', 'picture.png'])).toBeUndefined();
    expect(callbackUrlIn(['stablestudio://other?code=abc'])).toBeUndefined();
  });

  it('opens the browser only on an https sign-in page or a loopback one', () => {
    expect(isSignInPageAllowed('https://my-studio.auth.us-east-1.amazoncognito.com/oauth2/authorize?x=1')).toBe(true);
    expect(isSignInPageAllowed('http://127.0.0.1:9000/us-east-1_X/auth')).toBe(true);
    expect(isSignInPageAllowed('http://example.com/oauth2/authorize')).toBe(false);
    expect(isSignInPageAllowed('file:///etc/passwd')).toBe(false);
    expect(isSignInPageAllowed('not a url')).toBe(false);
  });

  it('the loopback fallback finishes a sign-in once, then stops listening; a port in use says so', async () => {
    const session = new SignInSession(
      new OidcClient({ issuer: provider.issuer, clientId: 'loopback_client', redirectUri: loopbackCallbackUrl(port) }),
      new MemorySecretStore(),
    );
    const loopback = new LoopbackCallback((url) => session.finish(url));
    await loopback.listen(port);
    // Another program on the same port: told, with what to do.
    await expect(new LoopbackCallback((url) => session.finish(url)).listen(port)).rejects.toMatchObject({
      code: 'auth.config',
      message: `Port ${port} for the sign-in callback is in use by another program.`,
    });
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);

    const { url } = await session.begin();
    const back = await provider.signIn(url, 'jo');
    const page = await fetch(back);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in as User jo.');
    expect(session.user()?.sub).toBe('jo');
    // Done: the port is free again.
    await vi.waitFor(() => expect(loopback.listening).toBe(false));
    await expect(fetch(back)).rejects.toThrow();
  });
});
