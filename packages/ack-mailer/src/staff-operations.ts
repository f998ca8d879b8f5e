import { createHash } from 'node:crypto';
import { formatInZone } from '@intake/domain';
import type { Db } from '@intake/register-store';
import type { TAckContextInput, TReminderContextInput } from './ack-context.js';
import { composeReminder, composeAck, type ComposedAck, type ComposeOptions } from './compose-ack.js';
import { deliverAck, type DeliverAckResult } from './deliver-ack.js';
import type { AckLogger } from './logger.js';
import { nextResendKind } from '@intake/register-store/ack-outbox';
import type { Transport } from './transport.js';

/** What the dashboard shows before staff press send: the reply as it would go out. */
export function previewAck(ctx: TAckContextInput, opts: ComposeOptions): ComposedAck {
  return composeAck(ctx, opts);
}

export interface ResendOptions extends Omit<ComposeOptions, 'kind'> {
  /** the register's current state of the application, with `resend.changes` */
  ctx: TAckContextInput;
  transport: Transport | null;
  applicationId?: number | null;
  logger?: AckLogger;
}

/**
 * Staff resend the acknowledgment of one message (e.g. after a reprocess
 * changed what was recognised). A new kind 'resend-<n>' per resend, so it is
 * sent once however often the request is retried; no RFC 3834 decision: a
 * person asked for it.
 */
export async function resendAck(
  db: Db,
  sourceSha256: string,
  o: ResendOptions,
): Promise<DeliverAckResult & { kind: string }> {
  const kind = await nextResendKind(db, sourceSha256);
  const ctx = { ...o.ctx, sourceSha256, resend: o.ctx.resend ?? { changes: [] } };
  const result = await deliverAck(db, {
    sourceSha256,
    kind,
    applicationId: o.applicationId ?? null,
    transport: o.transport,
    logger: o.logger,
    compose: () => composeAck(ctx, { from: o.from, templateDir: o.templateDir, timezone: o.timezone, kind }),
  });
  return { ...result, kind };
}

export interface ReminderTarget {
  to: string;
  ctx: TReminderContextInput;
}

export interface SendRemindersOptions extends Omit<ComposeOptions, 'kind'> {
  applications: ReminderTarget[];
  transport: Transport | null;
  /** compose and return the reminders without storing or sending anything */
  dryRun: boolean;
  /** the day the reminder is for (one reminder per unit per day) @defaultValue today in the campaign's time zone */
  date?: string;
  logger?: AckLogger;
}

export interface ReminderOutcome {
  to: string;
  applicantCode: string;
  kind: string;
  status: 'dry-run' | DeliverAckResult['status'] | 'error';
  ack: ComposedAck | null;
  error?: string;
}

/** The outbox key of a reminder: there may be no source message at all (a unit that has not applied). */
export function reminderSourceKey(applicantCode: string, to: string): string {
  return createHash('sha256').update(`reminder\n${applicantCode}\n${to.toLowerCase()}`).digest('hex');
}

/**
 * The missing-items reminder (提醒), only ever on a staff request. Each unit
 * is handled on its own: one failure is reported and the rest still go out;
 * re-running the same day sends nothing twice.
 */
export async function sendReminders(db: Db, o: SendRemindersOptions): Promise<ReminderOutcome[]> {
  const out: ReminderOutcome[] = [];
  for (const target of o.applications) {
    const code = target.ctx.applicant.code;
    const date = o.date ?? formatInZone(new Date(), o.timezone ?? target.ctx.timezone).slice(0, 10);
    const kind = `reminder-${date}-${code.toLowerCase().replace(/[^a-z0-9]+/g, '')}`;
    const sourceSha256 = reminderSourceKey(code, target.to);
    const compose = (): ComposedAck =>
      composeReminder(target.ctx, {
        from: o.from,
        to: target.to,
        templateDir: o.templateDir,
        timezone: o.timezone,
        sourceSha256,
        kind,
      });
    try {
      if (o.dryRun) {
        out.push({ to: target.to, applicantCode: code, kind, status: 'dry-run', ack: compose() });
        continue;
      }
      const r = await deliverAck(db, { sourceSha256, kind, transport: o.transport, logger: o.logger, compose });
      out.push({ to: target.to, applicantCode: code, kind, status: r.status, ack: null });
    } catch (err) {
      o.logger?.warn({ code: 'ack.reminder-failed', err, applicantCode: code }, 'reminder not sent');
      out.push({
        to: target.to,
        applicantCode: code,
        kind,
        status: 'error',
        ack: null,
        error: (err as Error).message,
      });
    }
  }
  return out;
}
