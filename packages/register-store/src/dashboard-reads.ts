import type { TEvidence } from '@intake/domain';
import type { Queryable } from './db.js';

/**
 * Reads the dashboard needs besides the application views: the register's
 * version (for live refresh), evidence snippets, reply texts and the lookup
 * of a registered attachment. Read-only; the SQL stays in the store.
 */

/** Changes whenever an application is added, changed or removed. */
export async function getRegisterVersion(q: Queryable): Promise<string> {
  const rows = await q.query<{ n: number; m: Date | string | null; s: number | null }>(
    'select count(*)::int as n, max(updated_at) as m, sum(id)::bigint as s from applications',
  );
  const r = rows[0];
  const m = r?.m ? new Date(r.m).getTime() : 0;
  return `${r?.n ?? 0}-${m}-${r?.s ?? 0}`;
}

export interface MessageEvidence {
  messageRowId: number;
  evidence: TEvidence[];
}

export async function loadEvidence(q: Queryable, applicationId: number): Promise<Map<number, TEvidence[]>> {
  const rows = await q.query<{ id: number; evidence: TEvidence[] | null }>(
    `select id, parsed->'evidence' as evidence from messages where application_id = $1 order by received_at, id`,
    [applicationId],
  );
  return new Map(rows.map((r) => [r.id, Array.isArray(r.evidence) ? r.evidence : []]));
}

/** The attachment as the register knows it: only registered (message, path) pairs are ever served. */
export async function findAttachment(
  q: Queryable,
  messageSha256: string,
  path: string,
): Promise<{
  applicationId: number;
  filename: string;
  kind: string;
  bytes: number;
  sha256: string;
} | null> {
  const rows = await q.query<{ application_id: number; filename: string; kind: string; bytes: number; sha256: string }>(
    `select m.application_id, t.filename, t.kind, t.bytes, t.sha256 from attachments t join messages m on m.id = t.message_id
     where m.sha256 = $1 and t.path = $2`,
    [messageSha256, path],
  );
  const r = rows[0];
  return r
    ? {
        applicationId: r.application_id,
        filename: r.filename,
        kind: r.kind,
        bytes: r.bytes,
        sha256: r.sha256,
      }
    : null;
}
