/** Stable error codes that cross the IPC / HTTP boundary. The UI switches on these, never on messages. */
export const errorCodes = [
  'input.invalid',
  'settings.invalid',
  'settings.no_model',
  'aws.credentials.missing',
  'aws.credentials.expired',
  'aws.credentials.invalid',
  'aws.access_denied',
  'aws.unreachable',
  'sagemaker.endpoint_not_found',
  'sagemaker.model_error',
  'sagemaker.validation',
  'sagemaker.throttled',
  'sagemaker.unavailable',
  'sagemaker.timeout',
  'sagemaker.bad_response',
  'sagemaker.content_filtered',
  'sagemaker.image_error',
  'storage.unavailable',
  'library.not_found',
  'cancelled',
  'unsupported',
  'auth.config',
  'auth.unreachable',
  'auth.cancelled',
  'auth.expired',
  'auth.failed',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
  /** What the user can do about it, when we know. */
  hint?: string;
  /** Field-level messages keyed by dotted path (e.g. `models.0.endpointName`). */
  fields?: Record<string, string>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: AppError): Result<never> => ({ ok: false, error });

/** An error's message, then its hint (what to do) as a sentence of its own, for one line of text. */
export const withHint = ({ message, hint }: { message: string; hint?: string | undefined }): string =>
  hint ? `${message}${/[.!?…:]$/.test(message.trim()) ? '' : '.'} ${hint}` : message;
