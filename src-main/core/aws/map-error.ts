import type { AppError } from '../../../src-shared/errors';
import type { Settings } from '../../../src-shared/settings';
import { StudioError } from '../errors';
import { transportFailure } from './transport-failure';

/** Context that makes messages actionable. */
export interface ErrorContext {
  endpointName?: string;
  region?: string;
  profile?: string;
  credentialsMode?: Settings['credentialsMode'];
}

export const errorContextFor = (s: Settings, endpointName?: string): ErrorContext => ({
  region: s.region,
  profile: s.profile,
  credentialsMode: s.credentialsMode,
  ...(endpointName ? { endpointName } : {}),
});

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
  OriginalStatusCode?: unknown;
  OriginalMessage?: unknown;
  LogStreamArn?: unknown;
  /** Node's network errors: the host a DNS lookup failed for, or the address a connection was refused at. */
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
}

const shape = (e: unknown): SdkErrorShape => (typeof e === 'object' && e !== null ? (e as SdkErrorShape) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Model containers often answer errors as JSON (`{"message": …}`); show the message, not the JSON. */
const containerMessage = (original: string): string => {
  try {
    const parsed = JSON.parse(original) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const o = parsed as Record<string, unknown>;
      for (const key of ['message', 'errorMessage', 'error', 'detail']) {
        if (typeof o[key] === 'string' && o[key] !== '') return o[key];
      }
    }
  } catch {
    // not JSON: shown as it came
  }
  return original;
};

const slowModelHint = 'SageMaker real-time endpoints must answer within 60 seconds; try fewer steps or a smaller size.';
const networkHint = 'Check your network connection, proxy or VPN, and any endpoint URL override in Settings.';

/** Which host a network error was about, when Node says. */
const hostOf = (e: SdkErrorShape): string => {
  if (str(e.hostname)) return str(e.hostname);
  if (str(e.address)) return typeof e.port === 'number' ? `${str(e.address)}:${e.port}` : str(e.address);
  return '';
};

/** A failure under the call (connection lost, answer cut, no answer in time), or undefined. */
const mapTransportFailure = (error: unknown, e: SdkErrorShape, ctx: ErrorContext): AppError | undefined => {
  const failure = transportFailure(error);
  if (!failure) return undefined;
  const target = ctx.endpointName ? `endpoint "${ctx.endpointName}"` : hostOf(e) || 'AWS';
  const code = str(e.code);
  const why = code ? ` (${code})` : '';
  const attempts = typeof e.$metadata?.attempts === 'number' ? e.$metadata.attempts : 1;
  const tried = attempts > 1 ? `It was sent ${attempts} times. ` : '';
  switch (failure) {
    case 'response-timeout':
      return {
        code: 'sagemaker.timeout',
        message: `${ctx.endpointName ? `Endpoint "${ctx.endpointName}"` : 'The endpoint'} did not answer in time.`,
        hint: slowModelHint,
      };
    case 'connection-lost':
      return {
        code: 'aws.unreachable',
        message: `The connection to ${target} was lost before it answered${why}.`,
        hint: `${tried}${networkHint}`,
      };
    case 'answer-cut':
      return {
        code: 'aws.unreachable',
        message: `The connection to ${target} was lost while its answer was arriving${why}.`,
        hint: `${tried}${networkHint}`,
      };
    case 'connect-timeout':
      return { code: 'aws.unreachable', message: `Could not connect to ${target} in time.`, hint: networkHint };
  }
};

const ssoExpired = (message: string): boolean => /sso/i.test(message) && /(expired|refresh|token|login)/i.test(message);

/**
 * Maps an error thrown by the AWS SDK (or the network under it) to the contract's error codes.
 * The one place that knows SDK exception names.
 */
