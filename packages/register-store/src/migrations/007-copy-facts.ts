/**
 * Scan ↔ electronic pairing across messages (issue 10 §5): what pairing
 * needs of each scan/electronic attachment with a role (its words normalized
 * and capped, its project names and totals, its 请示 facts), so a scan that
 * arrives in a resend is compared with the electronic copy sent before. One
 * row per attachment of a message; replaced when the message is read again
 * (the OCR phase, `intake reprocess`).
 */
export const M007_COPY_FACTS = {
  id: 7,
  name: 'copy-facts',
  sql: `
create table attachment_copy_facts (
  message_id bigint not null references messages(id) on delete cascade,
  path text not null,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  facts jsonb not null,
  primary key (message_id, path)
);
`,
} as const;
