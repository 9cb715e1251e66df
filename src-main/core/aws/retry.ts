import { StandardRetryStrategy } from '@smithy/util-retry';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';

/**
 * The SDK's standard strategy (throttling, ModelNotReady (429), 5xx: bounded attempts,
 * exponential backoff with jitter), except that a request that timed out is not sent
 * again: a model that took over a minute would just take over a minute once more.
 */
export class InvokeRetryStrategy extends StandardRetryStrategy {
  override async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    if (errorInfo.error?.name === 'TimeoutError') throw errorInfo.error;
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}
