import { ZCopyFacts, type TCopyFacts, type TEvidence, type TProject } from '@intake/domain';
import { pairCopies, type CopyPairRef } from '@intake/validation-rules';
import type { Queryable } from './db.js';

/**
 * The `attachment_copy_facts` table (migration 007), owned here: what
 * scan ↔ electronic pairing needs of each attachment, and the pairing of an
 * application's attachments over all its messages.
 */

/** Replaces the message's rows: the message was (re)read, e.g. by the OCR phase. */
export async function storeCopyFacts(db: Queryable, messageRowId: number, facts: TCopyFacts[]): Promise<void> {
  await db.query('delete from attachment_copy_facts where message_id = $1', [messageRowId]);
  if (facts.length === 0) return;
  await db.query(
    `insert into attachment_copy_facts (message_id, path, sha256, facts)
     select $1, f->>'path', f->>'sha256', f from jsonb_array_elements($2::jsonb) f
     on conflict (message_id, path) do update set sha256 = excluded.sha256, facts = excluded.facts`,
    [messageRowId, JSON.stringify(facts)],
  );
}

/** Every stored attachment's pairing facts of an application, oldest message first. */
export async function loadCopyFacts(
  q: Queryable,
  applicationId: number,
): Promise<Array<{ messageKey: string; facts: TCopyFacts }>> {
  const rows = await q.query<{ message_key: string; facts: unknown }>(
    `select m.sha256 as message_key, f.facts from attachment_copy_facts f join messages m on m.id = f.message_id
     where m.application_id = $1 order by m.received_at, m.id, f.path`,
    [applicationId],
  );
  return rows.flatMap((r) => {
    // a row written by another version that does not parse is left out of pairing
    const facts = ZCopyFacts.safeParse(r.facts);
    return facts.success ? [{ messageKey: r.message_key, facts: facts.data }] : [];
  });
}

/** Scan ↔ electronic pairs over all of an application's messages (a scan may come in a resend). */
export async function pairApplicationCopies(q: Queryable, applicationId: number): Promise<CopyPairRef[]> {
  const candidates = await loadCopyFacts(q, applicationId);
  return pairCopies(candidates).map((p) => ({
    scan: { messageKey: p.scan.messageKey, path: p.scan.facts.path, sha256: p.scan.facts.sha256 },
    electronic: {
      messageKey: p.electronic.messageKey,
      path: p.electronic.facts.path,
      sha256: p.electronic.facts.sha256,
    },
    similarity: p.similarity,
    differences: p.differences,
  }));
}

/** What OCR read in an application's messages: project rows with their confidences, figures marked fromOcr. */
export async function loadOcrReadings(
  q: Queryable,
  applicationId: number,
): Promise<Array<{ messageKey: string; projects: TProject[]; evidence: TEvidence[] }>> {
  const rows = await q.query<{ sha256: string; projects: TProject[] | null; evidence: TEvidence[] | null }>(
    `select sha256, parsed->'projects' as projects, parsed->'evidence' as evidence from messages
     where application_id = $1 order by received_at, id`,
    [applicationId],
  );
  return rows.map((r) => ({
    messageKey: r.sha256,
    projects: (Array.isArray(r.projects) ? r.projects : []).filter((p) => p.ocrConfidence !== undefined),
    evidence: (Array.isArray(r.evidence) ? r.evidence : []).filter((e) => e.fromOcr === true),
  }));
}
