import type { ImapFlow } from 'imapflow';

const MiB = 1024 * 1024;

/**
 * How the poller cuts a backlog into FETCH batches. Every batch costs a fixed set of round trips
 * (the FETCH, an archive segment with its fsyncs, three statements, one Redis call), and on a busy
 * loopback each socket write is a fraction of a millisecond of kernel time: batches as large as
 * memory allows. Bytes bound them as well as count, because a sender decides how large a message
 * is: 25 messages of 150 MB each must not be held at once.
 */
export interface FetchLimits {
  /** messages in one FETCH (and one segment, one ledger statement, one Redis call) */
  maxMessages: number;
  /**
   * messages in a pass's first FETCH; each next batch may hold twice as many, up to maxMessages: the
   * first messages of a backlog reach the workers after one short batch, not after a full one
   */
  firstMessages: number;
  /** bytes in one FETCH by the server's RFC822.SIZE; a larger message is fetched alone */
  maxBytes: number;
  /** bytes fetched and not yet queued, across the batches in flight; one larger message may exceed it alone */
  maxHeldBytes: number;
  /** UIDs whose sizes are asked in one FETCH RFC822.SIZE */
  sizeWindow: number;
}

export const FETCH_LIMITS: FetchLimits = {
  maxMessages: 500,
  firstMessages: 25,
  maxBytes: 16 * MiB,
  maxHeldBytes: 64 * MiB,
  sizeWindow: 2000,
};

export interface PlannedBatch {
  uids: number[];
  /** the server's sizes summed: what the batch will hold once fetched */
  bytes: number;
}

/**
 * Consecutive batches in UID order, each within its message cap and `maxBytes` (or one message
 * alone). The cap starts at `firstMessages` and doubles per batch up to `maxMessages`; `planned`
 * counts the batches of the same pass planned before these, so the ramp carries across size windows.
 */
export function planFetchBatches(
  sized: ReadonlyArray<{ uid: number; size: number }>,
  limits: Pick<FetchLimits, 'maxMessages' | 'firstMessages' | 'maxBytes'>,
  planned = 0,
): PlannedBatch[] {
  const capOf = (k: number) => Math.min(limits.maxMessages, limits.firstMessages * 2 ** Math.min(k, 30));
  const out: PlannedBatch[] = [];
  let cur: PlannedBatch = { uids: [], bytes: 0 };
  for (const { uid, size } of [...sized].sort((a, b) => a.uid - b.uid)) {
    const cap = capOf(planned + out.length);
    if (cur.uids.length > 0 && (cur.uids.length >= cap || cur.bytes + size > limits.maxBytes)) {
      out.push(cur);
      cur = { uids: [], bytes: 0 };
    }
    cur.uids.push(uid);
    cur.bytes += size;
  }
  if (cur.uids.length > 0) out.push(cur);
  return out;
}

/** An IMAP sequence set for sorted, distinct UIDs: runs collapse to `a:b`, so a FETCH line stays short. */
export function uidSet(uids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < uids.length;) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j]! + 1) j++;
    parts.push(j === i ? String(uids[i]) : `${uids[i]}:${uids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The batches for `uids` (sorted), asking the server for sizes one window at a time, so a backlog of
 * 100k costs one short FETCH per `sizeWindow` messages and never a list of all sizes at once. A UID
 * the server no longer reports (expunged meanwhile) is left out, as its FETCH would return nothing.
 */
export async function* fetchPlan(
  client: ImapFlow,
  uids: readonly number[],
  limits: FetchLimits = FETCH_LIMITS,
): AsyncGenerator<PlannedBatch> {
  let planned = 0;
  for (let i = 0; i < uids.length; i += limits.sizeWindow) {
    const window = uids.slice(i, i + limits.sizeWindow);
    const sized: Array<{ uid: number; size: number }> = [];
    for await (const m of client.fetch(uidSet(window), { uid: true, size: true }, { uid: true })) {
      // a server that does not report a size gets the batch's whole budget: fetched alone
      sized.push({ uid: m.uid, size: typeof m.size === 'number' ? m.size : limits.maxBytes });
    }
    const batches = planFetchBatches(sized, limits, planned);
    planned += batches.length;
    yield* batches;
  }
}
