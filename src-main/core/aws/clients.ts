import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Settings } from '../../../src-shared/settings';
import { createCredentialProvider } from './credentials';

/** SageMaker gives a container 60 s to answer; wait a little longer than that before giving up. */
export const invokeSocketTimeoutMs = 70_000;

/**
 * One client per service for the current settings, rebuilt when settings change
 * (which also drops cached credentials, so a fresh `aws sso login` is picked up).
 */
export class AwsClients {
  private runtime: SageMakerRuntimeClient | undefined;

  constructor(private settings: Settings) {}

  update(settings: Settings): void {
    this.settings = settings;
    this.reset();
  }

  /** Drops clients and their cached credentials. */
  reset(): void {
    this.runtime?.destroy();
    this.runtime = undefined;
  }

  sagemakerRuntime(): SageMakerRuntimeClient {
    if (!this.runtime) {
      const s = this.settings;
      const endpoint = s.endpointOverrides.sagemakerRuntime;
      this.runtime = new SageMakerRuntimeClient({
        region: s.region,
        credentials: createCredentialProvider(s),
        ...(endpoint ? { endpoint } : {}),
        maxAttempts: 3,
        requestHandler: new NodeHttpHandler({
          connectionTimeout: 10_000,
          requestTimeout: invokeSocketTimeoutMs,
          throwOnRequestTimeout: true,
        }),
      });
    }
    return this.runtime;
  }
}
