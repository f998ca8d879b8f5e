import type { Queryable } from './db.js';

/** One delivery of a raw message into the system (an IMAP UID or an imported file). */
export interface DeliveryInput {
  origin: 'imap' | 'import';
  mailbox: string;
  uidValidity?: number | null;
  uid?: number | null;
  /** imports: file path (+ mbox offset); unique per import */
  sourceRef?: string | null;
  sha256: string;
  messageId: string | null;
  receivedAt: Date;
  receivedAtSource: 'server' | 'mbox' | 'date-header' | 'received-header' | 'file-mtime';
  flags?: string[];
}

export interface LedgerRow {
  id: number;
  origin: 'imap' | 'import';
  mailbox: string;
  uid_validity: number | null;
  uid: number | null;
  source_ref: string | null;
  sha256: string;
  message_id: string | null;
  received_at: Date;
  received_at_source: string;
  flags: string[];
  status: 'archived' | 'queued' | 'processing' | 'done' | 'failed';
  error: string | null;
  job_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Record a delivery after its raw bytes are archived. Idempotent on the
 * delivery's identity (mailbox+UIDVALIDITY+UID, or the import source), so a
 * poller killed before it checkpointed records nothing twice when it re-reads.
 */
export async function recordDelivery(q: Queryable, d: DeliveryInput): Promise<{ row: LedgerRow; created: boolean }> {
  const inserted = await q.query<LedgerRow>(
    `insert into mail_ledger (origin, mailbox, uid_validity, uid, source_ref, sha256, message_id, received_at, received_at_source, flags)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
     on conflict do nothing returning *`,
    [
      d.origin,
      d.mailbox,
      d.uidValidity ?? null,
      d.uid ?? null,
      d.sourceRef ?? null,
      d.sha256,
      d.messageId,
      d.receivedAt,
      d.receivedAtSource,
      d.flags ?? [],
    ],
  );
  if (inserted[0]) return { row: inserted[0], created: true };
  const existing =
    d.origin === 'imap'
      ? await q.query<LedgerRow>(
          'select * from mail_ledger where origin = $1 and mailbox = $2 and uid_validity = $3 and uid = $4',
          ['imap', d.mailbox, d.uidValidity, d.uid],
        )
      : await q.query<LedgerRow>('select * from mail_ledger where origin = $1 and source_ref = $2', [
          'import',
          d.sourceRef,
        ]);
  if (!existing[0]) throw new Error(`ledger conflict without a row for ${d.mailbox}/${d.uid ?? d.sourceRef}`);
  return { row: existing[0], created: false };
}

/** The deliveries whose job is in Redis (one statement for a whole fetch batch). */
/**
 * recordDelivery for a whole fetch batch in one statement (a resync batch,
 * which must try remapping each message first, goes one by one instead).
 */
export async function recordDeliveries(
  q: Queryable,
  ds: DeliveryInput[],
): Promise<Array<{ row: LedgerRow; created: boolean }>> {
  if (ds.length === 0) return [];
  const params: unknown[] = [];
  const tuples = ds.map((d) => {
    params.push(
      d.origin,
      d.mailbox,
      d.uidValidity ?? null,
      d.uid ?? null,
      d.sourceRef ?? null,
      d.sha256,
      d.messageId,
      d.receivedAt,
      d.receivedAtSource,
      d.flags ?? [],
    );
    const b = params.length - 10;
    return `(${Array.from({ length: 10 }, (_, i) => `$${b + i + 1}`).join(', ')})`;
  });
  const inserted = await q.query<LedgerRow>(
    `insert into mail_ledger (origin, mailbox, uid_validity, uid, source_ref, sha256, message_id, received_at, received_at_source, flags)
     values ${tuples.join(', ')} on conflict do nothing returning *`,
    params,
  );
  const keyOf = (r: {
    origin: string;
    mailbox: string;
    uid_validity?: unknown;
    uid?: unknown;
    source_ref?: unknown;
  }) =>
    r.origin === 'imap'
      ? `imap|${r.mailbox}|${Number(r.uid_validity)}|${Number(r.uid)}`
      : `import|${String(r.source_ref)}`;
  const created = new Map(inserted.map((r) => [keyOf(r), r]));
  const out: Array<{ row: LedgerRow; created: boolean }> = [];
  for (const d of ds) {
    const k = keyOf({
      origin: d.origin,
      mailbox: d.mailbox,
      uid_validity: d.uidValidity,
      uid: d.uid,
      source_ref: d.sourceRef,
    });
    const row = created.get(k);
    out.push(row ? { row, created: true } : await recordDelivery(q, d));
  }
  return out;
}

/** The checkpoint upsert with its three parameters numbered from `$first` (so it can follow other statements). */
function saveSyncStateSql(first: number): string {
  const [m, v, u] = [first, first + 1, first + 2].map((n) => `$${n}`);
  return `insert into mailbox_sync_state (mailbox, uid_validity, last_uid, last_sync_at) values (${m},${v},${u}, now())
     on conflict (mailbox) do update set
       last_uid = case when mailbox_sync_state.uid_validity = excluded.uid_validity
                       then greatest(mailbox_sync_state.last_uid, excluded.last_uid) else excluded.last_uid end,
       uid_validity = excluded.uid_validity, last_sync_at = now(), updated_at = now()`;
}

/**
 * Ledger rows whose jobs are now in Redis. With `checkpoint` the mailbox's
 * checkpoint moves in the same statement (one round trip per FETCH batch): the
 * caller passes it only when nothing else (a mailbox action) has to happen
 * between queueing and checkpointing.
 */
export async function markQueued(
  q: Queryable,
  rows: Array<{ id: number; jobId: string }>,
  checkpoint?: SyncState,
): Promise<void> {
  if (rows.length === 0) {
    if (checkpoint) await saveSyncState(q, checkpoint);
    return;
  }
  const update = `update mail_ledger l set status = case when l.status = 'archived' then 'queued' else l.status end,
       job_id = v.job_id, updated_at = now()
     from (select unnest($1::bigint[]) as id, unnest($2::text[]) as job_id) v where l.id = v.id`;
  if (!checkpoint) {
    await q.query(update, [rows.map((r) => r.id), rows.map((r) => r.jobId)]);
    return;
  }
  await q.query(`with marked as (${update} returning 1) ${saveSyncStateSql(3)}`, [
    rows.map((r) => r.id),
    rows.map((r) => r.jobId),
    checkpoint.mailbox,
    checkpoint.uidValidity,
    checkpoint.lastUid,
  ]);
}

/** Status of every delivery of one raw message (a double delivery shares the outcome). */
export async function setLedgerStatus(
  q: Queryable,
  sha256: string,
  status: LedgerRow['status'],
  error: string | null = null,
): Promise<void> {
  await q.query('update mail_ledger set status = $2, error = $3, updated_at = now() where sha256 = $1', [
    sha256,
    status,
    error,
  ]);
}

export async function listLedger(q: Queryable, opts: { mailbox?: string; sha256?: string } = {}): Promise<LedgerRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.mailbox) {
    params.push(opts.mailbox);
    where.push(`mailbox = $${params.length}`);
  }
  if (opts.sha256) {
    params.push(opts.sha256);
    where.push(`sha256 = $${params.length}`);
  }
  return q.query<LedgerRow>(
    `select * from mail_ledger ${where.length ? 'where ' + where.join(' and ') : ''} order by id`,
    params,
  );
}

