import type { MailKind, TCampaignProfile, TParsedMessage } from '@intake/domain';
import { projectKey } from '@intake/validation-rules';
import type { Db, Queryable } from './db.js';
import {
  LOCK_MESSAGE,
  applicantNames,
  lockApplicantsOf,
  lockApplication,
  lockKey,
  moveMessage,
  refreshApplicationTimes,
  resolveApplication,
  type AppRef,
} from './application-groups.js';
import { writeAudit } from './audit-log.js';
import { hasIdentityCorrection } from './corrections/correction-store.js';
import {
  clusterKeysRelated,
  extractAddress,
  messageIdentityKey,
  normalizeClusterName,
  type MessageContent,
} from './normalize.js';
import { formatMessageReceiptNo } from './receipt-number.js';
import { registerSender } from './sender-book.js';

export interface RegisterMessageInput {
  parsed: TParsedMessage;
  /** the raw message's sha256 */
  sha256: string;
  /** the server's receipt time of this delivery */
  receivedAt: Date;
  receivedAtSource: string;
  profile: TCampaignProfile;
  parserVersion: string;
  /** `intake reprocess`: replace the parsed data even when the parser version is unchanged (a new profile) */
  reprocess?: boolean;
  /** @defaultValue 'pipeline' */
  actor?: string;
  /**
   * Not a submission (parsed.mailClass: an auto-reply, a bounce, an answer to
   * our reply): it joins this application, the one it refers to, instead of
   * being grouped by its content. Null: grouped by content like any mail.
   */
  joinApplicationId?: number | null;
}

export interface RegisterMessageResult {
  applicationId: number;
  applicationReceiptNo: string;
  messageRowId: number;
  messageReceiptNo: string;
  /** false when this message was already registered (another delivery, a variant, a reprocess) */
  created: boolean;
  /** applications to validate again (always includes the message's own) */
  affectedApplicationIds: number[];
}

interface MessageRow {
  id: number;
  application_id: number;
  receipt_no: string;
  sha256: string;
  other_sha256: string[];
  parser_version: string;
  received_at: Date;
  assigned_manually: boolean;
}

/**
 * Put one parsed message into the register, in one transaction: de-duplicate
 * it (see migration 002 for what counts as the same message), find or create
 * its application, store its attachments and projects. Safe to call again for
 * the same message (job retries, double deliveries, `intake reprocess`).
 */
export async function registerMessage(db: Db, input: RegisterMessageInput): Promise<RegisterMessageResult> {
  const fromAddress = input.parsed.headers?.fromAddress?.toLowerCase() ?? extractAddress(input.parsed.from);
  const identity = messageIdentityKey(input.parsed.messageId, fromAddress, input.sha256, contentOf(input.parsed));
  return db.tx(async (q) => {
    await lockKey(q, LOCK_MESSAGE, identity);
    const found = await q.query<MessageRow>(
      `select id, application_id, receipt_no, sha256, other_sha256, parser_version, received_at, assigned_manually
       from messages where sha256 = $1 or identity_key = $2 or other_sha256 @> array[$1]::text[]
       order by (sha256 = $1) desc limit 1`,
      [input.sha256, identity],
    );
    return found[0] ? updateExisting(q, input, found[0]) : insertNew(q, input, identity, fromAddress);
  });
}

