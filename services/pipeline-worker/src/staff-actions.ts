import {
  chooseAckRecipient,
  composeAck,
  previewAck,
  resendAck,
  sendReminders,
  type ComposedAck,
  type ReminderOutcome,
  type ReminderTarget,
} from '@intake/ack-mailer';
import { AppError } from '@intake/domain';
import {
  countsAsConfirmed,
  getApplication,
  getMessageBySha,
  listApplications,
  listMessageShas,
  listMissingApplicants,
  revalidateApplications,
  type ApplicationDetail,
  type StoredMessage,
} from '@intake/register-store';
import { buildAckContext } from './ack-context.js';
import { processArchivedMessage } from './jobs/process-message.handler.js';
import { createMessageParser } from './message-parser.js';
import type { WorkerContext } from './worker-context.js';

/**
 * What staff trigger by hand (CLI now, dashboard buttons): preview or resend
 * a reply, remind applicants of what is missing, reprocess archived mail.
 * Never automatic.
 */
async function resolveMessage(
  ctx: WorkerContext,
  ref: string,
): Promise<{ msg: StoredMessage; app: ApplicationDetail }> {
  const app = await getApplication(ctx.db, /^\d+$/.test(ref) ? Number(ref) : ref);
  if (!app) {
    const bySha = /^[0-9a-f]{64}$/.test(ref) ? await getMessageBySha(ctx.db, ref) : null;
    if (bySha) return { msg: bySha, app: (await getApplication(ctx.db, bySha.applicationId))! };
    throw new AppError('NOT_FOUND', { message: `no application or message ${ref}`, permanent: true });
  }
  // a message receipt number names that message; an application's names its latest mail
  const m =
    app.messages.find((x) => x.receiptNo === ref) ??
    [...app.messages].sort((a, b) => +new Date(b.receivedAt) - +new Date(a.receivedAt))[0];
  if (!m) throw new AppError('NOT_FOUND', { message: `application ${ref} holds no message`, permanent: true });
  const msg = await getMessageBySha(ctx.db, m.sha256);
  if (!msg) throw new AppError('NOT_FOUND', { message: `message ${m.sha256} is not registered`, permanent: true });
  return { msg, app };
}

export async function previewAckFor(ctx: WorkerContext, ref: string): Promise<ComposedAck> {
  const { msg, app } = await resolveMessage(ctx, ref);
  return previewAck(buildAckContext(ctx, msg, app), {
    from: ctx.ackFrom,
    templateDir: ctx.ackTemplateDir,
    timezone: ctx.profile.timezone,
  });
}

export async function resendAckFor(
  ctx: WorkerContext,
  ref: string,
  actor: string,
): Promise<{ status: string; kind: string; to: string }> {
  const { msg, app } = await resolveMessage(ctx, ref);
  const context = buildAckContext(ctx, msg, app);
  const r = await resendAck(ctx.db, msg.sha256, {
    ctx: context,
    from: ctx.ackFrom,
    templateDir: ctx.ackTemplateDir,
    timezone: ctx.profile.timezone,
    transport: ctx.transport,
    applicationId: app.id,
    logger: ctx.logger.child({ sha256: msg.sha256, actor }),
  });
  const composed = composeAck(context, {
    from: ctx.ackFrom,
    templateDir: ctx.ackTemplateDir,
    timezone: ctx.profile.timezone,
  });
  return { status: r.status, kind: r.kind, to: composed.to };
}

/**
 * Who gets a reminder: applications with problems (at their latest mail's
 * reply address) and units that have not applied, at an address the profile
 * knows for them. Units without a known address are listed, not mailed.
 */
