import type { Job } from 'bullmq';
import { acknowledgeMessage, composeAck } from '@intake/ack-mailer';
import { AppError, emptyMailHeaders } from '@intake/domain';
import { ZAcknowledgeMessage } from '@intake/queue';
import { getApplication, getMessageBySha } from '@intake/register-store';
import { buildAckContext } from '../ack-context.js';
import type { WorkerContext } from '../worker-context.js';

/**
 * One reply per accepted message, decided once (RFC 3834 and loop guards)
 * and sent once (the outbox row is the idempotency key). A transient SMTP
 * failure throws, so the job retries with backoff and the same Message-ID.
 */
export async function handleAcknowledgeMessage(job: Job, ctx: WorkerContext): Promise<{ status: string }> {
  const { sha256, applicationId } = ZAcknowledgeMessage.parse(job.data);
  const log = ctx.logger.child({ sha256, applicationId, jobId: job.id, queue: 'acknowledge' });
  const msg = await getMessageBySha(ctx.db, sha256);
  if (!msg) throw new AppError('NOT_FOUND', { message: `message ${sha256} is not registered`, permanent: true });
  const app = await getApplication(ctx.db, msg.applicationId);
  if (!app)
    throw new AppError('NOT_FOUND', { message: `application ${msg.applicationId} no longer exists`, permanent: true });
  const p = msg.parsed;
  // a transient failure (SMTP down, another attempt in flight) is thrown on: the job runner
  // logs it once with its attempt number and retries with backoff
  const r = await acknowledgeMessage(ctx.db, {
    // the registered message, not this delivery: every delivery of one e-mail shares its one 回执
    sourceSha256: msg.sha256,
    identityKey: msg.identityKey,
    applicationId: app.id,
    transport: ctx.transport,
    logger: log,
    caps: ctx.ackCaps,
    maxAttempts: job.opts.attempts ?? 8,
    // longer than one SMTP transaction's worst case (connect + greeting + socket timeouts, 3 × 10 s),
    // so a live slow attempt is never doubled, short enough that a dead worker's reply goes out soon
    sendingLeaseMs: 35_000,
    decision: {
      headers: p.headers ?? emptyMailHeaders(),
      from: p.from,
      messageFlags: p.flags,
      ourAddress: ctx.ackFrom,
      messageId: p.messageId,
      subject: p.subject,
      attachmentCount: p.attachments.length,
      ...(p.mailClass ? { mailClass: p.mailClass } : {}),
    },
    compose: () =>
      composeAck(buildAckContext(ctx, msg, app), {
        from: ctx.ackFrom,
        templateDir: ctx.ackTemplateDir,
        timezone: ctx.profile.timezone,
      }),
  });
  log.info({ code: 'ack.done', status: r.status, sentNow: r.sentNow }, `reply ${r.status}`);
  return { status: r.status };
}
