/** Errors with a machine-readable code; `permanent` decides retry vs give up. */
export type AppErrorCode =
  | 'CONFIG_INVALID'
  | 'CAMPAIGN_INVALID'
  | 'RAW_NOT_FOUND'
  | 'PARSE_LIMIT'
  | 'PARSE_FAILED'
  | 'DB_UNAVAILABLE'
  | 'REDIS_UNAVAILABLE'
  | 'SMTP_TRANSIENT'
  | 'SMTP_PERMANENT'
  | 'NOT_FOUND'
  | 'INVALID_INPUT';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly permanent: boolean;
  constructor(code: AppErrorCode, opts: { message: string; cause?: unknown; permanent?: boolean }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.permanent = opts.permanent ?? false;
  }
}

export function isAppError(err: unknown, code?: AppErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
