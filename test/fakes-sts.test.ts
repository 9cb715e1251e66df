import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoIdentityClient, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { ListEndpointsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  InvalidIdentityTokenException,
  STSClient,
  type STSClientConfig,
} from '@aws-sdk/client-sts';
import { fromCognitoIdentityPool, fromWebToken } from '@aws-sdk/credential-providers';
import {
  CLASSIC_FLOW_DISABLED_MESSAGE,
  startFakeCognito,
  TEST_IDENTITY_POOL_ID,
  TEST_UNAUTH_ROLE_ARN,
  type FakeCognito,
} from './fakes/cognito-identity.js';
import {
  CredentialRegistry,
  sharedCredentials,
  sharedWebIdentityTokens,
  testCredentials,
  testSessionCredentials,
  unknownCredentials,
  wrongSecretCredentials,
} from './fakes/keys.js';
import { startFakeSageMaker, type FakeSageMaker } from './fakes/sagemaker-endpoint.js';
import { failure, freshCache } from './fakes/sdk-helpers.js';
import { startFakeSts, type FakeSts } from './fakes/sts.js';

const NO_CLASSIC_POOL = 'us-east-1:22222222-0000-4000-8000-000000000002';
const PAYLOAD = JSON.stringify({ text_prompts: [{ text: 'a red fox', weight: 1 }], seed: 9 });

