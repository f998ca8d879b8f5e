import type { Queryable } from './db.js';

/** connected, retrying (since the first failed attempt of this outage) or stopped (the poller shut down) */
export type MailboxConnState = 'connected' | 'retrying' | 'stopped';

export interface MailboxStateInput {
  mailbox: string;
  state: MailboxConnState;
  /** when this state began: the connection, or the first failure of the outage */
  since: Date;
  /** failed attempts in a row (0 when connected) */
  attempts: number;
  /** the last error's text; kept while connected so staff see what the last outage was */
  lastError: string | null;
  lastErrorAt: Date | null;
  /** when the poller tries again (retrying only) */
  nextAttemptAt: Date | null;
}

export interface MailboxStateRow extends MailboxStateInput {
  updatedAt: Date;
}

interface DbRow {
  mailbox: string;
  state: MailboxConnState;
  since: Date;
  attempts: number;
  last_error: string | null;
  last_error_at: Date | null;
  next_attempt_at: Date | null;
  updated_at: Date;
}

/** One row per mailbox, overwritten on each transition of the poller's connection. */
export async function recordMailboxState(q: Queryable, s: MailboxStateInput): Promise<void> {
  await q.query(
    `insert into mailbox_state (mailbox, state, since, attempts, last_error, last_error_at, next_attempt_at, updated_at)
     values ($1,$2,$3,$4,$5,$6,$7, now())
     on conflict (mailbox) do update set state = excluded.state, since = excluded.since, attempts = excluded.attempts,
       last_error = excluded.last_error, last_error_at = excluded.last_error_at,
       next_attempt_at = excluded.next_attempt_at, updated_at = now()`,
    [s.mailbox, s.state, s.since, s.attempts, s.lastError, s.lastErrorAt, s.nextAttemptAt],
  );
}

/** Every mailbox a poller has reported on, by name. */
export async function listMailboxStates(q: Queryable): Promise<MailboxStateRow[]> {
  const rows = await q.query<DbRow>('select * from mailbox_state order by mailbox');
  return rows.map((r) => ({
    mailbox: r.mailbox,
    state: r.state,
    since: r.since,
    attempts: r.attempts,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    nextAttemptAt: r.next_attempt_at,
    updatedAt: r.updated_at,
  }));
}
