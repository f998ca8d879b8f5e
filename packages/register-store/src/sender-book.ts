import { z } from 'zod';
import { AppError, type TCampaignProfile } from '@intake/domain';
import type { Db, Queryable } from './db.js';
import { writeAudit } from './audit-log.js';
import {
  profileEntries,
  senderStatusOf,
  shouldProposeSender,
  type BookEntry,
  type BookSource,
  type BookState,
  type SenderStatus,
} from './sender-trust.js';

/**
 * The per-applicant address book (migration 005): its rows plus the campaign
 * profile's `senders`. The only module with SQL for `sender_addresses`.
 */

interface BookRow {
  applicant_code: string;
  address: string;
  state: BookState;
  source: 'first-mail' | 'staff';
  decided_by: string | null;
  decided_at: Date | null;
}

/** One applicant's entries: the profile's first, then the rows. */
export async function loadBookEntries(
  q: Queryable,
  profile: TCampaignProfile,
  applicantCode: string,
): Promise<BookEntry[]> {
  const rows = await q.query<BookRow>(
    'select address, state, source from sender_addresses where campaign_id = $1 and applicant_code = $2',
    [profile.id, applicantCode],
  );
  return [...profileEntries(profile, applicantCode), ...rows.map((r) => ({ ...r }))];
}

/**
 * Called under the applicant's lock when a message is registered: the
 * applicant's first on-time mail proposes its address (shouldProposeSender).
 * Returns the sender's standing, stored on the message at once so that no
 * reply is composed for it before the book was asked (validation refreshes it).
 */
export async function registerSender(
  q: Queryable,
  profile: TCampaignProfile,
  m: {
    applicantCode: string;
    address: string | null;
    receivedAt: Date;
    applicationId: number;
    messageRowId: number;
    actor: string;
  },
): Promise<SenderStatus> {
  const entries = await loadBookEntries(q, profile, m.applicantCode);
  let status = senderStatusOf(m.address, entries);
  if (shouldProposeSender(m.address, m.receivedAt, entries, profile)) {
    const inserted = await q.query(
      `insert into sender_addresses (campaign_id, applicant_code, address, state, source, first_message_id)
       values ($1, $2, $3, 'proposed', 'first-mail', $4) on conflict do nothing returning id`,
      [profile.id, m.applicantCode, m.address!.toLowerCase(), m.messageRowId],
    );
    if (inserted.length > 0) {
      status = 'proposed';
      await writeAudit(q, {
        actor: m.actor,
        action: 'sender-proposed',
        applicationId: m.applicationId,
        messageRowId: m.messageRowId,
        details: { applicantCode: m.applicantCode, address: m.address },
      });
    }
  }
  await q.query('update messages set sender_status = $2 where id = $1', [m.messageRowId, status]);
  return status;
}

/** A staff decision from the dashboard; messages in Chinese, shown as they are. */
export const ZSenderDecision = z.object({
  applicantCode: z.string({ error: '申报单位无效' }).regex(/^\d{6}$/, '申报单位无效'),
  address: z
    .string({ error: '邮箱地址无效' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: '邮箱地址无效' }).max(254, '邮箱地址无效')),
  decision: z.enum(['confirmed', 'rejected'], { error: '请选择确认或否认' }),
});
export type TSenderDecision = z.infer<typeof ZSenderDecision>;

/**
 * Confirm or reject an address for an applicant (a staff decision replaces a
 * proposal or an earlier decision), with an audit entry on every application
 * of that applicant. Returns those applications: validate them again, their
 * UNCONFIRMED_SENDER and current documents follow the decision.
 */
