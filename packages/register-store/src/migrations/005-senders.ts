/**
 * The per-applicant address book (owned by sender-book.ts): which sender
 * addresses speak for an applicant. Besides these rows, the campaign
 * profile's `senders` count as confirmed (they are read from the profile on
 * every check, never copied, so editing the profile takes effect at once).
 *  - proposed: the applicant's first on-time mail came from it and nobody has
 *    decided yet; counts as confirmed until staff reject it (README, "What the desk trusts");
 *  - confirmed / rejected: a staff decision (audit log has who and why).
 * `messages.sender_status` is what the last validation decided for each
 * message: confirmed, proposed, unconfirmed, rejected, or null (no applicant).
 * Existing registers: each applicant's earliest message that was not late
 * proposes its address, as a first mail would have.
 */
export const M005_SENDERS = {
  id: 5,
  name: 'senders',
  sql: `
create table sender_addresses (
  id bigserial primary key,
  campaign_id text not null,
  applicant_code text not null,
  -- lower-case address
  address text not null,
  state text not null check (state in ('proposed', 'confirmed', 'rejected')),
  source text not null check (source in ('first-mail', 'staff')),
  -- the message that proposed it (no foreign key: the history outlives a moved message)
  first_message_id bigint,
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  unique (campaign_id, applicant_code, address)
);
create index sender_addresses_address on sender_addresses (address);

alter table messages add column sender_status text
  check (sender_status in ('confirmed', 'proposed', 'unconfirmed', 'rejected'));

insert into sender_addresses (campaign_id, applicant_code, address, state, source, first_message_id)
select distinct on (a.campaign_id, a.applicant_code) a.campaign_id, a.applicant_code, m.from_address, 'proposed', 'first-mail', m.id
from messages m join applications a on a.id = m.application_id
where a.applicant_code is not null and m.from_address is not null and not m.late
order by a.campaign_id, a.applicant_code, m.received_at, m.id;
`,
} as const;
