import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  type CognitoIdentityClientConfig,
} from '@aws-sdk/client-cognito-identity';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { startFakeCognito, TEST_IDENTITY_POOL_ID, type FakeCognito } from './fakes/cognito-identity.js';
import { sharedCredentials } from './fakes/keys.js';
import { startFakeSageMaker, type FakeSageMaker } from './fakes/sagemaker-endpoint.js';
import { failure, freshCache } from './fakes/sdk-helpers.js';
import { OidcClient } from '../src-main/core/auth/oidc';
import { startOidcProvider, type FakeOidcProvider } from './fakes/oidc-provider';

const OTHER_POOL = 'eu-west-1:11111111-2222-4333-8444-555555555555';
const NO_GUEST_POOL = 'us-east-1:99999999-0000-4000-8000-000000000009';

const PAYLOAD = JSON.stringify({
  text_prompts: [{ text: 'a red fox', weight: 1 }],
  seed: 9,
  width: 1024,
  height: 1024,
});

describe('fake Cognito Identity with the real SDK', () => {
  let cognito: FakeCognito;
  let sagemaker: FakeSageMaker;
  let config: CognitoIdentityClientConfig;
  let provider: FakeOidcProvider;
  const userPool = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TESTPOOL';
  const callback = 'http://localhost:5175/auth/callback';
  /** A fresh ID token for `user` from a real sign-in at the provider. */
  const idTokenOf = async (user: string): Promise<string> => {
    const oidc = new OidcClient({ issuer: provider.issuer, clientId: provider.clientId, redirectUri: callback });
    const { url } = await oidc.begin();
    return (await oidc.finish((await provider.signIn(url, user)).href)).idToken;
  };

  beforeAll(async () => {
    provider = await startOidcProvider({ redirectUris: [callback] });
    cognito = await startFakeCognito({
      identityPools: [
        TEST_IDENTITY_POOL_ID,
        OTHER_POOL,
        {
          id: NO_GUEST_POOL,
          allowUnauthenticated: false,
          openIdProviders: [{ name: userPool, issuer: provider.issuer, audience: provider.clientId }],
        },
      ],
    });
    sagemaker = await startFakeSageMaker();
    config = { endpoint: cognito.url, region: 'us-east-1', maxAttempts: 1 };
  });
  afterAll(async () => {
    await Promise.all([cognito.close(), sagemaker.close(), provider.close()]);
  });

  it('GetId answers a region-prefixed identity ID without credentials', async () => {
    // No credentials configured at all: GetId and GetCredentialsForIdentity are unsigned.
    const c = new CognitoIdentityClient(config);
    const before = cognito.calls.GetId;
    const { IdentityId } = await c.send(new GetIdCommand({ IdentityPoolId: OTHER_POOL }));
    expect(IdentityId).toMatch(/^eu-west-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(cognito.calls.GetId).toBe(before + 1);
    expect(cognito.identities.get(IdentityId ?? '')).toMatchObject({
      identityPoolId: OTHER_POOL,
      authenticated: false,
    });
  });

  it('GetCredentialsForIdentity answers fresh credentials that expire in an hour', async () => {
    const c = new CognitoIdentityClient(config);
    const { IdentityId } = await c.send(new GetIdCommand({ IdentityPoolId: TEST_IDENTITY_POOL_ID }));
    const out = await c.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    expect(out.IdentityId).toBe(IdentityId);
    const creds = out.Credentials;
    expect(creds?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(creds?.SecretKey?.length).toBeGreaterThanOrEqual(30);
    expect(creds?.SessionToken).toBeTruthy();
    expect(creds?.Expiration).toBeInstanceOf(Date);
    const seconds = ((creds?.Expiration?.getTime() ?? 0) - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(3500);
    expect(seconds).toBeLessThan(3700);
    expect(sharedCredentials.lookup(creds?.AccessKeyId ?? '')?.sessionToken).toBe(creds?.SessionToken);
    expect(cognito.issued.at(-1)).toMatchObject({ identityId: IdentityId, accessKeyId: creds?.AccessKeyId });
  });

  it('puts Expiration on the wire as epoch seconds', async () => {
    const idRes = await fetch(cognito.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityService.GetId' },
      body: JSON.stringify({ IdentityPoolId: TEST_IDENTITY_POOL_ID }),
    });
    expect(idRes.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const { IdentityId } = (await idRes.json()) as { IdentityId: string };
    const res = await fetch(cognito.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityService.GetCredentialsForIdentity',
      },
      body: JSON.stringify({ IdentityId }),
    });
    const body = (await res.json()) as { Credentials: { Expiration: unknown } };
    expect(typeof body.Credentials.Expiration).toBe('number');
    expect(Number.isInteger(body.Credentials.Expiration)).toBe(true);
    expect(Math.abs(Number(body.Credentials.Expiration) - (Date.now() / 1000 + 3600))).toBeLessThan(60);
  });

  it('answers ResourceNotFoundException for an unknown pool and an unknown identity', async () => {
    const c = new CognitoIdentityClient(config);
    const pool = 'us-east-1:deadbeef-0000-4000-8000-000000000000';
    const noPool = await failure(c.send(new GetIdCommand({ IdentityPoolId: pool })));
    expect(noPool.name).toBe('ResourceNotFoundException');
    expect(noPool.$metadata.httpStatusCode).toBe(400);
    expect(noPool.message).toBe(`IdentityPool '${pool}' not found.`);
    const noIdentity = await failure(
      c.send(new GetCredentialsForIdentityCommand({ IdentityId: 'us-east-1:00000000-1111-4222-8333-444444444444' })),
    );
    expect(noIdentity.name).toBe('ResourceNotFoundException');
  });

  it('answers ValidationException for a malformed pool ID', async () => {
    const err = await failure(
      new CognitoIdentityClient(config).send(new GetIdCommand({ IdentityPoolId: 'not a pool' })),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain("at 'identityPoolId'");
  });

  it('refuses guests where unauthenticated access is off, and ties logins to one identity', async () => {
    const c = new CognitoIdentityClient(config);
    const guest = await failure(c.send(new GetIdCommand({ IdentityPoolId: NO_GUEST_POOL })));
    expect(guest.name).toBe('NotAuthorizedException');
    // Two sign-ins of one user: two tokens, one identity.
    const Logins = { [userPool]: await idTokenOf('alice') };
    const a = await c.send(new GetIdCommand({ IdentityPoolId: NO_GUEST_POOL, Logins }));
    const b = await c.send(
      new GetIdCommand({ IdentityPoolId: NO_GUEST_POOL, Logins: { [userPool]: await idTokenOf('alice') } }),
    );
    expect(a.IdentityId).toBe(b.IdentityId);
    const bob = await c.send(
      new GetIdCommand({ IdentityPoolId: NO_GUEST_POOL, Logins: { [userPool]: await idTokenOf('bob') } }),
    );
    expect(bob.IdentityId).not.toBe(a.IdentityId);
    const noLogins = await failure(c.send(new GetCredentialsForIdentityCommand({ IdentityId: a.IdentityId })));
    expect(noLogins.name).toBe('NotAuthorizedException');
    const ok = await c.send(new GetCredentialsForIdentityCommand({ IdentityId: a.IdentityId, Logins }));
    expect(ok.Credentials?.AccessKeyId).toBeTruthy();
    // Bob's token does not open Alice's identity.
    const someoneElse = await failure(
      c.send(
        new GetCredentialsForIdentityCommand({
          IdentityId: a.IdentityId,
          Logins: { [userPool]: await idTokenOf('bob') },
        }),
      ),
    );
    expect(someoneElse.name).toBe('NotAuthorizedException');
  });

  it('checks a login token as Cognito does: a known provider, its signature, issuer and audience', async () => {
    const c = new CognitoIdentityClient(config);
    const token = await idTokenOf('carol');
    const unknown = await failure(
      c.send(new GetIdCommand({ IdentityPoolId: NO_GUEST_POOL, Logins: { 'accounts.google.com': token } })),
    );
    expect(unknown.message).toBe("Invalid login token. Issuer doesn't match providerName");
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    const bad = await failure(
      c.send(new GetIdCommand({ IdentityPoolId: NO_GUEST_POOL, Logins: { [userPool]: forged } })),
    );
    expect(bad).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid login token. Signature verification failed.',
    });
    const notAToken = await failure(
      c.send(new GetIdCommand({ IdentityPoolId: NO_GUEST_POOL, Logins: { [userPool]: 'token-of-alice' } })),
    );
    expect(notAToken.name).toBe('NotAuthorizedException');
  });

  it('injects faults one per call', async () => {
    const c = new CognitoIdentityClient(config);
    cognito.setBehaviour({ failNext: ['TooManyRequestsException', 'InternalErrorException'] });
    const first = await failure(c.send(new GetIdCommand({ IdentityPoolId: TEST_IDENTITY_POOL_ID })));
    const second = await failure(c.send(new GetIdCommand({ IdentityPoolId: TEST_IDENTITY_POOL_ID })));
    expect([first.name, second.name]).toEqual(['TooManyRequestsException', 'InternalErrorException']);
    expect(second.$metadata.httpStatusCode).toBe(500);
    await c.send(new GetIdCommand({ IdentityPoolId: TEST_IDENTITY_POOL_ID }));
  });

  it('feeds fromCognitoIdentityPool credentials that the SageMaker fake accepts', async () => {
    const getIdBefore = cognito.calls.GetId;
    const credsBefore = cognito.calls.GetCredentialsForIdentity;
    const client = new SageMakerRuntimeClient({
      endpoint: sagemaker.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: fromCognitoIdentityPool({
        identityPoolId: TEST_IDENTITY_POOL_ID,
        cache: freshCache(),
        clientConfig: { endpoint: cognito.url, region: 'us-east-1', maxAttempts: 1 },
      }),
    });
    for (let i = 0; i < 2; i++) {
      const out = await client.send(
        new InvokeEndpointCommand({
          EndpointName: 'sdxl-1-0',
          Body: PAYLOAD,
          ContentType: 'application/json',
          Accept: 'application/json;png',
        }),
      );
      const parsed = JSON.parse(Buffer.from(out.Body).toString('utf8')) as { artifacts: Array<{ seed: number }> };
      expect(parsed.artifacts[0]?.seed).toBe(9);
    }
    // One identity, one key pair, reused while it is valid.
    expect(cognito.calls.GetId - getIdBefore).toBe(1);
    expect(cognito.calls.GetCredentialsForIdentity - credsBefore).toBe(1);
    const issued = cognito.issued.at(-1);
    expect(sagemaker.invocations.map((i) => i.accessKeyId)).toEqual([issued?.accessKeyId, issued?.accessKeyId]);
  });

  it('credentials revoked from the registry are refused by the SageMaker fake', async () => {
    const c = new CognitoIdentityClient(config);
    const { IdentityId } = await c.send(new GetIdCommand({ IdentityPoolId: TEST_IDENTITY_POOL_ID }));
    const { Credentials } = await c.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    const credentials = {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    };
    const sm = new SageMakerRuntimeClient({
      endpoint: sagemaker.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials,
    });
    const cmd = new InvokeEndpointCommand({ EndpointName: 'sdxl-1-0', Body: PAYLOAD, ContentType: 'application/json' });
    await sm.send(cmd);
    sharedCredentials.revoke(credentials.accessKeyId);
    const err = await failure(sm.send(cmd));
    expect(err.name).toBe('UnrecognizedClientException');
  });
});