/** Deliveries archived but never enqueued (a crash between the two): the poller re-enqueues them at start. */
export async function listUnqueued(q: Queryable, limit = 1000): Promise<LedgerRow[]> {
  return q.query<LedgerRow>(`select * from mail_ledger where status = 'archived' order by id limit $1`, [limit]);
}

export interface SyncState {
  mailbox: string;
  uidValidity: number;
  lastUid: number;
}

export async function getSyncState(q: Queryable, mailbox: string): Promise<SyncState | null> {
  const rows = await q.query<{ uid_validity: number; last_uid: number }>(
    'select uid_validity, last_uid from mailbox_sync_state where mailbox = $1',
    [mailbox],
  );
  const r = rows[0];
  return r ? { mailbox, uidValidity: r.uid_validity, lastUid: r.last_uid } : null;
}

/** The checkpoint only moves forward within one UIDVALIDITY. */
export async function saveSyncState(q: Queryable, s: SyncState): Promise<void> {
  await q.query(saveSyncStateSql(1), [s.mailbox, s.uidValidity, s.lastUid]);
}

/**
 * After a UIDVALIDITY change the same mail shows up under new UIDs. A message
 * we already hold (same bytes, else same Message-ID) that has not been
 * re-mapped yet in this resync takes the new UID instead of becoming a new
 * delivery; two identical deliveries still pair one-to-one.
 */
export async function remapDelivery(
  q: Queryable,
  m: { mailbox: string; newUidValidity: number; uid: number; sha256: string; messageId: string | null },
): Promise<boolean> {
  const pick = async (col: 'sha256' | 'message_id', value: string): Promise<number | null> => {
    const rows = await q.query<{ id: number }>(
      `select id from mail_ledger where origin = 'imap' and mailbox = $1 and ${col} = $2 and uid_validity <> $3
       order by id limit 1 for update`,
      [m.mailbox, value, m.newUidValidity],
    );
    return rows[0] ? rows[0].id : null;
  };
  const id = (await pick('sha256', m.sha256)) ?? (m.messageId ? await pick('message_id', m.messageId) : null);
  if (id === null) return false;
  await q.query('update mail_ledger set uid_validity = $2, uid = $3, updated_at = now() where id = $1', [
    id,
    m.newUidValidity,
    m.uid,
  ]);
  return true;
}
