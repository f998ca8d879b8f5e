import type { Logger } from '@intake/logger';
import { JOBS, jobIds, type PipelineQueues } from '@intake/queue';
import { sha256Of, type RawStore } from '@intake/raw-archive';
import {
  markQueued,
  recordDeliveries,
  remapDelivery,
  type Db,
  type DeliveryInput,
  type Queryable,
  type SyncState,
} from '@intake/register-store';
import { readMessageId } from './message-id.js';
import { waitForRedis } from './hold-for-redis.js';

export interface IngestDeps {
  db: Db;
  rawStore: RawStore;
  queues: PipelineQueues;
  logger: Logger;
  /** true once shutdown began: stop retrying and leave the checkpoint where it is */
  isStopping: () => boolean;
}

export interface IncomingMessage {
  raw: Buffer;
  delivery: Omit<DeliveryInput, 'sha256' | 'messageId'>;
  /** UIDVALIDITY changed: map to a ledger row we already hold before creating one */
  resync?: boolean;
}

export type IngestOutcome =
  { status: 'queued' | 'remapped'; sha256: string; ledgerId: number | null } | { status: 'stopped'; sha256: string };

/**
 * archive → ledger → queue for a batch of messages (one IMAP FETCH batch, or
 * one imported file), in that order, each step idempotent: a process killed
 * between any two steps re-does them on restart without doubling anything.
 * Resolves only once every job is in Redis; the caller may then checkpoint.
 * Batching keeps the durable steps to one fsync round, one ledger statement (a
 * transaction only when a resync has to re-map), one Redis call and one
 * "queued" update (carrying the checkpoint when `opts.checkpoint` is given) per batch.
 */
export async function ingestBatch(
  deps: IngestDeps,
  msgs: IncomingMessage[],
  opts: {
    checkpoint?: SyncState;
    /**
     * the previous batch of the same pass, still being written: this batch archives, records and
     * queues alongside it, but marks itself queued (and moves the checkpoint) only after it —
     * false or a rejection means that batch did not finish, so neither does this one
     */
    after?: Promise<boolean>;
  } = {},
): Promise<IngestOutcome[]> {
  const items = msgs.map((m) => ({ m, sha256: sha256Of(m.raw), messageId: readMessageId(m.raw) }));
  await deps.rawStore.putMany(items.map((i) => ({ sha256: i.sha256, bytes: i.m.raw })));

  const ledgerIds = new Map<number, number>();
  const remapped = new Set<number>();
  const record = async (q: Queryable) => {
    const fresh: number[] = [];
    for (const [idx, { m, sha256, messageId }] of items.entries()) {
      if (
        m.resync &&
        m.delivery.uid != null &&
        m.delivery.uidValidity != null &&
        (await remapDelivery(q, {
          mailbox: m.delivery.mailbox,
          newUidValidity: m.delivery.uidValidity,
          uid: m.delivery.uid,
          sha256,
          messageId,
        }))
      ) {
        remapped.add(idx);
        deps.logger.info(
          { code: 'ledger.remapped', sha256, messageId, uid: m.delivery.uid },
          'known message under a new UIDVALIDITY: mapped, not duplicated',
        );
      } else {
        fresh.push(idx);
      }
    }
    const recorded = await recordDeliveries(
      q,
      fresh.map((idx) => ({ ...items[idx]!.m.delivery, sha256: items[idx]!.sha256, messageId: items[idx]!.messageId })),
    );
    recorded.forEach(({ row, created }, j) => {
      const idx = fresh[j]!;
      const { m, sha256, messageId } = items[idx]!;
      ledgerIds.set(idx, row.id);
      deps.logger.info(
        {
          code: created ? 'ledger.recorded' : 'ledger.exists',
          sha256,
          messageId,
          uid: m.delivery.uid ?? undefined,
          source: m.delivery.sourceRef ?? undefined,
          ledgerId: row.id,
          receivedAt: row.received_at,
        },
        created ? 'message archived and recorded' : 'delivery already in the ledger',
      );
    });
  };
  // the multi-row insert is atomic by itself: a transaction (three round trips) only when re-mapping comes first
  if (items.some((i) => i.m.resync)) await deps.db.tx(record);
  else await record(deps.db);

  const toQueue = items.filter((_, idx) => !remapped.has(idx));
  const def = JOBS.processMessage;
  const jobs = [...new Map(toQueue.map((i) => [i.sha256, i])).values()].map((i) => ({
    name: def.name,
    data: def.schema.parse({ sha256: i.sha256 }),
    opts: { jobId: jobIds.processMessage(i.sha256) },
  }));
  if (jobs.length > 0) {
    const ok = await waitForRedis(deps, deps.logger, async () => {
      await deps.queues.process.addBulk(jobs);
    });
    if (!ok) return items.map((i) => ({ status: 'stopped' as const, sha256: i.sha256 }));
  }
  if (opts.after && !(await opts.after)) return items.map((i) => ({ status: 'stopped' as const, sha256: i.sha256 }));
  const queuedIds = [...ledgerIds.entries()].map(([idx, id]) => ({
    id,
    jobId: jobIds.processMessage(items[idx]!.sha256),
  }));
  await markQueued(deps.db, queuedIds, opts.checkpoint);
  for (const i of toQueue)
    deps.logger.info(
      { code: 'job.enqueued', sha256: i.sha256, messageId: i.messageId, jobId: jobIds.processMessage(i.sha256) },
      'queued for processing',
    );
  return items.map((i, idx) =>
    remapped.has(idx)
      ? { status: 'remapped' as const, sha256: i.sha256, ledgerId: null }
      : { status: 'queued' as const, sha256: i.sha256, ledgerId: ledgerIds.get(idx) ?? null },
  );
}

/** One message: `intake import` of a single .eml, and the tests. */
export async function ingestMessage(deps: IngestDeps, msg: IncomingMessage): Promise<IngestOutcome> {
  const [r] = await ingestBatch(deps, [msg]);
  return r!;
}
