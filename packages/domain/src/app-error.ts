/**
 * Errors with a machine-readable code; `permanent` decides retry vs give up.
 * Every error the CLI can report is one of these (a subclass adds its own fields).
 */
export type AppErrorCode =
  /** the environment / .env does not validate (ConfigError) */
  | 'CONFIG_INVALID'
  /** the campaign profile file does not validate (CampaignProfileError) */
  | 'CAMPAIGN_INVALID'
  /** a command line the user can fix (UsageError) */
  | 'USAGE'
  | 'RAW_NOT_FOUND'
  | 'PARSE_FAILED'
  /** an attachment's reader overran its time cap (ExtractTimeoutError) */
  | 'EXTRACT_TIMEOUT'
  | 'EXTRACT_CRASHED'
  | 'EXTRACT_REFUSED'
  /** a PDF whose object structure cannot be walked (PdfStructureError) */
  | 'PDF_STRUCTURE'
  | 'REDIS_UNAVAILABLE'
  /** a reply to try again later: SMTP failed transiently or another attempt holds it (AckRetryableError) */
  | 'ACK_RETRY'
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
