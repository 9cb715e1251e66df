import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcClient } from '../../src-main/core/auth/oidc';
import { MemorySecretStore, SignInSession } from '../../src-main/core/auth/session';
import { startFakeCognito } from '../fakes/cognito-identity';
import type { FakeCognito } from '../fakes/cognito-identity';
import { startOidcProvider } from '../fakes/oidc-provider';
import type { FakeOidcProvider } from '../fakes/oidc-provider';
import { freshCache } from '../fakes/sdk-helpers';
import { startEmulators } from '../support/emulators';
import type { Emulators } from '../support/emulators';
import { IssuedEverywhere } from '../support/issued-everywhere';

/**
 * The test rig's storage side, as the sign-in tests rely on it: credentials of a signed-in
 * identity reach the history's bucket; a guest's (scoped down, as Cognito's guest role is) do not.
 */

const redirectUri = 'http://localhost:5176/auth/callback';
const identityPoolId = 'us-east-1:12345678-0000-4000-8000-00000000bbbb';
const providerName = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TESTPOOL';
let provider: FakeOidcProvider;
let cognito: FakeCognito;
let emu: Emulators;

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [redirectUri] });
  cognito = await startFakeCognito({
    credentials: new IssuedEverywhere(),
    identityPools: [
      {
        id: identityPoolId,
        allowUnauthenticated: true,
        openIdProviders: [{ name: providerName, issuer: provider.issuer, audience: provider.clientId }],
      },
    ],
  });
  emu = await startEmulators();
});
afterAll(async () => {
  await Promise.all([provider.close(), cognito.close(), emu.close()]);
});

const put = (credentials: AwsCredentialIdentityProvider, key: string): Promise<unknown> =>
  new S3Client({
    region: 'us-east-1',
    endpoint: emu.s3Url,
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
  }).send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: 'x' }));

const poolCredentials = (logins?: Record<string, () => Promise<string>>): AwsCredentialIdentityProvider =>
  fromCognitoIdentityPool({
    identityPoolId,
    ...(logins ? { logins } : {}),
    cache: freshCache(),
    clientConfig: { region: 'us-east-1', endpoint: cognito.url, maxAttempts: 1 },
  });

describe('the rig’s storage and Cognito credentials', () => {
  it('a signed-in identity writes to the history’s bucket; a guest of the same pool is refused', async () => {
    const session = new SignInSession(
      new OidcClient({ issuer: provider.issuer, clientId: provider.clientId, redirectUri }),
      new MemorySecretStore(),
    );
    const { url } = await session.begin();
    await session.finish((await provider.signIn(url, 'dana')).href);
    const signedIn = poolCredentials({ [providerName]: () => session.idToken() });
    expect((await signedIn()).accessKeyId).toBeTruthy();
    expect(cognito.identities.get(cognito.issued.at(-1)?.identityId ?? '')?.authenticated).toBe(true);
    await expect(put(signedIn, 'signed-in/ok.txt')).resolves.toBeDefined();

    const guest = poolCredentials();
    const refused = await put(guest, 'guest/nope.txt').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toMatch(/InvalidAccessKeyId|AccessDenied|Forbidden/);
  });
});
