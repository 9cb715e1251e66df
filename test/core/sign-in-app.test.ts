import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core';
import type { Core } from '../../src-main/core';
import { OidcClient } from '../../src-main/core/auth/oidc';
import { setLogSink } from '../../src-main/core/log';
import { JsonFileSettingsBackend } from '../../src-main/core/settings';
import { authCallbackPath, startServer } from '../../src-main/server/server';
import type { RunningServer } from '../../src-main/server/server';
import type { SignInState } from '../../src-shared/auth';
import type { SettingsInput } from '../../src-shared/settings';
import { startFakeCognito } from '../fakes/cognito-identity';
import type { FakeCognito } from '../fakes/cognito-identity';
import { startOidcProvider } from '../fakes/oidc-provider';
import type { FakeOidcProvider } from '../fakes/oidc-provider';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { call, callError, configure, tempDataDir } from '../support/core';

const identityPoolId = 'us-east-1:12345678-0000-4000-8000-00000000bbbb';
const loginName = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TESTPOOL';
const model = { modelId: 'sdxl', endpointName: 'sdxl-test' };
const input = { prompt: 'a lighthouse' };

let fake: FakeSageMaker;
let cognito: FakeCognito;
let provider: FakeOidcProvider;
/** A provider whose tokens live a minute (inside the refresh margin). */
let short: FakeOidcProvider;
const shortPoolId = 'us-east-1:12345678-0000-4000-8000-00000000cccc';
/** Web mode's server: its callback route is the one registered with the provider. */
let server: RunningServer;
let callbackUrl: string;
const cores: Core[] = [];

/** A core as web mode wires it (its callback is the server's route), served by `server` from now on. */
const startAuthCore = (dataDir = tempDataDir(), redirectUri = callbackUrl): Core & { dataDir: string } => {
  const core = createCore({
    dataDir,
    settingsBackend: new JsonFileSettingsBackend(join(dataDir, 'settings.json')),
    imageUrl: (g, f) => `/images/${g}/${f}`,
    auth: { redirectUri: () => redirectUri },
  });
  cores.push(core);
  return { ...core, dataDir };
};

const signInSettings = (): SettingsInput => ({
  models: [model],
  credentialsMode: 'signIn',
  userPoolId: 'us-east-1_TESTPOOL',
  userPoolClientId: provider.clientId,
  identityPoolId,
  endpointOverrides: { userPoolIssuer: provider.issuer, cognitoIdentity: cognito.url, sagemakerRuntime: fake.url },
});

/** Signs `user` in as a browser would: Sign in, the provider's login page, back to the server's callback route. */
const signIn = async (core: Core, user: string, options: { cancel?: boolean } = {}): Promise<Response> => {
  const start = await call(core, 'signIn');
  expect(start.opened).toBe(false);
  const back = await provider.signIn(start.url, user, options);
  expect(back.href.startsWith(callbackUrl)).toBe(true);
  return fetch(back);
};

beforeAll(async () => {
  // The server listens first: its port is in the callback URL the provider knows. Each test's
  // core (the latest one started) answers the callback; events are not needed here.
  server = await startServer({
    core: new Proxy({} as Core, {
      get: (_t, key: string) =>
        key === 'events'
          ? { subscribe: () => () => undefined }
          : key === 'then'
            ? undefined
            : cores.at(-1)?.[key as keyof Core],
    }),
    rendererDir: tempDataDir(),
    port: 0,
  });
  callbackUrl = `http://localhost:${server.port}${authCallbackPath}`;
  [fake, provider] = await Promise.all([
    startFakeSageMaker(),
    startOidcProvider({ clientId: 'studio_desktop_client', redirectUris: [callbackUrl] }),
  ]);
  short = await startOidcProvider({
    clientId: 'short_lived_client',
    redirectUris: [callbackUrl],
    idTokenTtl: 60,
    accessTokenTtl: 60,
  });
  cognito = await startFakeCognito({
    identityPools: [
      {
        id: shortPoolId,
        allowUnauthenticated: false,
        openIdProviders: [{ name: loginName, issuer: short.issuer, audience: short.clientId }],
      },
      {
        id: identityPoolId,
        allowUnauthenticated: false,
        openIdProviders: [{ name: loginName, issuer: provider.issuer, audience: provider.clientId }],
      },
    ],
  });
});
afterAll(async () => {
  for (const core of cores) core.close();
  await Promise.all([server.close(), fake.close(), provider.close(), short.close(), cognito.close()]);
});

