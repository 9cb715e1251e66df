import type { AppError, ErrorCode } from '../../src-shared/errors';

/** An error the core means to show the user: it crosses the boundary as `{code, message, hint}`. */
export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly fields: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.hint = hint;
    this.fields = fields;
  }

  toAppError(): AppError {
    const out: AppError = { code: this.code, message: this.message };
    if (this.hint !== undefined) out.hint = this.hint;
    if (this.fields !== undefined) out.fields = this.fields;
    return out;
  }
}

export const isStudioError = (e: unknown): e is StudioError => e instanceof StudioError;
