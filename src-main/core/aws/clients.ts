import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { STSClient } from '@aws-sdk/client-sts';
import { memoize } from '@smithy/property-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsService, Settings } from '../../../src-shared/settings';
import type { SignInLink } from '../auth/service';
import type { StateStore } from '../state-store';
import { createCredentialProvider, currentIdentityId, poolRegion } from './credentials';
import { InvokeOutcomes } from './invoke-outcomes';
import { InvokeRetryStrategy } from './retry';

/** SageMaker gives a container 60 s to answer; wait a little longer than that before giving up. */
export const invokeSocketTimeoutMs = 70_000;
/** Attempts per InvokeEndpoint call, first one included (throttling, ModelNotReady, 5xx, lost connections are retried). */
export const invokeMaxAttempts = 4;
/**
 * How long an idle keep-alive connection to the runtime is kept for the next call. Servers
 * commonly drop idle connections after 5 s (Node's and uvicorn's defaults); reusing one just as
 * the server closes it loses the request. Closing ours first makes that rare; the retry covers the rest.
 */
export const runtimeIdleSocketMs = 4_000;

const refreshMarginMs = 5 * 60_000;

interface Destroyable {
  destroy(): void;
}

/**
 * One client per service for the current settings, all sharing one cached credential
 * provider. Rebuilt when settings change or credentials fail, which also drops cached
 * credentials, so a fresh `aws sso login` is picked up without a restart.
 */
export class AwsClients {
  private readonly cache = new Map<string, Destroyable>();
  private provider: AwsCredentialIdentityProvider | undefined;
  /** What every InvokeEndpoint made through these clients said about its endpoint (kept across rebuilds). */
  readonly invokeOutcomes = new InvokeOutcomes();
  /** Sign in with Cognito: the signed-in user's ID token for the Identity Pool. */
  signIn: SignInLink | undefined;

  constructor(
    private settings: Settings,
    private readonly state: StateStore,
    private readonly invokeTimeoutMs = invokeSocketTimeoutMs,
    private readonly idleSocketMs = runtimeIdleSocketMs,
  ) {}

  update(settings: Settings): void {
    this.settings = settings;
    this.reset();
  }

  /** Drops clients and their cached credentials. */
  reset(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
    this.provider = undefined;
  }

  credentials(): AwsCredentialIdentityProvider {
    this.provider ??= memoize(
      createCredentialProvider(this.settings, this.state, this.signIn),
      (c: AwsCredentialIdentity) => c.expiration !== undefined && c.expiration.getTime() - Date.now() < refreshMarginMs,
      (c: AwsCredentialIdentity) => c.expiration !== undefined,
    );
    return this.provider;
  }

  /** The Cognito identity of these settings (and of the signed-in user), once one was issued. */
  identityId(): string | undefined {
    return currentIdentityId(this.settings, this.state, this.signIn);
  }

  private endpoint(service: AwsService): { endpoint?: string } {
    const url = this.settings.endpointOverrides[service];
    return url ? { endpoint: url } : {};
  }

  private get<T extends Destroyable>(key: string, make: () => T): T {
    let client = this.cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      this.cache.set(key, client);
    }
    return client;
  }

  sagemakerRuntime(): SageMakerRuntimeClient {
    return this.get('runtime', () => {
      const client = new SageMakerRuntimeClient({
        region: this.settings.region,
        credentials: this.credentials(),
        ...this.endpoint('sagemakerRuntime'),
        retryStrategy: new InvokeRetryStrategy(invokeMaxAttempts),
        requestHandler: new NodeHttpHandler({
          connectionTimeout: 10_000,
          requestTimeout: this.invokeTimeoutMs,
          throwOnRequestTimeout: true,
          // The agent's `timeout` closes a socket that sits idle in the pool that long.
          httpAgent: { keepAlive: true, timeout: this.idleSocketMs },
          httpsAgent: { keepAlive: true, timeout: this.idleSocketMs },
        }),
      });
      this.invokeOutcomes.watch(client, this.settings);
      return client;
    });
  }

  /** The control plane (endpoint discovery and health), imported when first used. */
  async sagemaker(): Promise<SageMakerClient> {
    const { SageMakerClient } = await import('@aws-sdk/client-sagemaker');
    return this.get(
      'sagemaker',
      () =>
        new SageMakerClient({
          region: this.settings.region,
          credentials: this.credentials(),
          ...this.endpoint('sagemaker'),
          requestHandler: new NodeHttpHandler({
            connectionTimeout: 10_000,
            requestTimeout: 20_000,
            throwOnRequestTimeout: true,
          }),
        }),
    );
  }

  /** STS for Test connection's "signed in as", imported when first used. */
  async sts(): Promise<STSClient> {
    const { STSClient } = await import('@aws-sdk/client-sts');
    return this.get(
      'sts',
      () =>
        new STSClient({
          region: this.settings.region,
          credentials: this.credentials(),
          ...this.endpoint('sts'),
          requestHandler: new NodeHttpHandler({
            connectionTimeout: 10_000,
            requestTimeout: 20_000,
            throwOnRequestTimeout: true,
          }),
        }),
    );
  }

  private storageHandler(): NodeHttpHandler {
    return new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true });
  }

  s3(): S3Client {
    return this.get('s3', () => {
      const override = this.endpoint('s3');
      return new S3Client({
        region: this.settings.region,
        credentials: this.credentials(),
        ...override,
        // Emulators and VPC endpoints are addressed by path, not by bucket sub-domain.
        forcePathStyle: override.endpoint !== undefined,
        // A bucket in another region than the endpoints: follow S3's redirect instead of failing.
        followRegionRedirects: true,
        // Plain PUTs: no streamed checksum trailers (which S3-compatible emulators store as chunk framing).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
        requestHandler: this.storageHandler(),
      });
    });
  }

  dynamodb(): DynamoDBDocumentClient {
    return this.get('dynamodb', () =>
      DynamoDBDocumentClient.from(
        new DynamoDBClient({
          region: this.settings.region,
          credentials: this.credentials(),
          ...this.endpoint('dynamodb'),
          maxAttempts: 3,
          requestHandler: this.storageHandler(),
        }),
        { marshallOptions: { removeUndefinedValues: true } },
      ),
    );
  }

  /** Unsigned Cognito Identity calls (GetId) for the connection check. */
  async cognitoIdentity(): Promise<CognitoIdentityClient> {
    const { CognitoIdentityClient } = await import('@aws-sdk/client-cognito-identity');
    return this.get(
      'cognito',
      () =>
        new CognitoIdentityClient({
          region: poolRegion(this.settings.identityPoolId) || this.settings.region,
          ...this.endpoint('cognitoIdentity'),
        }),
    );
  }
}
