import type { ImapFlow } from 'imapflow';
import type { Logger } from '@intake/logger';
import { getSyncState, listLedger, saveSyncState } from '@intake/register-store';
import { ingestBatch, type IngestDeps } from './ingest-message.js';
import { applyMailboxAction, type MailboxAction } from './mailbox-action.js';
import { decideSync } from './sync-strategy.js';

/** How many messages one FETCH brings: bounds memory for a large backlog. */
const FETCH_BATCH = 25;

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
  for (let i = 0; i < todo.length; i += FETCH_BATCH) {
    if (deps.isStopping()) return { type: decision.type, ingested, stopped: true };
    const batch = await fetchBatch(client, todo.slice(i, i + FETCH_BATCH));
    if (batch.length === 0) continue;
    const outcomes = await ingestBatch(
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
    );
    if (outcomes.some((o) => o.status === 'stopped')) return { type: decision.type, ingested, stopped: true };
    if (deps.action.type !== 'none') for (const m of batch) await applyMailboxAction(client, m.uid, deps.action);
    // only now, with every job of the batch in Redis, does the checkpoint pass the batch
    await saveSyncState(deps.db, { mailbox: deps.mailbox, uidValidity, lastUid: batch[batch.length - 1]!.uid });
    ingested += batch.length;
  }
  // record the sync even when nothing was new (last_sync_at is the poller's heartbeat); the
  // checkpoint itself only moved with the batches above (saveSyncState never moves it back)
  await saveSyncState(deps.db, {
    mailbox: deps.mailbox,
    uidValidity,
    lastUid: state?.uidValidity === uidValidity ? state.lastUid : (todo.at(-1) ?? 0),
  });
  return { type: decision.type, ingested, stopped: false };
}
