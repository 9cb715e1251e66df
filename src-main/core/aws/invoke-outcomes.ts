import type { SageMakerRuntimeClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-sagemaker-runtime';
import type { InitializeMiddleware } from '@smithy/types';
import type { AppError, ErrorCode } from '../../../src-shared/errors';
import type { Settings } from '../../../src-shared/settings';
import { errorContextFor, mapAwsError } from './map-error';

/** The last InvokeEndpoint call on an endpoint that said something about its health. */
export interface InvokeOutcome {
  ok: boolean;
  /** Epoch ms when the call ended. */
  at: number;
  /** Why it failed, when it did. */
  error?: AppError;
}

/**
 * Failures that say the endpoint cannot be used from here right now. A model error, a refused
 * request, throttling, a slow answer or a cancel say nothing about that, and leave the last
 * outcome as it was.
 */
const unhealthy: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'aws.credentials.missing',
  'aws.credentials.expired',
  'aws.credentials.invalid',
  'aws.access_denied',
  'aws.unreachable',
  'sagemaker.endpoint_not_found',
  'sagemaker.unavailable',
]);

/**
 * What the Dreams themselves said about each endpoint. A successful InvokeEndpoint is proof that
 * the endpoint, the runtime's address and the credentials work, whatever the control plane
 * (DescribeEndpoint, STS) could or could not be asked.
 *
 * Keyed by the endpoint and every setting that decides how it is reached (region, credentials,
 * runtime URL override), so that a proof never outlives the settings it was made with.
 */
export class InvokeOutcomes {
  private readonly last = new Map<string, InvokeOutcome>();

  static scope(s: Settings, endpointName: string): string {
    return JSON.stringify([
      s.region,
      s.credentialsMode,
      s.credentialsMode === 'profile' ? s.profile : [s.identityPoolId, s.cognitoClassicFlow, s.cognitoRoleArn],
      s.endpointOverrides.sagemakerRuntime,
      endpointName,
    ]);
  }

  get(s: Settings, endpointName: string): InvokeOutcome | undefined {
    return this.last.get(InvokeOutcomes.scope(s, endpointName));
  }

  succeeded(s: Settings, endpointName: string, at = Date.now()): void {
    this.last.set(InvokeOutcomes.scope(s, endpointName), { ok: true, at });
  }

  /** Records the failure if it speaks to the endpoint's health; otherwise keeps the last outcome. */
  failed(s: Settings, endpointName: string, error: AppError, at = Date.now()): void {
    if (unhealthy.has(error.code)) this.last.set(InvokeOutcomes.scope(s, endpointName), { ok: false, at, error });
  }

  /** Records every InvokeEndpoint that `client` (made for settings `s`) completes, after its retries. */
  watch(client: SageMakerRuntimeClient, s: Settings): void {
    const record: InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
      const name = args.input.EndpointName;
      if (context.commandName !== 'InvokeEndpointCommand' || !name) return next(args);
      try {
        const result = await next(args);
        this.succeeded(s, name);
        return result;
      } catch (error) {
        this.failed(s, name, mapAwsError(error, errorContextFor(s, name)));
        throw error;
      }
    };
    client.middlewareStack.add(record, { step: 'initialize', name: 'studioInvokeOutcomes' });
  }
}
