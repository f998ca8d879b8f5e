import type { Queryable } from './db.js';

export interface ReferencedApplication {
  applicationId: number;
  /** the Message-ID that led there */
  messageId: string;
  /** 'ack': one of our replies; 'message': a registered mail */
  via: 'ack' | 'message';
}

/**
 * The application a mail refers to through its In-Reply-To / References (or a
 * bounce's reported Message-ID): one of our replies (the outbox's Message-ID)
 * or a registered mail. The first id in `messageIds` that leads somewhere
 * wins, so pass the most specific first (In-Reply-To, then References newest
 * first). Only submissions count as "a registered mail" here: a reply to an
 * auto-reply is not a thread of its own.
 */
export async function findReferencedApplication(
  q: Queryable,
  messageIds: readonly string[],
): Promise<ReferencedApplication | null> {
  const ids = [...new Set(messageIds.filter((s) => s.length > 0))].slice(0, 50);
  if (ids.length === 0) return null;
  // bigint ids: strings from node-postgres, numbers from PGlite
  const rows = await q.query<{ mid: string; application_id: number | string; via: 'ack' | 'message' }>(
    `select a.our_message_id as mid, m.application_id, 'ack' as via
       from acks a join messages m on m.sha256 = a.source_sha256 or a.source_sha256 = any(m.other_sha256)
      where a.our_message_id = any($1::text[])
     union all
     select m.message_id as mid, m.application_id, 'message' as via
       from messages m where m.message_id = any($1::text[]) and m.mail_class = 'submission'`,
    [ids],
  );
  for (const id of ids) {
    const hit = rows.find((r) => r.mid === id);
    if (hit) return { applicationId: Number(hit.application_id), messageId: id, via: hit.via };
  }
  return null;
}

/** Which of these Message-IDs name one of our replies or a registered submission (for the classifier). */
export async function knownReferences(q: Queryable, messageIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(messageIds.filter((s) => s.length > 0))].slice(0, 50);
  if (ids.length === 0) return new Set();
  const rows = await q.query<{ mid: string }>(
    `select our_message_id as mid from acks where our_message_id = any($1::text[])
     union select message_id as mid from messages where message_id = any($1::text[]) and mail_class = 'submission'`,
    [ids],
  );
  return new Set(rows.map((r) => r.mid));
}
