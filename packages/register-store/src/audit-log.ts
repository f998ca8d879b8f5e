import type { Queryable } from './db.js';

export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  action: string;
  applicationId: number | null;
  messageRowId: number | null;
  details: Record<string, unknown>;
}

export async function writeAudit(
  q: Queryable,
  e: {
    actor: string;
    action: string;
    applicationId?: number | null;
    messageRowId?: number | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await q.query(
    'insert into audit_log (actor, action, application_id, message_id, details) values ($1, $2, $3, $4, $5)',
    [e.actor, e.action, e.applicationId ?? null, e.messageRowId ?? null, JSON.stringify(e.details ?? {})],
  );
}

/** Oldest first: the story of one application. */
export async function listAuditLog(q: Queryable, applicationId: number): Promise<AuditEntry[]> {
  const rows = await q.query<{
    id: number;
    at: Date;
    actor: string;
    action: string;
    application_id: number | null;
    message_id: number | null;
    details: Record<string, unknown>;
  }>('select * from audit_log where application_id = $1 order by at, id', [applicationId]);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    applicationId: r.application_id === null ? null : r.application_id,
    messageRowId: r.message_id === null ? null : r.message_id,
    details: r.details,
  }));
}
