import type { Queryable } from './db.js';

/**
 * The attempt marker of parse_attempts (migration 012): set while a worker
 * reads a message, cleared when the reading ends in that process. One that
 * is still set when the next attempt begins was left by a process that died
 * mid-read.
 */

export interface ParseAttemptStart {
  /** the previous attempt started and never finished: its process died while reading this message */
  interrupted: boolean;
  /** how many attempts were interrupted so far, this one's predecessor included */
  interruptions: number;
}

/** Marks the start of an attempt; says whether the previous one was interrupted. */
export async function beginParseAttempt(q: Queryable, sha256: string): Promise<ParseAttemptStart> {
  const rows = await q.query<{ interrupted: number; was_open: boolean }>(
    `with prev as (select started_at from parse_attempts where sha256 = $1)
     insert into parse_attempts as a (sha256, started_at) values ($1, now())
     on conflict (sha256) do update set
       interrupted = a.interrupted + (case when a.started_at is null then 0 else 1 end),
       started_at = now(), updated_at = now()
     returning a.interrupted, (select started_at from prev) is not null as was_open`,
    [sha256],
  );
  const row = rows[0];
  return { interrupted: row?.was_open ?? false, interruptions: row?.interrupted ?? 0 };
}

/** Clears the marker: this attempt's reading ended (with a result or an error) in a live process. */
export async function endParseAttempt(q: Queryable, sha256: string): Promise<void> {
  await q.query('update parse_attempts set started_at = null, updated_at = now() where sha256 = $1', [sha256]);
}