export async function decideSender(
  db: Db,
  profile: TCampaignProfile,
  input: unknown,
  actor: string,
): Promise<{ decision: TSenderDecision; affectedApplicationIds: number[] }> {
  const parsed = ZSenderDecision.safeParse(input);
  if (!parsed.success)
    throw new AppError('INVALID_INPUT', { message: parsed.error.issues[0]?.message ?? '输入无效', permanent: true });
  const d = parsed.data;
  return db.tx(async (q) => {
    const before = await q.query<{ state: BookState; source: string }>(
      `select state, source from sender_addresses where campaign_id = $1 and applicant_code = $2 and address = $3 for update`,
      [profile.id, d.applicantCode, d.address],
    );
    await q.query(
      `insert into sender_addresses (campaign_id, applicant_code, address, state, source, decided_by, decided_at)
       values ($1, $2, $3, $4, 'staff', $5, now())
       on conflict (campaign_id, applicant_code, address)
       do update set state = excluded.state, source = 'staff', decided_by = excluded.decided_by, decided_at = now()`,
      [profile.id, d.applicantCode, d.address, d.decision, actor],
    );
    const apps = await q.query<{ id: number }>(
      'select id from applications where campaign_id = $1 and applicant_code = $2 order by id',
      [profile.id, d.applicantCode],
    );
    const details = {
      applicantCode: d.applicantCode,
      address: d.address,
      previous: before[0] ? `${before[0].state} (${before[0].source})` : null,
    };
    const action = d.decision === 'confirmed' ? 'sender-confirmed' : 'sender-rejected';
    if (apps.length === 0) await writeAudit(q, { actor, action, details });
    for (const a of apps) await writeAudit(q, { actor, action, applicationId: a.id, details });
    return { decision: d, affectedApplicationIds: apps.map((a) => a.id) };
  });
}

export interface SenderBookLine {
  applicantCode: string;
  applicantName: string | null;
  address: string;
  status: SenderStatus;
  /** null: only seen on mail, never in the book */
  source: BookSource | null;
  messageCount: number;
  lastReceivedAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/**
 * The address book page: every book entry and profile address, and every
 * address that wrote for an applicant without being in its book (unconfirmed).
 */
export async function listSenderBook(q: Queryable, profile: TCampaignProfile): Promise<SenderBookLine[]> {
  const rows = await q.query<BookRow>(
    `select applicant_code, address, state, source, decided_by, decided_at from sender_addresses
     where campaign_id = $1`,
    [profile.id],
  );
  const seen = await q.query<{
    applicant_code: string;
    applicant_name: string | null;
    address: string;
    n: number;
    last_at: Date;
  }>(
    `select a.applicant_code, max(a.applicant_name) as applicant_name, m.from_address as address,
       count(*)::int as n, max(m.received_at) as last_at
     from messages m join applications a on a.id = m.application_id
     where a.campaign_id = $1 and a.applicant_code is not null and m.from_address is not null
     group by a.applicant_code, m.from_address`,
    [profile.id],
  );
  const names = new Map(seen.map((s) => [s.applicant_code, s.applicant_name]));
  const lines = new Map<string, SenderBookLine>();
  const key = (code: string, address: string) => `${code}|${address}`;
  const line = (code: string, address: string): SenderBookLine => ({
    applicantCode: code,
    applicantName: names.get(code) ?? null,
    address,
    status: 'unconfirmed',
    source: null,
    messageCount: 0,
    lastReceivedAt: null,
    decidedBy: null,
    decidedAt: null,
  });
  for (const s of profile.senders) {
    const code = s.applicantCode;
    const address = s.address.trim().toLowerCase();
    lines.set(key(code, address), { ...line(code, address), status: 'confirmed', source: 'profile' });
  }
  for (const r of rows) {
    const k = key(r.applicant_code, r.address);
    lines.set(k, {
      ...(lines.get(k) ?? line(r.applicant_code, r.address)),
      status: r.state,
      source: r.source,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
    });
  }
  const entriesByCode = new Map<string, BookEntry[]>();
  for (const s of seen) {
    const entries = entriesByCode.get(s.applicant_code) ?? [
      ...profileEntries(profile, s.applicant_code),
      ...rows.filter((r) => r.applicant_code === s.applicant_code).map((r) => ({ ...r })),
    ];
    entriesByCode.set(s.applicant_code, entries);
    const k = key(s.applicant_code, s.address);
    const existing = lines.get(k) ?? {
      ...line(s.applicant_code, s.address),
      status: senderStatusOf(s.address, entries),
    };
    lines.set(k, { ...existing, messageCount: s.n, lastReceivedAt: s.last_at });
  }
  const order: Record<SenderStatus, number> = { unconfirmed: 0, proposed: 1, rejected: 2, confirmed: 3 };
  return [...lines.values()].sort(
    (a, b) =>
      order[a.status] - order[b.status] ||
      a.applicantCode.localeCompare(b.applicantCode) ||
      a.address.localeCompare(b.address),
  );
}
