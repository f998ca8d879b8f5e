import { ROLE_LABELS, itemLabel } from '@intake/domain';
import type { TAckContextInput } from '@intake/ack-mailer';
import { countsAsConfirmed, type ApplicationDetail, type StoredMessage } from '@intake/register-store';
import type { WorkerContext } from './worker-context.js';

/**
 * The register's view of a message and its application, mapped into what the
 * reply says. The application's state is taken after validation, so the reply
 * reports what is still missing across all its mails.
 */
export function buildAckContext(ctx: WorkerContext, msg: StoredMessage, app: ApplicationDetail): TAckContextInput {
  const p = msg.parsed;
  const ev = app.evaluation;
  // a sender the address book does not vouch for gets a receipt for this mail only (issue 12.1)
  const receiptOnly = msg.senderStatus !== null && !countsAsConfirmed(msg.senderStatus);
  const changes = receiptOnly ? [] : describeChanges(app, msg);
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
    // as they count: a copy type or role staff corrected is what a (re)sent reply states
    attachments: (app.messages.find((m) => m.sha256 === msg.sha256)?.attachments ?? p.attachments).map((a) => ({
      filename: a.filename,
      path: a.path,
      kind: a.kind,
      copy: a.copy,
      roles: a.roles,
      error: a.error,
      ...(a.text?.pending ? { ocrPending: true } : {}),
    })),
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
    ...(changes.length > 0 ? { resend: { changes } } : {}),
    ...(receiptOnly ? { receiptOnly: true } : {}),
  };
}

/**
 * For a mail that joins an application already on file (补充、更正、重发):
 * what it added and what it replaced, against the mails received before it.
 */
export function describeChanges(app: ApplicationDetail, msg: StoredMessage): string[] {
  const at = new Date(msg.receivedAt).getTime();
  const earlier = app.messages.filter((m) => m.sha256 !== msg.sha256 && new Date(m.receivedAt).getTime() <= at);
  if (earlier.length === 0) return [];
  const itemsOf = (atts: Array<{ roles: string[]; copy: string; error?: string }>) => {
    const s = new Set<string>();
    for (const a of atts) {
      if (a.error) continue;
      for (const r of a.roles) s.add(r);
      if (a.copy === 'scan' || a.copy === 'electronic') s.add(a.copy);
    }
    return s;
  };
  const before = itemsOf(earlier.flatMap((m) => m.attachments));
  const now = itemsOf(msg.parsed.attachments);
  const added = [...now].filter((i) => !before.has(i)).map(itemLabel);
  const replaced = [...now].filter((i) => before.has(i) && i in ROLE_LABELS).map(itemLabel);
  const out: string[] = [];
  if (added.length) out.push(`本次新增：${added.join('、')}`);
  if (replaced.length) out.push(`本次重新报送：${replaced.join('、')}（以本次为准，此前版本留档）`);
  if (out.length === 0) out.push('本次来件未识别到新的申报材料');
  return out;
}
