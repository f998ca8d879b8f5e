import { UnrecoverableError } from 'bullmq';
import { ZodError } from 'zod';
import { isAppError } from '@intake/domain';

/**
 * The one place that decides retry vs give up. Transient: the database or
 * Redis restarting, SMTP 4xx, timeouts. Permanent: a payload that fails its
 * schema, a raw message missing from the archive, an AppError marked permanent.
 */
export function isPermanent(err: unknown): boolean {
  if (err instanceof UnrecoverableError) return true;
  if (err instanceof ZodError) return true;
  if (isAppError(err)) return err.permanent;
  return false;
}

export function toJobError(err: unknown): Error {
  if (isPermanent(err) && !(err instanceof UnrecoverableError)) {
    const e = new UnrecoverableError(`${(err as Error).name}: ${(err as Error).message}`);
    // BullMQ stores only name and message; the log line and a debugger still see the original
    e.cause = err;
    return e;
  }
  return err instanceof Error ? err : new Error(String(err));
}