export const mapAwsError = (error: unknown, ctx: ErrorContext = {}): AppError => {
  if (error instanceof StudioError) return error.toAppError();
  const e = shape(error);
  const name = str(e.name);
  const message = str(e.message) || String(error);
  const code = str(e.code);
  const endpoint = ctx.endpointName ? `"${ctx.endpointName}"` : 'the endpoint';
  const profile = ctx.profile ?? 'default';
  const transport = mapTransportFailure(error, e, ctx);
  if (transport) return transport;

  switch (name) {
    case 'AbortError':
      return { code: 'cancelled', message: 'Cancelled.' };
    case 'ModelError': {
      const status = typeof e.OriginalStatusCode === 'number' ? ` (${e.OriginalStatusCode})` : '';
      const original = containerMessage(str(e.OriginalMessage)) || message;
      const log = str(e.LogStreamArn);
      return {
        code: 'sagemaker.model_error',
        message: `The model on ${endpoint} returned an error${status}: ${original}`,
        hint: log
          ? `The model container's log is in CloudWatch: ${log}`
          : "Check the endpoint's CloudWatch logs for details.",
      };
    }
    case 'ValidationError':
      if (/not found/i.test(message)) {
        return {
          code: 'sagemaker.endpoint_not_found',
          message: `SageMaker endpoint ${endpoint} was not found${ctx.region ? ` in ${ctx.region}` : ''}.`,
          hint: 'Check the endpoint name and the region in Settings.',
        };
      }
      return { code: 'sagemaker.validation', message: `SageMaker refused the request: ${message}` };
    case 'ThrottlingException':
      return {
        code: 'sagemaker.throttled',
        message: `SageMaker is throttling requests to ${endpoint}.`,
        hint: 'Wait a moment and try again, or lower the number of parallel requests in Settings.',
      };
    case 'ModelNotReadyException':
      return {
        code: 'sagemaker.unavailable',
        message: `The model on ${endpoint} is not ready yet.`,
        hint: 'The endpoint may still be starting; try again in a minute.',
      };
    case 'ServiceUnavailable':
    case 'InternalFailure':
    case 'InternalServerError':
      return {
        code: 'sagemaker.unavailable',
        message: `SageMaker could not serve the request (${name}).`,
        hint: 'This is usually temporary; try again.',
      };
    case 'InvalidSignatureException':
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
      return {
        code: 'aws.credentials.invalid',
        message: `AWS rejected the credentials: ${message}`,
        hint:
          ctx.credentialsMode === 'cognito' || ctx.credentialsMode === 'signIn'
            ? 'Check the Identity Pool ID and region in Settings.'
            : `Check the access key of profile "${profile}" in your AWS credentials file.`,
      };
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return {
        code: 'aws.credentials.expired',
        message: 'Your AWS session has expired.',
        hint: `Run: aws sso login --profile ${profile}`,
      };
    case 'AccessDeniedException':
    case 'AccessDenied':
      return {
        code: 'aws.access_denied',
        message: `AWS denied access: ${message}`,
        hint:
          ctx.credentialsMode === 'cognito'
            ? "Check the Identity Pool's guest role policy (see the README); enhanced-flow guests can only call InvokeEndpoint."
            : ctx.credentialsMode === 'signIn'
              ? "Check the Identity Pool's authenticated role policy (the README's Sign in section)."
              : 'The credentials need the permission named above (see the README for the policies).',
      };
    case 'CredentialsProviderError':
      if (ssoExpired(message)) {
        return {
          code: 'aws.credentials.expired',
          message: `The SSO session of profile "${profile}" has expired or is missing.`,
          hint: `Run: aws sso login --profile ${profile}`,
        };
      }
      return {
        code: 'aws.credentials.missing',
        message: `No AWS credentials: ${message}`,
        hint:
          ctx.credentialsMode === 'cognito'
            ? 'Check the Identity Pool ID in Settings.'
            : `Add profile "${profile}" to ~/.aws/credentials or ~/.aws/config, or pick another profile in Settings.`,
      };
    case 'NotAuthorizedException':
      if (ctx.credentialsMode === 'signIn') {
        return {
          code: 'auth.config',
          message: `The Identity Pool does not accept this sign-in: ${message}`,
          hint: 'Add the user pool and its app client as an authentication provider of the Identity Pool (they must be the ones in Settings).',
        };
      }
      break;
    case 'ResourceNotFoundException':
      return {
        code: 'aws.credentials.invalid',
        message: `Cognito could not find the identity pool or identity: ${message}`,
        hint: 'Check the Identity Pool ID and region in Settings.',
      };
    default:
      break;
  }

  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
    return { code: 'aws.unreachable', message: `Could not reach ${hostOf(e) || 'AWS'} (${code}).`, hint: networkHint };
  }
  if (code === 'ETIMEDOUT' || /socket timed out|timed out/i.test(message)) {
    return { code: 'sagemaker.timeout', message: 'The request to SageMaker timed out.', hint: slowModelHint };
  }
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) {
    return { code: 'sagemaker.unavailable', message: `SageMaker answered ${status}: ${message}` };
  }
  return { code: 'internal', message: name ? `${name}: ${message}` : message };
};