async function insertNew(
  q: Queryable,
  input: RegisterMessageInput,
  identity: string,
  fromAddress: string | null,
): Promise<RegisterMessageResult> {
  const p = input.parsed;
  const app =
    (input.joinApplicationId ? await lockApplicationIfLive(q, input.joinApplicationId) : null) ??
    (await resolveApplication(q, input.profile, {
      applicant: p.applicant,
      cluster: p.cluster,
      field: p.field,
      sha256: input.sha256,
    }));
  const seqRows = await q.query<{ last_message_seq: number }>(
    'update applications set last_message_seq = last_message_seq + 1 where id = $1 returning last_message_seq',
    [app.id],
  );
  const receiptNo = formatMessageReceiptNo(app.receiptNo, Number(seqRows[0]?.last_message_seq));
  const rows = await q.query<{ id: number }>(
    `insert into messages (application_id, receipt_no, sha256, identity_key, message_id, from_header, from_address, subject,
       received_at, received_at_source, applicant_code, cluster_key, parsed, parser_version, flag_codes, mail_class)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id`,
    [
      app.id,
      receiptNo,
      input.sha256,
      identity,
      p.messageId,
      p.from,
      fromAddress,
      p.subject,
      input.receivedAt,
      input.receivedAtSource,
      p.applicant?.code ?? null,
      clusterKeyOf(p),
      JSON.stringify(p),
      input.parserVersion,
      p.flags.map((f) => f.code),
      mailKindOf(p),
    ],
  );
  const messageRowId = Number(rows[0]?.id);
  // resolveApplication holds the applicant's lock: two first mails cannot both propose
  if (p.applicant)
    await registerSender(q, input.profile, {
      applicantCode: p.applicant.code,
      address: fromAddress,
      receivedAt: input.receivedAt,
      applicationId: app.id,
      messageRowId,
      actor: input.actor ?? 'pipeline',
    });
  await writeContents(q, app.id, messageRowId, p);
  await refreshApplicationTimes(q, app.id);
  await writeAudit(q, {
    actor: input.actor ?? 'pipeline',
    action: 'message-registered',
    applicationId: app.id,
    messageRowId: messageRowId,
    details: { receiptNo, sha256: input.sha256 },
  });
  return {
    applicationId: app.id,
    applicationReceiptNo: app.receiptNo,
    messageRowId: messageRowId,
    messageReceiptNo: receiptNo,
    created: true,
    affectedApplicationIds: [app.id],
  };
}

/**
 * Another delivery or variant of a known message keeps the earliest receipt
 * time; a new parser version replaces the parsed data (reprocess) and may
 * regroup the message — unless staff assigned it by hand.
 */
async function updateExisting(
  q: Queryable,
  input: RegisterMessageInput,
  m: MessageRow,
): Promise<RegisterMessageResult> {
  const reprocess = input.reprocess === true || m.parser_version !== input.parserVersion;
  // a reprocess may regroup: take the applicant locks before any application row lock (see LOCK_MESSAGE)
  if (reprocess) await lockApplicantsOf(q, input.profile, [m.application_id], [input.parsed.applicant?.code ?? null]);
  let app = await lockApplication(q, m.application_id);
  const isVariant = m.sha256 !== input.sha256 && !m.other_sha256.includes(input.sha256);
  await q.query(
    `update messages set
       other_sha256 = case when $2 then array_append(other_sha256, $3::text) else other_sha256 end,
       received_at_source = case when $4::timestamptz < received_at then $5 else received_at_source end,
       received_at = least(received_at, $4::timestamptz), updated_at = now()
     where id = $1`,
    [m.id, isVariant, input.sha256, input.receivedAt, input.receivedAtSource],
  );
  const affected = new Set<number>([app.id]);
  if (reprocess) {
    const p = input.parsed;
    await q.query(
      `update messages set parsed = $2, parser_version = $3, flag_codes = $4, applicant_code = $5, cluster_key = $6,
         subject = $7, from_header = $8, mail_class = $9, updated_at = now() where id = $1`,
      [
        m.id,
        JSON.stringify(p),
        input.parserVersion,
        p.flags.map((f) => f.code),
        p.applicant?.code ?? null,
        clusterKeyOf(p),
        p.subject,
        p.from,
        mailKindOf(p),
      ],
    );
    await q.query('delete from attachments where message_id = $1', [m.id]);
    await q.query('delete from projects where message_id = $1', [m.id]);
    await writeContents(q, app.id, m.id, p);
    // staff placed it (moved it, or corrected who the application is): a re-read never moves it back
    const placedByStaff = m.assigned_manually || (await hasIdentityCorrection(q, app.id));
    // correspondence stays with the application it answers, whatever its own words name
    const placedByThread = mailKindOf(p) !== 'submission';
    if (!placedByStaff && !placedByThread && !(await stillBelongs(q, app.id, p))) {
      const target = await resolveApplication(q, input.profile, {
        applicant: p.applicant,
        cluster: p.cluster,
        field: p.field,
        sha256: m.sha256,
      });
      for (const id of await moveMessage(q, m.id, app.id, target.id, false, { actor: input.actor ?? 'pipeline' }))
        affected.add(id);
      await writeAudit(q, {
        actor: input.actor ?? 'pipeline',
        action: 'message-regrouped',
        applicationId: target.id,
        messageRowId: m.id,
        details: { from: app.receiptNo, to: target.receiptNo },
      });
      app = target;
    }
    await writeAudit(q, {
      actor: input.actor ?? 'pipeline',
      action: 'message-reprocessed',
      applicationId: app.id,
      messageRowId: m.id,
      details: { parserVersion: input.parserVersion },
    });
  }
  await refreshApplicationTimes(q, app.id);
  return {
    applicationId: app.id,
    applicationReceiptNo: app.receiptNo,
    messageRowId: m.id,
    messageReceiptNo: m.receipt_no,
    created: false,
    affectedApplicationIds: [...affected],
  };
}