describe('fake STS with the real SDK', () => {
  let sts: FakeSts;
  let cognito: FakeCognito;
  let sagemaker: FakeSageMaker;

  const stsClient = (extra: Partial<STSClientConfig> = {}): STSClient =>
    new STSClient({ endpoint: sts.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1, ...extra });
  const cognitoClient = (): CognitoIdentityClient =>
    new CognitoIdentityClient({ endpoint: cognito.url, region: 'us-east-1', maxAttempts: 1 });
  const runtime = (credentials: STSClientConfig['credentials']): SageMakerRuntimeClient =>
    new SageMakerRuntimeClient({ endpoint: sagemaker.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const invoke = (c: SageMakerRuntimeClient) =>
    c.send(
      new InvokeEndpointCommand({
        EndpointName: 'sdxl',
        Body: PAYLOAD,
        ContentType: 'application/json',
        Accept: 'application/json;png',
      }),
    );

  /** GetId → GetOpenIdToken for a guest of `pool`. */
  async function classicToken(pool = TEST_IDENTITY_POOL_ID): Promise<{ identityId: string; token: string }> {
    const c = cognitoClient();
    const { IdentityId } = await c.send(new GetIdCommand({ IdentityPoolId: pool }));
    if (!IdentityId) throw new Error('no identity');
    const { Token } = await c.send(new GetOpenIdTokenCommand({ IdentityId }));
    if (!Token) throw new Error('no token');
    return { identityId: IdentityId, token: Token };
  }

  beforeAll(async () => {
    [sts, cognito, sagemaker] = await Promise.all([
      startFakeSts(),
      startFakeCognito({ identityPools: [TEST_IDENTITY_POOL_ID, { id: NO_CLASSIC_POOL, allowClassicFlow: false }] }),
      startFakeSageMaker({ endpoints: { sdxl: 'InService' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sts.close(), cognito.close(), sagemaker.close()]);
  });

  describe('GetCallerIdentity', () => {
    it('names the IAM user behind the test keys', async () => {
      const before = sts.calls.GetCallerIdentity;
      const out = await stsClient().send(new GetCallerIdentityCommand({}));
      expect(out.Arn).toBe('arn:aws:iam::123456789012:user/studio-test');
      expect(out.Account).toBe('123456789012');
      expect(out.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
      expect(sts.calls.GetCallerIdentity).toBe(before + 1);
      expect(sts.log.at(-1)).toMatchObject({
        action: 'GetCallerIdentity',
        accessKeyId: testCredentials.accessKeyId,
        signingRegion: 'us-east-1',
        status: 200,
      });
    });

    it('names an assumed role for temporary credentials', async () => {
      const out = await stsClient({ credentials: testSessionCredentials }).send(new GetCallerIdentityCommand({}));
      expect(out.Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\//);
      expect(out.UserId).toMatch(/^AROA[A-Z0-9]+:/);
    });

    it('signs with whatever region the client has when the endpoint is overridden', async () => {
      await stsClient({ region: 'eu-west-1' }).send(new GetCallerIdentityCommand({}));
      expect(sts.log.at(-1)?.signingRegion).toBe('eu-west-1');
    });

    it('refuses a wrong secret with SignatureDoesNotMatch (403)', async () => {
      const failuresBefore = sts.authFailures;
      const err = await failure(
        stsClient({ credentials: wrongSecretCredentials }).send(new GetCallerIdentityCommand({})),
      );
      expect(err.name).toBe('SignatureDoesNotMatch');
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toContain('signature we calculated does not match');
      expect(sts.authFailures).toBe(failuresBefore + 1);
    });

    it('refuses an unknown key with InvalidClientTokenId (403)', async () => {
      const err = await failure(stsClient({ credentials: unknownCredentials }).send(new GetCallerIdentityCommand({})));
      expect(err.name).toBe('InvalidClientTokenId');
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toBe('The security token included in the request is invalid.');
    });

    it('refuses expired temporary credentials with ExpiredToken (403)', async () => {
      const registry = new CredentialRegistry();
      const expired = registry.issueTemporary({ ttlSeconds: 1, now: new Date(Date.now() - 60_000) });
      const own = await startFakeSts({ credentials: registry });
      try {
        const c = new STSClient({ endpoint: own.url, region: 'us-east-1', credentials: expired, maxAttempts: 1 });
        const err = await failure(c.send(new GetCallerIdentityCommand({})));
        expect(err.name).toBe('ExpiredToken');
        expect(err.$metadata.httpStatusCode).toBe(403);
      } finally {
        await own.close();
      }
    });

    it('injects faults', async () => {
      sts.setBehaviour({ failNext: ['Throttling'] });
      const err = await failure(stsClient().send(new GetCallerIdentityCommand({})));
      expect(err.name).toBe('Throttling');
    });
  });

  describe('basic (classic) flow: GetId → GetOpenIdToken → AssumeRoleWithWebIdentity', () => {
    it('issues a registered JWT-shaped token', async () => {
      const before = cognito.calls.GetOpenIdToken;
      const { identityId, token } = await classicToken();
      expect(token.split('.')).toHaveLength(3);
      const entry = sharedWebIdentityTokens.lookup(token);
      expect(entry?.subject).toBe(identityId);
      expect(entry?.audience).toBe(TEST_IDENTITY_POOL_ID);
      expect(entry?.amr).toEqual(['unauthenticated']);
      expect(cognito.calls.GetOpenIdToken).toBe(before + 1);
      expect(cognito.openIdTokens.at(-1)?.token).toBe(token);
    });

    it('end to end with fromWebToken: credentials accepted by the SageMaker fake', async () => {
      const { identityId, token } = await classicToken();
      const stsBefore = sts.calls.AssumeRoleWithWebIdentity;
      const credentials = fromWebToken({
        roleArn: TEST_UNAUTH_ROLE_ARN,
        webIdentityToken: token,
        roleSessionName: 'studio-classic',
        clientConfig: { endpoint: sts.url, region: 'us-east-1' },
      });
      const out = await invoke(runtime(credentials));
      expect(out.ContentType).toBe('application/json');
      expect(sts.calls.AssumeRoleWithWebIdentity).toBe(stsBefore + 1);
      const call = sts.log.filter((c) => c.action === 'AssumeRoleWithWebIdentity').at(-1);
      expect(call?.signed).toBe(false);
      const issued = sts.issued.at(-1);
      expect(issued?.subject).toBe(identityId);
      expect(sagemaker.invocations.at(-1)?.accessKeyId).toBe(issued?.accessKeyId);

      // Classic-flow credentials carry no session policy: the control plane works too.
      const control = new SageMakerClient({
        endpoint: sagemaker.url,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      const list = await control.send(new ListEndpointsCommand({}));
      expect(list.Endpoints?.map((e) => e.EndpointName)).toEqual(['sdxl']);

      const who = await stsClient({ credentials }).send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe('arn:aws:sts::123456789012:assumed-role/Cognito_StudioUnauth_Role/studio-classic');
    });

    it('answers the AssumeRoleWithWebIdentity XML the SDK parses', async () => {
      const { identityId, token } = await classicToken();
      const out = await stsClient().send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: TEST_UNAUTH_ROLE_ARN,
          RoleSessionName: 'direct',
          WebIdentityToken: token,
          DurationSeconds: 900,
        }),
      );
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
      expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
      const ttl = (out.Credentials?.Expiration?.getTime() ?? 0) - Date.now();
      expect(ttl).toBeGreaterThan(890_000);
      expect(ttl).toBeLessThanOrEqual(900_000);
      expect(out.SubjectFromWebIdentityToken).toBe(identityId);
      expect(out.Audience).toBe(TEST_IDENTITY_POOL_ID);
      expect(out.Provider).toBe('cognito-identity.amazonaws.com');
      expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/Cognito_StudioUnauth_Role/direct');
      expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]+:direct$/);
      expect(sharedCredentials.has(out.Credentials?.AccessKeyId ?? '')).toBe(true);
    });

    it('refuses tokens it did not issue with InvalidIdentityTokenException', async () => {
      const send = (token: string) =>
        stsClient().send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: TEST_UNAUTH_ROLE_ARN,
            RoleSessionName: 's1',
            WebIdentityToken: token,
          }),
        );
      const forged = await failure(send('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln'));
      expect(forged.name).toBe('InvalidIdentityTokenException');
      expect(forged).toBeInstanceOf(InvalidIdentityTokenException);
      expect(forged.$metadata.httpStatusCode).toBe(400);
      const garbage = await failure(send('not-a-jwt'));
      expect(garbage.name).toBe('InvalidIdentityTokenException');
    });

    it('refuses an expired token with ExpiredTokenException', async () => {
      cognito.setBehaviour({ openIdTokenTtlSeconds: -1 });
      try {
        const { token } = await classicToken();
        const err = await failure(
          stsClient().send(
            new AssumeRoleWithWebIdentityCommand({
              RoleArn: TEST_UNAUTH_ROLE_ARN,
              RoleSessionName: 's1',
              WebIdentityToken: token,
            }),
          ),
        );
        expect(err.name).toBe('ExpiredTokenException');
      } finally {
        cognito.setBehaviour({ openIdTokenTtlSeconds: 600 });
      }
    });

    it('refuses roles outside the test account and bad parameters', async () => {
      const { token } = await classicToken();
      const send = (RoleArn: string, DurationSeconds?: number) =>
        stsClient().send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn,
            RoleSessionName: 's1',
            WebIdentityToken: token,
            ...(DurationSeconds ? { DurationSeconds } : {}),
          }),
        );
      const denied = await failure(send('arn:aws:iam::999999999999:role/Other'));
      expect(denied.name).toBe('AccessDenied');
      expect(denied.$metadata.httpStatusCode).toBe(403);
      const malformed = await failure(send('arn:aws:s3:::not-a-role-at-all'));
      expect(malformed.name).toBe('ValidationError');
      const tooLong = await failure(send(TEST_UNAUTH_ROLE_ARN, 7200));
      expect(tooLong.name).toBe('ValidationError');
      expect(tooLong.message).toContain('MaxSessionDuration');
    });

    it('GetOpenIdToken answers InvalidParameterException when the pool disables the classic flow', async () => {
      const c = cognitoClient();
      const { IdentityId } = await c.send(new GetIdCommand({ IdentityPoolId: NO_CLASSIC_POOL }));
      const err = await failure(c.send(new GetOpenIdTokenCommand({ IdentityId })));
      expect(err.name).toBe('InvalidParameterException');
      expect(err.message).toBe(CLASSIC_FLOW_DISABLED_MESSAGE);
      expect(err.$metadata.httpStatusCode).toBe(400);
    });
  });

  describe('enhanced flow guests', () => {
    it('may invoke endpoints but not list them (managed session policy)', async () => {
      const credentials = fromCognitoIdentityPool({
        identityPoolId: TEST_IDENTITY_POOL_ID,
        clientConfig: { endpoint: cognito.url, region: 'us-east-1' },
        cache: freshCache(),
      });
      await expect(invoke(runtime(credentials))).resolves.toBeDefined();
      const control = new SageMakerClient({
        endpoint: sagemaker.url,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      const err = await failure(control.send(new ListEndpointsCommand({})));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toContain('is not authorized to perform: sagemaker:ListEndpoints');
      expect(err.message).toContain('no session policy allows');
      const who = await stsClient({ credentials }).send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe(
        'arn:aws:sts::123456789012:assumed-role/Cognito_StudioUnauth_Role/CognitoIdentityCredentials',
      );
    });

    it('a session policy without InvokeEndpoint answers AccessDeniedException (403) on the runtime', async () => {
      const scoped = sharedCredentials.issueTemporary({ allowedActions: ['s3:GetObject'], source: 'test:no-invoke' });
      try {
        const err = await failure(invoke(runtime(scoped)));
        expect(err.name).toBe('AccessDeniedException');
        expect(err.$metadata.httpStatusCode).toBe(403);
        expect(err.message).toContain('sagemaker:InvokeEndpoint');
      } finally {
        sharedCredentials.revoke(scoped.accessKeyId);
      }
    });
  });
});
