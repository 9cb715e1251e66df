import { StandardRetryStrategy } from '@smithy/util-retry';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';
import { transportFailure } from './transport-failure';

/**
 * The SDK's standard strategy (throttling, ModelNotReady (429), 5xx, a connection lost before
 * or while the answer came: bounded attempts, exponential backoff with jitter), except that a
 * request the endpoint did not answer in time is not sent again: a model that took over a
 * minute would just take over a minute once more. The HTTP handler calls both `TimeoutError`;
 * `transportFailure` tells them apart.
 */
export class InvokeRetryStrategy extends StandardRetryStrategy {
  override async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    if (transportFailure(errorInfo.error) === 'response-timeout') throw errorInfo.error;
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}