const mailKindOf = (p: TParsedMessage): MailKind => p.mailClass?.kind ?? 'submission';

/** What a mail without a Message-ID is as its sender knows it (see messageIdentityKey). */
function contentOf(p: TParsedMessage): MessageContent | null {
  const date = p.headers?.dateHeader?.trim();
  if (!date) return null;
  return {
    from: p.from,
    date,
    subject: p.subject,
    body: p.bodyExcerpt ?? '',
    attachmentSha256s: p.attachments.map((a) => a.sha256),
  };
}

/** The application a reply or bounce refers to, locked; null when it is gone (retired into another). */
async function lockApplicationIfLive(q: Queryable, id: number): Promise<AppRef | null> {
  const rows = await q.query<{ id: number }>('select id from applications where id = $1', [id]);
  return rows[0] ? lockApplication(q, id) : null;
}

function clusterKeyOf(p: TParsedMessage): string | null {
  return p.applicant ? normalizeClusterName(p.cluster, applicantNames(p.applicant)) : null;
}

/** A reprocessed message stays where it is while its applicant (and cluster, when it names one) still match. */
async function stillBelongs(q: Queryable, appId: number, p: TParsedMessage): Promise<boolean> {
  const rows = await q.query<{ applicant_code: string | null; cluster_key: string | null; group_key: string }>(
    'select applicant_code, cluster_key, group_key from applications where id = $1',
    [appId],
  );
  const a = rows[0];
  if (!a) return false;
  if (!p.applicant) return a.applicant_code === null;
  if (a.applicant_code !== p.applicant.code) return false;
  const key = clusterKeyOf(p) ?? '';
  return key === '' || key === (a.cluster_key ?? '') || clusterKeysRelated(key, a.cluster_key ?? '');
}

async function writeContents(q: Queryable, appId: number, messageRowId: number, p: TParsedMessage): Promise<void> {
  if (p.attachments.length > 0) {
    // one multi-row insert, like the projects below: this transaction holds the application's row
    // (and, for a new application, the receipt counter) locked, so every round trip here is one
    // that the other worker processes wait out
    const ap: unknown[] = [messageRowId];
    const rows = p.attachments.map((a) => {
      const base = ap.length;
      ap.push(a.path, a.filename, a.sha256, a.bytes, a.kind, a.copy, a.roles, a.error ?? null);
      return `($1, ${Array.from({ length: 8 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    await q.query(
      `insert into attachments (message_id, path, filename, sha256, bytes, kind, copy, roles, error)
       values ${rows.join(', ')} on conflict (message_id, path) do nothing`,
      ap,
    );
  }
  if (p.projects.length === 0) return;
  // one multi-row insert: a project table has tens to hundreds of rows
  const params: unknown[] = [appId, messageRowId];
  const values = p.projects.map((pr) => {
    const base = params.length;
    params.push(
      pr.name,
      pr.owner,
      pr.location,
      pr.totalInvestment,
      pr.period,
      pr.sheet,
      pr.row,
      pr.source ?? null,
      projectKey(pr),
    );
    return `($1, $2, ${Array.from({ length: 9 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
  });
  await q.query(
    `insert into projects (application_id, message_id, name, owner, location, total_investment, period, sheet, "row", source, project_key)
     values ${values.join(', ')}`,
    params,
  );
}
