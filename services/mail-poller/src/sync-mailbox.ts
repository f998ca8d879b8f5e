import type { ImapFlow } from 'imapflow';
import type { Logger } from '@intake/logger';
import { getSyncState, listLedger, saveSyncState } from '@intake/register-store';
import { ingestBatch, type IngestDeps } from './ingest-message.js';
import { applyMailboxAction, type MailboxAction } from './mailbox-action.js';
import { decideSync } from './sync-strategy.js';

/** How many messages one FETCH brings: bounds memory for a large backlog. */
const FETCH_BATCH = 25;
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
    uids.join(','),
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
  opts: { rescan?: boolean } = {},
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
  // disk and database work overlap. At most BATCHES_IN_FLIGHT batches plus one FETCH are held in memory.
  // With a mailbox action its STORE/MOVE commands would wait behind a prefetch: then one batch at a time.
  const pipelined = deps.action.type === 'none';
  const fetchAt = (i: number) => (i < todo.length ? fetchBatch(client, todo.slice(i, i + FETCH_BATCH)) : null);
  const inFlight: Array<Promise<boolean>> = [];
  let previous: Promise<boolean> = Promise.resolve(true);
  let stopped = false;
  let next = fetchAt(0);
  for (let i = 0; next !== null; i += FETCH_BATCH) {
    const batch = await next;
    if (deps.isStopping()) {
      stopped = true;
      break;
    }
    const prefetch = pipelined ? fetchAt(i + FETCH_BATCH) : null;
    // a prefetch that fails while earlier batches are written surfaces when awaited above; until then
    // it must not count as unhandled
    prefetch?.catch(() => undefined);
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
      inFlight.push(written);
      const limit = pipelined ? BATCHES_IN_FLIGHT : 1;
      while (inFlight.length >= limit) {
        if (!(await inFlight.shift()!)) stopped = true;
      }
      if (stopped) break;
    }
    next = prefetch ?? fetchAt(i + FETCH_BATCH);
  }
  for (const w of inFlight) if (!(await w)) stopped = true;
  if (stopped) return { type: decision.type, ingested, stopped: true };
  // record the sync even when nothing was new (last_sync_at is the poller's heartbeat); the
  // checkpoint itself only moved with the batches above (saveSyncState never moves it back)
  await saveSyncState(deps.db, {
    mailbox: deps.mailbox,
    uidValidity,
    lastUid: state?.uidValidity === uidValidity ? state.lastUid : (todo.at(-1) ?? 0),
  });
  return { type: decision.type, ingested, stopped: false };
}
