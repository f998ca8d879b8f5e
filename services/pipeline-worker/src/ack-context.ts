import type { TAckContextInput } from '@intake/ack-mailer';
import type { ApplicationDetail, StoredMessage } from '@intake/register-store';
import type { WorkerContext } from './worker-context.js';

/**
 * The register's view of a message and its application, mapped into what the
 * reply says. The application's state is taken after validation, so the reply
 * reports what is still missing across all its mails.
 */
export function buildAckContext(ctx: WorkerContext, msg: StoredMessage, app: ApplicationDetail): TAckContextInput {
  const p = msg.parsed;
  const ev = app.evaluation;
  return {
    sourceSha256: msg.sha256,
    receiptNo: msg.receiptNo,
    applicationReceiptNo: app.receiptNo,
    original: {
      messageId: p.messageId,
      subject: p.subject,
      from: p.from,
      replyTo: p.headers?.replyTo ?? null,
      references: p.headers?.references ?? [],
    },
    receivedAt: new Date(msg.receivedAt).toISOString(),
    attachments: p.attachments.map((a) => ({ filename: a.filename, path: a.path, kind: a.kind, copy: a.copy, roles: a.roles, error: a.error })),
    application: {
      applicantName: app.applicant?.name ?? null,
      cluster: app.cluster,
      copies: app.copies,
      documents: app.documents,
      flags: app.flags,
      metrics: ev?.metrics ?? p.metrics,
      messageCount: app.messageCount,
      late: app.late,
    },
    deadline: ctx.profile.deadline,
    timezone: ctx.profile.timezone,
    contact: ctx.profile.ack.contact,
    submitTo: ctx.ackFrom,
  };
}
