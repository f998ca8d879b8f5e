import type { Queryable } from '../db.js';

/**
 * The `corrections` table (migration 006): SQL and row type, owned here.
 * Active corrections have removed_at null; at most one is active per target
 * and field (a newer one supersedes the older, which is kept as history).
 */
export const CORRECTION_SCOPES = ['application', 'attachment', 'project', 'project-added'] as const;
export type CorrectionScope = (typeof CORRECTION_SCOPES)[number];

export interface CorrectionRow {
  id: number;
  /** the application it applies to now: a message-scoped fix follows its message when staff move it */
  applicationId: number;
  scope: CorrectionScope;
  messageSha256: string | null;
  targetKey: string;
  projectKey: string | null;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string;
  actor: string;
  at: Date;
  removedAt: Date | null;
  removedBy: string | null;
  removedReason: string | null;
}

interface DbRow {
  id: number;
  current_application_id: number;
  scope: CorrectionScope;
  message_sha256: string | null;
  target_key: string;
  project_key: string | null;
  field: string;
  old_value: unknown;
  new_value: unknown;
  reason: string;
  actor: string;
  created_at: Date;
  removed_at: Date | null;
  removed_by: string | null;
  removed_reason: string | null;
}

function toRow(r: DbRow): CorrectionRow {
  return {
    id: r.id,
    applicationId: r.current_application_id,
    scope: r.scope,
    messageSha256: r.message_sha256,
    targetKey: r.target_key,
    projectKey: r.project_key,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    reason: r.reason,
    actor: r.actor,
    at: r.created_at,
    removedAt: r.removed_at,
    removedBy: r.removed_by,
    removedReason: r.removed_reason,
  };
}

const SELECT = `select c.id, coalesce(m.application_id, c.application_id) as current_application_id, c.scope,
  c.message_sha256, c.target_key, c.project_key, c.field, c.old_value, c.new_value, c.reason, c.actor, c.created_at,
  c.removed_at, c.removed_by, c.removed_reason
  from corrections c left join messages m on m.sha256 = c.message_sha256`;

/** Corrections of the given applications (or all), oldest first, by the application they apply to now. */
export async function loadCorrections(
  q: Queryable,
  applicationIds: number[] | 'all',
  opts: { includeRemoved?: boolean } = {},
): Promise<Map<number, CorrectionRow[]>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (applicationIds !== 'all') {
    params.push(applicationIds);
    where.push('coalesce(m.application_id, c.application_id) = any($1::bigint[])');
  }
  if (!opts.includeRemoved) where.push('c.removed_at is null');
  const rows = await q.query<DbRow>(
    `${SELECT} ${where.length ? 'where ' + where.join(' and ') : ''} order by c.created_at, c.id`,
    params,
  );
  const out = new Map<number, CorrectionRow[]>();
  for (const r of rows.map(toRow)) out.set(r.applicationId, [...(out.get(r.applicationId) ?? []), r]);
  return out;
}

export async function getCorrection(q: Queryable, id: number): Promise<CorrectionRow | null> {
  const rows = await q.query<DbRow>(`${SELECT} where c.id = $1`, [id]);
  return rows[0] ? toRow(rows[0]) : null;
}

export interface NewCorrection {
  applicationId: number;
  scope: CorrectionScope;
  messageSha256: string | null;
  targetKey: string;
  projectKey: string | null;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string;
  actor: string;
}

/** Insert a correction; an active one for the same target and field is superseded (kept, marked removed). */
export async function insertCorrection(q: Queryable, c: NewCorrection): Promise<number> {
  const anchor = c.messageSha256 ?? `app:${c.applicationId}`;
  await q.query(
    `update corrections set removed_at = now(), removed_by = $5, removed_reason = '被新的校正取代'
     where removed_at is null and coalesce(message_sha256, 'app:' || application_id::text) = $1
       and scope = $2 and target_key = $3 and field = $4`,
    [anchor, c.scope, c.targetKey, c.field, c.actor],
  );
  const rows = await q.query<{ id: number }>(
    `insert into corrections (application_id, scope, message_sha256, target_key, project_key, field, old_value, new_value,
       reason, actor)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10) returning id`,
    [
      c.applicationId,
      c.scope,
      c.messageSha256,
      c.targetKey,
      c.projectKey,
      c.field,
      JSON.stringify(c.oldValue ?? null),
      JSON.stringify(c.newValue ?? null),
      c.reason,
      c.actor,
    ],
  );
  return rows[0]!.id;
}

/** Staff remove a correction: the reading counts again. Returns false when it was not active. */
export async function markCorrectionRemoved(q: Queryable, id: number, actor: string, reason: string): Promise<boolean> {
  const rows = await q.query<{ id: number }>(
    `update corrections set removed_at = now(), removed_by = $2, removed_reason = $3
     where id = $1 and removed_at is null returning id`,
    [id, actor, reason],
  );
  return rows.length > 0;
}

/**
 * An application merged into another (or emptied by moves) hands its own
 * corrections over: facts and added rows move unless the target has its own
 * correction of that field, which stands (the other is kept as history).
 * Message-scoped fixes follow their messages by themselves.
 */
export async function handOverCorrections(
  q: Queryable,
  fromAppId: number,
  toAppId: number,
  actor: string,
  toReceiptNo: string,
): Promise<void> {
  await q.query(
    `update corrections f set removed_at = now(), removed_by = $3, removed_reason = $4
     where f.application_id = $1 and f.message_sha256 is null and f.removed_at is null
       and exists (select 1 from corrections t where t.application_id = $2 and t.message_sha256 is null
                   and t.removed_at is null and t.scope = f.scope and t.target_key = f.target_key and t.field = f.field)`,
    [fromAppId, toAppId, actor, `合并至 ${toReceiptNo}，以其校正为准`],
  );
  await q.query(
    // history too: the merged application's page shows what was corrected before the merge
    `update corrections set application_id = $2 where application_id = $1 and message_sha256 is null`,
    [fromAppId, toAppId],
  );
}

/** Whether staff corrected who the application is (applicant or cluster): a reprocess then keeps its messages. */
export async function hasIdentityCorrection(q: Queryable, applicationId: number): Promise<boolean> {
  const rows = await q.query(
    `select 1 from corrections where application_id = $1 and scope = 'application'
       and field in ('applicant', 'cluster') and removed_at is null limit 1`,
    [applicationId],
  );
  return rows.length > 0;
}
