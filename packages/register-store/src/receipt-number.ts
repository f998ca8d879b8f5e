import { formatInZone, type TCampaignProfile } from '@intake/domain';
import type { Queryable } from './db.js';

/**
 * Receipt numbers staff read out on the phone: digits and dashes only.
 * Application: <campaign year>-<4-digit sequence> (2020-0007); message: the
 * application's number and the mail's sequence in it (2020-0007-2).
 */
export function campaignYear(profile: Pick<TCampaignProfile, 'deadline' | 'timezone'>): number {
  return Number(formatInZone(profile.deadline, profile.timezone).slice(0, 4));
}

export function formatApplicationReceiptNo(year: number, seq: number): string {
  return `${year}-${String(seq).padStart(4, '0')}`;
}

export function formatMessageReceiptNo(applicationReceiptNo: string, seq: number): string {
  return `${applicationReceiptNo}-${seq}`;
}

/**
 * The next application number of the campaign. The counter row is updated in
 * the caller's transaction, so concurrent callers queue on its row lock and a
 * rolled-back registration gives its number back (no gaps from failures).
 */
export async function allocateApplicationReceiptNo(q: Queryable, profile: TCampaignProfile): Promise<string> {
  const year = campaignYear(profile);
  const rows = await q.query<{ last_value: number }>(
    `insert into receipt_counters (scope, last_value) values ($1, 1)
     on conflict (scope) do update set last_value = receipt_counters.last_value + 1
     returning last_value`,
    [`application:${profile.id}:${year}`],
  );
  const seq = rows[0]?.last_value;
  if (seq === undefined) throw new Error('receipt counter returned no row');
  return formatApplicationReceiptNo(year, seq);
}
