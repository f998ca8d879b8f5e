import type { ImapFlow } from 'imapflow';
import type { Logger } from '@intake/logger';
import { getSyncState, listLedger, saveSyncState } from '@intake/register-store';
import { ingestBatch, type IngestDeps } from './ingest-message.js';
import { applyMailboxAction, type MailboxAction } from './mailbox-action.js';
import { FETCH_LIMITS, fetchPlan, uidSet, type FetchLimits } from './fetch-plan.js';
import { decideSync } from './sync-strategy.js';

/**
 * Batches being archived/recorded/queued at once (plus one FETCH ahead): their fsyncs share journal
 * commits and their round trips overlap; checkpoints still move strictly in UID order.
 */
const BATCHES_IN_FLIGHT = 3;

export interface SyncResult {
  type: string;
  ingested: number;
  stopped: boolean;
}

async function fetchBatch(client: ImapFlow, uids: number[]) {
  const out: Array<{ uid: number; raw: Buffer; internalDate: Date; flags: string[] }> = [];
  for await (const m of client.fetch(
    uidSet(uids),
    { uid: true, source: true, internalDate: true, flags: true },
    { uid: true },
  )) {
    if (!m.source) continue;
    const internalDate = m.internalDate instanceof Date ? m.internalDate : new Date(String(m.internalDate));
    out.push({ uid: m.uid, raw: m.source, internalDate, flags: [...(m.flags ?? [])] });
  }
  return out.sort((a, b) => a.uid - b.uid);
}

/**
 * One pass over the mailbox (the lock is held by the caller): new UIDs above
 * the checkpoint, or everything after a UIDVALIDITY change, or — on a safety
 * re-scan — any UID the ledger does not hold. The checkpoint moves only past
 * messages whose job is in Redis.
 */
export async function syncMailbox(
  client: ImapFlow,
  deps: IngestDeps & { mailbox: string; action: MailboxAction; log: Logger },
  opts: { rescan?: boolean; limits?: FetchLimits } = {},
): Promise<SyncResult> {
  const box = client.mailbox;
  if (!box) throw new Error('no mailbox selected');
  const uidValidity = Number(box.uidValidity);
  const state = await getSyncState(deps.db, deps.mailbox);
  const decision = decideSync(state, { uidValidity });
  // an incremental pass asks only for UIDs above the checkpoint; a re-scan or resync lists them all
  const fullList = decision.type !== 'incremental' || !!opts.rescan;
  const all = (await client.search(fullList ? { all: true } : { uid: `${decision.fromUid}:*` }, { uid: true })) || [];
  let todo: number[];
  if (decision.type === 'incremental' && opts.rescan) {
    const known = new Set(
      (await listLedger(deps.db, { mailbox: deps.mailbox }))
        .filter((r) => Number(r.uid_validity) === uidValidity)
        .map((r) => Number(r.uid)),
    );
    todo = all.filter((u) => !known.has(u));
  } else {
    // "n:*" always matches the highest UID, even below n: filter
    todo = all.filter((u) => u >= decision.fromUid);
  }
  todo.sort((a, b) => a - b);
  if (todo.length > 0 || decision.type !== 'incremental') {
    deps.log.info(
      {
        code: 'sync.start',
        decision: decision.type,
        reason: decision.reason,
        count: todo.length,
        rescan: !!opts.rescan,
      },
      'syncing mailbox',
    );
  }
  let ingested = 0;
  // the next FETCH is on the wire while earlier batches are archived, recorded and queued: IMAP,
  // disk and database work overlap. At most BATCHES_IN_FLIGHT batches plus one FETCH are held, and
  // no more than limits.maxHeldBytes between them (a larger message is held alone).
  // With a mailbox action its STORE/MOVE commands would wait behind a prefetch: then one batch at a time.
  const limits = opts.limits ?? FETCH_LIMITS;
  const pipelined = deps.action.type === 'none';
  const limit = pipelined ? BATCHES_IN_FLIGHT : 1;
  const plans = fetchPlan(client, todo, limits);
  // set from inside settleOldest as well as here: a property, so no narrowing hides the change
  const pass = { stopped: false };
  const inFlight: Array<{ done: Promise<boolean>; bytes: number }> = [];
  const heldBytes = () => inFlight.reduce((n, w) => n + w.bytes, 0);
  const settleOldest = async () => {
    const finished = await inFlight.shift()!.done;
    if (!finished) pass.stopped = true;
    return finished;
  };
  /** the next planned batch, fetched once the batches in flight leave room for it (or null: none left) */
  const fetchNext = async () => {
    const plan = await plans.next();
    if (plan.done) return null;
    // room first: the batches in flight and this one within the held-bytes bound, or nothing else held;
    // a batch that did not finish ends the pass here, before another FETCH goes out
    while (inFlight.length > 0 && (!pipelined || heldBytes() + plan.value.bytes > limits.maxHeldBytes)) {
      if (!(await settleOldest())) return null;
    }
    return fetchBatch(client, plan.value.uids);
  };
  let previous: Promise<boolean> = Promise.resolve(true);
  let fetched = await fetchNext();
  while (fetched !== null && !pass.stopped) {
    const batch = fetched;
    if (deps.isStopping()) {
      pass.stopped = true;
      break;
    }
    let finished = true;
    while (inFlight.length >= limit) finished = (await settleOldest()) && finished;
    if (!finished) break;
    if (batch.length > 0) {
      const lastUid = batch[batch.length - 1]!.uid;
      const written = ingestBatch(
        deps,
        batch.map((m) => ({
          raw: m.raw,
          resync: decision.type === 'resync',
          delivery: {
            origin: 'imap' as const,
            mailbox: deps.mailbox,
            uidValidity,
            uid: m.uid,
            receivedAt: m.internalDate,
            receivedAtSource: 'server' as const,
            flags: m.flags,
          },
        })),
        // with no mailbox action the checkpoint rides on the ledger's "queued" update, after the previous batch's
        pipelined ? { checkpoint: { mailbox: deps.mailbox, uidValidity, lastUid }, after: previous } : {},
      ).then(async (outcomes) => {
        if (outcomes.some((o) => o.status === 'stopped')) return false;
        if (!pipelined) {
          for (const m of batch) await applyMailboxAction(client, m.uid, deps.action);
          // only now, with every job of the batch in Redis and the action applied, does the checkpoint pass it
          await saveSyncState(deps.db, { mailbox: deps.mailbox, uidValidity, lastUid });
        }
        ingested += batch.length;
        return true;
      });
      // a failure surfaces from the batch awaited below (or from the next one, which awaits this)
      written.catch(() => undefined);
      previous = written;
      inFlight.push({ done: written, bytes: batch.reduce((n, m) => n + m.raw.length, 0) });
    }
    fetched = await fetchNext();
  }
  // a plan cut short still holds its size FETCH's iterator: close it
  await plans.return(undefined);
  while (inFlight.length > 0) await settleOldest();
  if (pass.stopped) return { type: decision.type, ingested, stopped: true };
  // record the sync even when nothing was new (last_sync_at is the poller's heartbeat); the
  // checkpoint itself only moved with the batches above (saveSyncState never moves it back)
  await saveSyncState(deps.db, {
    mailbox: deps.mailbox,
    uidValidity,
    lastUid: state?.uidValidity === uidValidity ? state.lastUid : (todo.at(-1) ?? 0),
  });
  return { type: decision.type, ingested, stopped: false };
}
