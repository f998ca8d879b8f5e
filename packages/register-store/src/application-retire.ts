import type { Queryable } from './db.js';
import { writeAudit } from './audit-log.js';
import { handOverCorrections } from './corrections/correction-store.js';

/**
 * An application that stops existing because its mail now belongs to another
 * (staff merged it, moved its last message away, or a reprocess regrouped
 * it): its receipt number keeps leading to the application that took its
 * mail (application_aliases), its own corrections move there, and the audit
 * log records it on both. The caller has moved the messages already and holds
 * both rows' locks.
 */
export async function retireApplication(
  q: Queryable,
  fromAppId: number,
  toAppId: number,
  actor: string,
  reason: string,
): Promise<void> {
  const rows = await q.query<{ id: number; receipt_no: string }>(
    'select id, receipt_no from applications where id = any($1::bigint[])',
    [[fromAppId, toAppId]],
  );
  const from = rows.find((r) => r.id === fromAppId);
  const to = rows.find((r) => r.id === toAppId);
  if (!from || !to) throw new Error(`retireApplication: application ${fromAppId} or ${toAppId} not found`);
  // earlier numbers that led to the retired application lead on to its successor
  await q.query('update application_aliases set application_id = $2 where application_id = $1', [fromAppId, toAppId]);
  await q.query(
    `insert into application_aliases (receipt_no, application_id, reason) values ($1, $2, $3)
     on conflict (receipt_no) do update set application_id = excluded.application_id, reason = excluded.reason,
       retired_at = now()`,
    [from.receipt_no, toAppId, reason],
  );
  await handOverCorrections(q, fromAppId, toAppId, actor, to.receipt_no);
  const details = { retiredReceiptNo: from.receipt_no, intoReceiptNo: to.receipt_no, reason };
  await writeAudit(q, { actor, action: 'application-retired', applicationId: fromAppId, details });
  await writeAudit(q, { actor, action: 'application-absorbed', applicationId: toAppId, details });
  await q.query('delete from applications where id = $1', [fromAppId]);
}

/** The application a retired receipt number now leads to, or null when the number was never retired. */
export async function resolveRetiredReceiptNo(
  q: Queryable,
  receiptNo: string,
): Promise<{ applicationId: number; reason: string } | null> {
  const rows = await q.query<{ application_id: number; reason: string }>(
    'select application_id, reason from application_aliases where receipt_no = $1',
    [receiptNo],
  );
  return rows[0] ? { applicationId: rows[0].application_id, reason: rows[0].reason } : null;
}

/** Receipt numbers that lead to this application after merges. */
export async function listRetiredReceiptNos(q: Queryable, applicationId: number): Promise<string[]> {
  const rows = await q.query<{ receipt_no: string }>(
    'select receipt_no from application_aliases where application_id = $1 order by receipt_no',
    [applicationId],
  );
  return rows.map((r) => r.receipt_no);
}