describe('Sign in with Cognito, through web mode', () => {
  it('signs in through the server’s callback route, Dreams with the user’s own credentials, and the default project is the identity', async () => {
    const core = startAuthCore();
    await configure(core, signInSettings());
    expect(await call(core, 'getSignInState')).toMatchObject({ status: 'signedOut', rememberedIn: 'memory' });

    const page = await signIn(core, 'dana');
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('Signed in as User dana.');
    expect(text).toContain('You can close this tab');

    const state = await call(core, 'getSignInState');
    expect(state).toMatchObject({
      status: 'signedIn',
      user: { sub: 'dana', email: 'dana@example.com' },
      callbackUrl,
    });
    const generation = await call(core, 'generate', { input, count: 1 });
    expect(generation.images).toHaveLength(1);
    const issued = cognito.issued.at(-1);
    expect(cognito.identities.get(issued?.identityId ?? '')).toMatchObject({
      authenticated: true,
      loginProviders: [loginName],
    });
    expect(await core.cloud.project()).toBe(issued?.identityId);

    // A callback works once.
    const again = await fetch(page.url);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already used');
  });

  it('signing out revokes, forgets and refuses AWS calls with a clear message', async () => {
    const core = startAuthCore();
    await configure(core, signInSettings());
    await signIn(core, 'erin');
    // Another credentials mode for a while leaves the sign-in as it was.
    await call(core, 'saveSettings', { credentialsMode: 'profile' });
    expect(await call(core, 'getSignInState')).toMatchObject({ status: 'off' });
    await call(core, 'saveSettings', { credentialsMode: 'signIn' });
    expect(await call(core, 'getSignInState')).toMatchObject({ status: 'signedIn', user: { sub: 'erin' } });
    const seen: SignInState[] = [];
    core.events.subscribe((e) => {
      if (e.type === 'signIn.changed') seen.push(e.state);
    });
    expect(await call(core, 'signOut')).toMatchObject({ status: 'signedOut' });
    expect(seen.at(-1)?.status).toBe('signedOut');
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error).toMatchObject({ code: 'auth.expired', message: 'You are signed out, so AWS cannot be reached.' });
    expect(error.hint).toMatch(/Sign in/);
    // The status pill says it too.
    const status = await call(core, 'getStatus');
    expect(status.indicator).toBe('error');
    expect(status.text).toContain('You are signed out');
  });

  it('a cancelled sign-in says so on the page and in the state', async () => {
    const core = startAuthCore();
    await configure(core, signInSettings());
    const page = await signIn(core, 'x', { cancel: true });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Sign-in was cancelled.');
    expect(await call(core, 'getSignInState')).toMatchObject({
      status: 'signedOut',
      error: { code: 'auth.cancelled' },
    });
  });

  it('an Identity Pool that does not take this user pool’s sign-in says so (a mismatch), with what to fix', async () => {
    const core = startAuthCore();
    // This Identity Pool's provider is the other user pool (another issuer).
    await configure(core, { ...signInSettings(), identityPoolId: shortPoolId });
    expect((await signIn(core, 'ivan')).status).toBe(200);
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error.code).toBe('auth.config');
    expect(error.message).toMatch(/^The Identity Pool does not accept this sign-in/);
    expect(error.hint).toMatch(/authentication provider of the Identity Pool/);
  });

  it('remembered in a 0600 file: signed in again after a restart; a revoked token asks to sign in again', async () => {
    const first = startAuthCore();
    await configure(first, { ...signInSettings(), rememberSignIn: true });
    await signIn(first, 'frank');
    const file = join(first.dataDir, 'sign-in.token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await call(first, 'getSignInState')).toMatchObject({ status: 'signedIn', rememberedIn: 'file' });
    const remembered = readFileSync(file, 'utf8');
    first.close();

    const second = startAuthCore(first.dataDir);
    expect(await call(second, 'getSignInState')).toMatchObject({ status: 'signedIn', user: { sub: 'frank' } });
    await call(second, 'signOut');
    second.close();

    // The revoked token, found again: refused at start, forgotten, and the user is asked to sign in.
    writeFileSync(file, remembered, { mode: 0o600 });
    const third = startAuthCore(first.dataDir);
    expect(await call(third, 'getSignInState')).toMatchObject({ status: 'signedOut', error: { code: 'auth.expired' } });
    expect(() => statSync(file)).toThrow();
  });

  it('refreshes an ID token about to expire without a word, the same identity; a revoked sign-in asks to sign in again', async () => {
    // Tokens that live a minute: within the refresh margin, so each new set of credentials refreshes first.
    const core = startAuthCore();
    await configure(core, {
      ...signInSettings(),
      identityPoolId: shortPoolId,
      userPoolClientId: short.clientId,
      rememberSignIn: true,
      endpointOverrides: { userPoolIssuer: short.issuer, cognitoIdentity: cognito.url, sagemakerRuntime: fake.url },
    });
    const start = await call(core, 'signIn');
    expect((await fetch(await short.signIn(start.url, 'hana'))).status).toBe(200);
    expect((await call(core, 'generate', { input, count: 1 })).images).toHaveLength(1);
    const identity = cognito.issued.at(-1)?.identityId;
    const before = short.refreshes;
    expect(before).toBeGreaterThan(0);

    // Fresh clients, fresh credentials: the ID token is refreshed on the way, silently.
    await call(core, 'saveSettings', { concurrency: 3 });
    expect((await call(core, 'generate', { input, count: 1 })).images).toHaveLength(1);
    expect(short.refreshes).toBeGreaterThan(before);
    expect(cognito.issued.at(-1)?.identityId).toBe(identity);
    expect(await call(core, 'getSignInState')).toMatchObject({ status: 'signedIn' });

    // The refresh token is revoked elsewhere (an administrator, another sign-out).
    const token = readFileSync(join(core.dataDir, 'sign-in.token'), 'utf8');
    await new OidcClient({ issuer: short.issuer, clientId: short.clientId, redirectUri: callbackUrl }).revoke(token);
    await call(core, 'saveSettings', { concurrency: 2 });
    const error = await callError(core, 'generate', { input, count: 1 });
    expect(error).toMatchObject({ code: 'auth.expired', message: 'Your sign-in has expired or was revoked.' });
    expect(error.hint).toMatch(/Sign in again/);
    expect(await call(core, 'getSignInState')).toMatchObject({ status: 'signedOut', error: { code: 'auth.expired' } });
    expect(() => statSync(join(core.dataDir, 'sign-in.token'))).toThrow();
  });

  it('a remembered sign-in that cannot be checked at start (provider unreachable) is kept and checked again by the next call that needs AWS', async () => {
    const first = startAuthCore();
    await configure(first, { ...signInSettings(), rememberSignIn: true });
    await signIn(first, 'mona');
    const file = join(first.dataDir, 'sign-in.token');
    const remembered = readFileSync(file, 'utf8');
    first.close();

    provider.reachable = false;
    const second = startAuthCore(first.dataDir);
    const seen: SignInState[] = [];
    second.events.subscribe((e) => {
      if (e.type === 'signIn.changed') seen.push(e.state);
    });
    try {
      const state = await call(second, 'getSignInState');
      expect(state).toMatchObject({ status: 'unreachable', error: { code: 'auth.unreachable' } });
      expect(state.error?.message).toMatch(/could not be checked/);
      expect(state.user).toBeUndefined();
      // Kept: nothing asks to sign in again.
      expect(readFileSync(file, 'utf8')).toBe(remembered);
      // Still down: a Dream says why it cannot run, and the sign-in is still kept.
      const error = await callError(second, 'generate', { input, count: 1 });
      expect(error).toMatchObject({ code: 'auth.unreachable' });
      expect(error.message).toMatch(/could not be checked/);
      expect(await call(second, 'getSignInState')).toMatchObject({ status: 'unreachable' });
      expect(readFileSync(file, 'utf8')).toBe(remembered);
    } finally {
      provider.reachable = true;
    }
    // The provider is back: the next Dream checks the sign-in again and runs, without a sign-in page.
    const generation = await call(second, 'generate', { input, count: 1 });
    expect(generation.images).toHaveLength(1);
    expect(await call(second, 'getSignInState')).toMatchObject({ status: 'signedIn', user: { sub: 'mona' } });
    expect(seen.at(-1)).toMatchObject({ status: 'signedIn', user: { sub: 'mona' } });
    expect(seen.at(-1)?.error).toBeUndefined();
  });

  it('a sign-in not checked at start is checked again by a backing-off timer, without any call', async () => {
    const first = startAuthCore();
    await configure(first, { ...signInSettings(), rememberSignIn: true });
    await signIn(first, 'nina');
    first.close();

    // The timer, in the test's hands: what was scheduled, and how many checks came before.
    const scheduled: Array<{ run: () => void; attempt: number; cancelled: boolean }> = [];
    const retryLater = (run: () => void, attempt: number): (() => void) => {
      const entry = { run, attempt, cancelled: false };
      scheduled.push(entry);
      return () => (entry.cancelled = true);
    };
    provider.reachable = false;
    const core = createCore({
      dataDir: first.dataDir,
      settingsBackend: new JsonFileSettingsBackend(join(first.dataDir, 'settings.json')),
      imageUrl: (g, f) => `/images/${g}/${f}`,
      auth: { redirectUri: () => callbackUrl, retryLater },
    });
    cores.push(core);
    const states: SignInState[] = [];
    let changed: () => void = () => undefined;
    core.events.subscribe((e) => {
      if (e.type !== 'signIn.changed') return;
      states.push(e.state);
      changed();
    });
    const next = (): Promise<void> => new Promise((resolve) => (changed = resolve));
    try {
      expect(await call(core, 'getSignInState')).toMatchObject({ status: 'unreachable' });
      expect(scheduled.map((s) => s.attempt)).toEqual([0]);
      // Still down when the timer fires: checked, not reachable, the next check backs off further.
      const stillDown = next();
      scheduled[0]?.run();
      await stillDown;
      expect(states.at(-1)).toMatchObject({ status: 'unreachable' });
      expect(scheduled.map((s) => s.attempt)).toEqual([0, 1]);
    } finally {
      provider.reachable = true;
    }
    const back = next();
    scheduled[1]?.run();
    await back;
    expect(states.at(-1)).toMatchObject({ status: 'signedIn', user: { sub: 'nina' } });
    expect(await call(core, 'getSignInState')).toMatchObject({ status: 'signedIn', user: { sub: 'nina' } });
    expect(scheduled).toHaveLength(2);
  });

  it('a Dream after another call met the revocation says the sign-in expired or was revoked, not merely signed out', async () => {
    const core = startAuthCore();
    await configure(core, {
      ...signInSettings(),
      identityPoolId: shortPoolId,
      userPoolClientId: short.clientId,
      rememberSignIn: true,
      endpointOverrides: { userPoolIssuer: short.issuer, cognitoIdentity: cognito.url, sagemakerRuntime: fake.url },
    });
    const start = await call(core, 'signIn');
    expect((await fetch(await short.signIn(start.url, 'lena'))).status).toBe(200);
    const token = readFileSync(join(core.dataDir, 'sign-in.token'), 'utf8');
    await new OidcClient({ issuer: short.issuer, clientId: short.clientId, redirectUri: callbackUrl }).revoke(token);
    // Test connection asks for credentials first: it meets the revocation, and the sign-in is forgotten.
    const checks = await call(core, 'testConnection');
    expect(checks.checks.find((c) => c.target === 'credentials')).toMatchObject({ ok: false, code: 'auth.expired' });
    expect(await call(core, 'getSignInState')).toMatchObject({ status: 'signedOut', error: { code: 'auth.expired' } });
    // The Dream after it says what happened (as every later call does), not merely "signed out".
    for (const op of ['generate', 'generate'] as const) {
      const error = await callError(core, op, { input, count: 2 });
      expect(error).toMatchObject({ code: 'auth.expired', message: 'Your sign-in has expired or was revoked.' });
      expect(error.hint).toBe('Sign in again: nothing is lost, uploads wait until you do.');
    }
    // Signing out on purpose is "signed out" again.
    await call(core, 'signOut');
    expect(await callError(core, 'generate', { input, count: 1 })).toMatchObject({
      message: 'You are signed out, so AWS cannot be reached.',
    });
  });

  it('switching to another app client revokes the remembered sign-in at the old provider; one that cannot be reached is logged and the switch goes on', async () => {
    const core = startAuthCore();
    await configure(core, { ...signInSettings(), rememberSignIn: true });
    await signIn(core, 'jack');
    const tokenFile = join(core.dataDir, 'sign-in.token');
    const jacks = readFileSync(tokenFile, 'utf8');
    const atProvider = new OidcClient({
      issuer: provider.issuer,
      clientId: provider.clientId,
      redirectUri: callbackUrl,
    });
    expect((await atProvider.refresh(jacks)).user.sub).toBe('jack');

    const toShort = {
      userPoolClientId: short.clientId,
      endpointOverrides: { userPoolIssuer: short.issuer, cognitoIdentity: cognito.url, sagemakerRuntime: fake.url },
    };
    await call(core, 'saveSettings', toShort);
    expect(await call(core, 'getSignInState')).toMatchObject({ status: 'signedOut' });
    expect(existsSync(tokenFile)).toBe(false);
    // Revoked at the old provider: the token it gave no longer refreshes.
    await expect(atProvider.refresh(jacks)).rejects.toMatchObject({ code: 'auth.expired' });

    // The old provider cannot be reached: the switch happens all the same, the failure is logged.
    const start = await call(core, 'signIn');
    expect((await fetch(await short.signIn(start.url, 'kate'))).status).toBe(200);
    const kates = readFileSync(tokenFile, 'utf8');
    const warnings: string[] = [];
    const previous = setLogSink((level, line) => {
      if (level === 'warn') warnings.push(line);
    });
    short.reachable = false;
    try {
      await call(core, 'saveSettings', {
        userPoolClientId: provider.clientId,
        endpointOverrides: signInSettings().endpointOverrides,
      });
      expect(await call(core, 'getSignInState')).toMatchObject({ status: 'signedOut' });
    } finally {
      short.reachable = true;
      setLogSink(previous);
    }
    expect(existsSync(tokenFile)).toBe(false);
    expect(warnings.join('\n')).toMatch(/refresh token could not be revoked/);
    const atShort = new OidcClient({ issuer: short.issuer, clientId: short.clientId, redirectUri: callbackUrl });
    expect((await atShort.refresh(kates)).user.sub).toBe('kate');
  });

  it('Test connection reads the discovery document and says what is wrong', async () => {
    const core = startAuthCore();
    await configure(core, signInSettings());
    const notSignedIn = await call(core, 'testConnection');
    expect(notSignedIn.checks.slice(0, 2).map((c) => [c.target, c.ok])).toEqual([
      ['signIn', true],
      ['signInClient', true],
    ]);
    expect(notSignedIn.checks[2]).toMatchObject({ target: 'credentials', ok: false, code: 'auth.expired' });

    const settings = await call(core, 'getSettings');
    const wrongDomain = await call(core, 'testConnection', { ...settings, userPoolDomain: 'other.example.com' });
    expect(wrongDomain.checks[0]?.message).toMatch(/not on other\.example\.com/);
    const wrongClient = await call(core, 'testConnection', { ...settings, userPoolClientId: 'nobody' });
    expect(wrongClient.checks[1]).toMatchObject({ ok: false, code: 'auth.config' });
    expect(wrongClient.checks[1]?.message).toMatch(/does not accept this app client/);
    const gone = await call(core, 'testConnection', {
      ...settings,
      endpointOverrides: { ...settings.endpointOverrides, userPoolIssuer: 'http://127.0.0.1:9/us-east-1_TESTPOOL' },
    });
    expect(gone.checks[0]).toMatchObject({ ok: false, code: 'auth.unreachable' });

    // A callback URL the app client does not list.
    const elsewhere = startAuthCore(tempDataDir(), 'stablestudio://auth/callback');
    await configure(elsewhere, signInSettings());
    const unregistered = await call(elsewhere, 'testConnection');
    expect(unregistered.checks[1]?.message).toBe(
      'The app client does not allow the callback URL stablestudio://auth/callback.',
    );
  });
});
