/**
 * One reply per e-mail as its sender knows it, and mail that is not a
 * submission (issue 9, items 5–7):
 * - acks.identity_key: the source message's identity (Message-ID + sender, or
 *   a hash of From/Date/Subject/body), so the same e-mail delivered twice with
 *   other bytes (a relay's retry, other Received: lines) finds the one row.
 *   Existing rows take their message's identity; where the old byte-keyed
 *   outbox already holds two replies for one e-mail, the first keeps it.
 * - messages.mail_class: submission | auto-reply | bounce | reply (an answer to
 *   our reply). Only submissions set receipt times and count for MISSING_*.
 * - indexes for the reconciliation's "pending for a while" lookups, the rate
 *   caps' counts and finding our reply by its Message-ID.
 */
export const M010_ACKS_IDENTITY = {
  id: 10,
  name: 'acks-identity',
  sql: `
alter table acks add column identity_key text;
update acks a set identity_key = x.identity_key
from (
  select distinct on (m.identity_key) a2.id, m.identity_key
  from acks a2 join messages m on m.sha256 = a2.source_sha256 or a2.source_sha256 = any(m.other_sha256)
  where a2.kind = 'ack'
  order by m.identity_key, a2.id
) x
where a.id = x.id;
create unique index acks_identity_kind on acks (identity_key, kind) where identity_key is not null;
create index acks_our_message_id on acks (our_message_id);
create index acks_pending on acks (updated_at) where status in ('composed', 'sending');
create index acks_recent_replies on acks ((coalesce(sent_at, updated_at))) where status in ('sent', 'sending');

alter table messages add column mail_class text not null default 'submission'
  check (mail_class in ('submission', 'auto-reply', 'bounce', 'reply'));
create index messages_created_at on messages (created_at);
create index mail_ledger_pending on mail_ledger (updated_at) where status in ('queued', 'processing');
`,
} as const;
