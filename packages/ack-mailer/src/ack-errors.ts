import { AppError } from '@intake/domain';

/**
 * Thrown when the ack should be tried again later (the BullMQ job retries with
 * backoff): a transient SMTP failure, or another attempt holding the row.
 * Permanent failures are not thrown: they end as a 'failed' row.
 */
export class AckRetryableError extends AppError {
  readonly retryReason: 'smtp-transient' | 'in-progress';
  constructor(retryReason: 'smtp-transient' | 'in-progress', message: string, cause?: unknown) {
    super('ACK_RETRY', { message, cause, permanent: false });
    this.name = 'AckRetryableError';
    this.retryReason = retryReason;
  }
}

export function isRetryableAckError(err: unknown): err is AckRetryableError {
  return err instanceof AckRetryableError;
}
