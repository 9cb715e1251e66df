import type { AppError, Result } from '../../src-shared/errors';

/**
 * What a plugin throws when an operation fails. StableStudio plugins report
 * failures by throwing; the code, hint and field messages let the UI explain.
 */
export class PluginError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly fields: Record<string, string> | undefined;

  constructor(options: { code: string; message: string; hint?: string; fields?: Record<string, string> }) {
    super(options.message);
    this.name = 'PluginError';
    this.code = options.code;
    this.hint = options.hint;
    this.fields = options.fields;
  }
}

/** Any thrown value → `{ code, message, hint? }` for display. */
export const describeError = (error: unknown): { code: string; message: string; hint?: string } => {
  if (error instanceof PluginError) {
    return error.hint
      ? { code: error.code, message: error.message, hint: error.hint }
      : { code: error.code, message: error.message };
  }
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
};

const fromAppError = (error: AppError): PluginError =>
  new PluginError({
    code: error.code,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.fields ? { fields: error.fields } : {}),
  });

/** (desktop) A contract Result → its value, or a thrown PluginError carrying the contract's error. */
export const unwrap = <T>(result: Result<T>): T => {
  if (result.ok) return result.value;
  throw fromAppError(result.error);
};
