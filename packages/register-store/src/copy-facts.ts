import { ZCopyFacts, type TCopyFacts } from '@intake/domain';
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

/** Scan ↔ electronic pairs over all of an application's messages (a scan may come in a resend). */
export async function pairApplicationCopies(q: Queryable, applicationId: number): Promise<CopyPairRef[]> {
  const rows = await q.query<{ message_key: string; facts: unknown }>(
    `select m.sha256 as message_key, f.facts from attachment_copy_facts f join messages m on m.id = f.message_id
     where m.application_id = $1 order by m.received_at, m.id, f.path`,
    [applicationId],
  );
  const candidates = rows.flatMap((r) => {
    // a row written by another version that does not parse is left out of pairing
    const facts = ZCopyFacts.safeParse(r.facts);
    return facts.success ? [{ messageKey: r.message_key, facts: facts.data }] : [];
  });
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
