import type { Logger } from '@intake/logger';
import { enqueue, jobIds, type PipelineQueues } from '@intake/queue';
import { sha256Of, type RawStore } from '@intake/raw-archive';
import { markQueued, recordDelivery, remapDelivery, type Db, type DeliveryInput } from '@intake/register-store';
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

export type IngestOutcome = { status: 'queued' | 'remapped'; sha256: string; ledgerId: number | null } | { status: 'stopped'; sha256: string };

/**
 * archive → ledger → queue, in that order, each step idempotent: a process
 * killed between any two steps re-does them on restart without doubling anything.
 * Returns only once the job is in Redis; the caller may then checkpoint.
 */
export async function ingestMessage(deps: IngestDeps, msg: IncomingMessage): Promise<IngestOutcome> {
  const sha256 = sha256Of(msg.raw);
  const messageId = readMessageId(msg.raw);
  const log = deps.logger.child({ sha256, messageId, uid: msg.delivery.uid ?? undefined, source: msg.delivery.sourceRef ?? undefined });
  await deps.rawStore.put(sha256, msg.raw);

  let ledgerId: number | null = null;
  let remapped = false;
  await deps.db.tx(async (q) => {
    if (msg.resync && msg.delivery.uid != null && msg.delivery.uidValidity != null) {
      remapped = await remapDelivery(q, { mailbox: msg.delivery.mailbox, newUidValidity: msg.delivery.uidValidity, uid: msg.delivery.uid, sha256, messageId });
      if (remapped) return;
    }
    const { row, created } = await recordDelivery(q, { ...msg.delivery, sha256, messageId });
    ledgerId = Number(row.id);
    log.info({ code: created ? 'ledger.recorded' : 'ledger.exists', ledgerId, receivedAt: row.received_at }, created ? 'message archived and recorded' : 'delivery already in the ledger');
  });
  if (remapped) {
    log.info({ code: 'ledger.remapped' }, 'known message under a new UIDVALIDITY: mapped, not duplicated');
    return { status: 'remapped', sha256, ledgerId: null };
  }

  const jobId = jobIds.processMessage(sha256);
  const ok = await waitForRedis(deps, log, () => enqueue(deps.queues, 'processMessage', { sha256 }, jobId));
  if (!ok) return { status: 'stopped', sha256 };
  if (ledgerId !== null) await markQueued(deps.db, ledgerId, jobId);
  log.info({ code: 'job.enqueued', jobId }, 'queued for processing');
  return { status: 'queued', sha256, ledgerId };
}