export async function reminderTargets(
  ctx: WorkerContext,
): Promise<{ targets: ReminderTarget[]; unreachable: Array<{ code: string; name: string }> }> {
  const targets: ReminderTarget[] = [];
  const base = {
    deadline: ctx.profile.deadline,
    timezone: ctx.profile.timezone,
    contact: ctx.profile.ack.contact,
    submitTo: ctx.ackFrom,
  };
  const { rows } = await listApplications(ctx.db, { problems: true, limit: 10_000, offset: 0 });
  for (const row of rows) {
    if (!row.applicant) continue;
    const app = await getApplication(ctx.db, row.id);
    // never remind (and so tell the state of the application to) an address the address book does not vouch for
    const msg = app ? await latestSubmission(ctx, app) : null;
    if (!app || !msg) continue;
    const full = buildAckContext(ctx, msg, app);
    // the sender's own address, never Reply-To (issue 12.2); none when From and the envelope disagree
    const to = chooseAckRecipient({ from: msg.parsed.from, headers: { ...noEnvelope, ...msg.parsed.headers } }).to;
    if (!to) continue;
    targets.push({
      to,
      ctx: {
        ...base,
        applicant: row.applicant,
        applicationReceiptNo: app.receiptNo,
        application: full.application,
        original: full.original,
      },
    });
  }
  const missing = await listMissingApplicants(ctx.db, ctx.directory);
  const unreachable: Array<{ code: string; name: string }> = [];
  for (const u of missing.units) {
    const known = ctx.profile.senders.find(
      (s) => s.applicantCode === u.code && s.address.includes('@') && !s.address.startsWith('@'),
    );
    if (!known) {
      unreachable.push({ code: u.code, name: u.name });
      continue;
    }
    targets.push({
      to: known.address,
      ctx: {
        ...base,
        applicant: { code: u.code, name: u.name },
        applicationReceiptNo: null,
        application: null,
        original: null,
      },
    });
  }
  return { targets, unreachable };
}

export async function sendReminderBatch(
  ctx: WorkerContext,
  opts: { dryRun: boolean },
): Promise<{ outcomes: ReminderOutcome[]; unreachable: Array<{ code: string; name: string }> }> {
  const { targets, unreachable } = await reminderTargets(ctx);
  const outcomes = await sendReminders(ctx.db, {
    applications: targets,
    transport: ctx.transport,
    dryRun: opts.dryRun,
    from: ctx.ackFrom,
    templateDir: ctx.ackTemplateDir,
    timezone: ctx.profile.timezone,
    logger: ctx.logger,
  });
  return { outcomes, unreachable };
}

/**
 * Re-read archived mail with the current code and profile, in this process:
 * no IMAP fetch, no queue, no reply. Staff corrections are kept (they name
 * their targets by message and attachment hashes and row provenance, which a
 * re-read reproduces) and applied again when the touched applications — and
 * those sharing projects with them — are re-validated afterwards.
 */
export async function reprocessMessages(
  ctx: WorkerContext,
  ref: { all: true } | { receiptNos: string[] },
): Promise<{ messages: number; applications: number }> {
  const shas = await listMessageShas(ctx.db, ref);
  if (shas.length === 0)
    throw new AppError('NOT_FOUND', {
      message: 'all' in ref ? 'the register holds no messages yet' : `no message matches ${ref.receiptNos.join(', ')}`,
      permanent: true,
    });
  const parser = createMessageParser(ctx);
  const touched = new Set<number>();
  try {
    for (const { sha256 } of shas) {
      const r = await processArchivedMessage(ctx, parser, sha256, {
        reprocess: true,
        logger: ctx.logger.child({ sha256, action: 'reprocess' }),
      });
      touched.add(r.applicationId);
      for (const id of r.affectedApplicationIds) touched.add(id);
    }
  } finally {
    await parser.close();
  }
  const { validated } = await revalidateApplications(ctx.db, [...touched], ctx.profile);
  return { messages: shas.length, applications: new Set(validated).size };
}

const noEnvelope = { fromAddress: null, returnPath: null };

/** The newest mail of the application that is a submission (an auto-reply's sender is not who applies). */
async function latestSubmission(ctx: WorkerContext, app: ApplicationDetail): Promise<StoredMessage | null> {
  const vouched = app.messages.filter((m) => m.senderStatus === null || countsAsConfirmed(m.senderStatus));
  for (const m of [...vouched].reverse()) {
    const msg = await getMessageBySha(ctx.db, m.sha256);
    if (msg && (msg.parsed.mailClass?.kind ?? 'submission') === 'submission') return msg;
  }
  return null;
}
