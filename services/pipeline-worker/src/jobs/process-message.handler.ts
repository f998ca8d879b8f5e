import type { Job } from 'bullmq';
import type { Logger } from '@intake/logger';
import { AppError } from '@intake/domain';
import { evaluateMessage } from '@intake/validation-rules';
import { enqueue, jobIds, ZProcessMessage } from '@intake/queue';
import { listLedger, registerMessage, setLedgerStatus, storeCopyFacts } from '@intake/register-store';
import type { WorkerContext } from '../worker-context.js';
import type { MessageParser, OcrMode } from '../message-parser.js';
import { readGuarded } from './poison-guard.js';
import { correspondenceFlags, mailClassOf } from '../mail-class-of.js';
import { enqueueOcrPhase } from './ocr-message.handler.js';

/** Bumped when parsing changes meaningfully: `intake reprocess` re-reads older results. */
export const PARSER_VERSION = '1';

/** The earliest server receipt time of a message's deliveries is its receipt time. */
async function receiptOf(ctx: WorkerContext, sha256: string): Promise<{ at: Date; source: string }> {
  const rows = await listLedger(ctx.db, { sha256 });
  if (rows.length === 0) throw new AppError('NOT_FOUND', { message: `no ledger entry for ${sha256}`, permanent: true });
  const rank = (s: string) => (s === 'server' ? 0 : s === 'mbox' ? 1 : 2);
  const best = [...rows].sort(
    (a, b) =>
      rank(a.received_at_source) - rank(b.received_at_source) || a.received_at.getTime() - b.received_at.getTime(),
  )[0]!;
  return { at: new Date(best.received_at), source: best.received_at_source };
}

/**
 * parse → group/de-duplicate → register, then hand the application to
 * validation. Idempotent: a retried or re-delivered job finds the message
 * registered and only re-enqueues the (deterministic) validation job.
 */
export async function handleProcessMessage(
  job: Job,
  ctx: WorkerContext,
  parser: MessageParser,
): Promise<{ applicationId: number; created: boolean }> {
  const { sha256, reprocess } = ZProcessMessage.parse(job.data);
  const log = ctx.logger.child({ sha256, jobId: job.id, queue: 'process' });
  const reg = await processArchivedMessage(ctx, parser, sha256, { reprocess, logger: log });
  // phase 2 for scans: queued before validation, so the reply can wait for it (see ocr-message.handler)
  if (reg.ocrPending.length > 0) await enqueueOcrPhase(ctx, sha256, reg.ocrPending, log);
  const trigger = reprocess ? `reprocess-${job.id ?? sha256}` : sha256;
  for (const applicationId of new Set([reg.applicationId, ...reg.affectedApplicationIds])) {
    const isOwn = applicationId === reg.applicationId && !reprocess;
    await enqueue(
      ctx.queues,
      'validateApplication',
      {
        applicationId,
        triggeredBySha256: isOwn ? sha256 : null,
        silent: !isOwn,
      },
      jobIds.validateApplication(applicationId, trigger),
    );
  }
  return { applicationId: reg.applicationId, created: reg.created };
}

/**
 * Read one archived message with the current code and profile and put it in
 * the register (shared by the job and by `intake reprocess`, which runs it
 * in-process without replying).
 */
export async function processArchivedMessage(
  ctx: WorkerContext,
  parser: MessageParser,
  sha256: string,
  opts: { reprocess: boolean; logger: Logger; ocr?: OcrMode },
): Promise<{
  applicationId: number;
  affectedApplicationIds: number[];
  created: boolean;
  messageReceiptNo: string;
  ocrPending: Array<{ path: string; pages: number[] }>;
}> {
  const log = opts.logger;
  await setLedgerStatus(ctx.db, sha256, 'processing');
  const raw = await ctx.rawStore.get(sha256);
  const receipt = await receiptOf(ctx, sha256);
  // a job defers OCR to its own queue; `intake reprocess` and the OCR phase read scans now
  const { parsed, ocrPending, copyFacts } = await readGuarded(ctx, parser, sha256, raw, {
    receivedAt: receipt.at,
    receivedAtSource: receipt.source,
    logger: log,
    ocr: opts.ocr ?? (opts.reprocess ? 'inline' : 'defer'),
  });
  parsed.flags = evaluateMessage(parsed, ctx.profile);
  // auto-replies, bounces and answers to our 回执 are listed with what they refer to, never as submissions
  const { mailClass, joinApplicationId } = await mailClassOf(ctx.db, parsed, raw, ctx.ackFrom);
  parsed.mailClass = mailClass;
  if (mailClass.kind !== 'submission') parsed.flags = correspondenceFlags(parsed);
  log.info(
    {
      code: 'message.parsed',
      messageId: parsed.messageId,
      applicant: parsed.applicant?.code ?? null,
      cluster: parsed.cluster,
      attachments: parsed.attachments.length,
      mailKind: mailClass.kind,
      mailReason: mailClass.reason,
      joinApplicationId,
    },
    'message parsed',
  );

  const reg = await registerMessage(ctx.db, {
    parsed,
    sha256,
    receivedAt: receipt.at,
    receivedAtSource: receipt.source,
    profile: ctx.profile,
    parserVersion: PARSER_VERSION,
    reprocess: opts.reprocess,
    joinApplicationId,
  });
  // before validation runs: it pairs this message's scans and electronic files with the application's others
  await storeCopyFacts(ctx.db, reg.messageRowId, copyFacts);
  await setLedgerStatus(ctx.db, sha256, 'done');
  log.info(
    {
      code: 'message.registered',
      applicationId: reg.applicationId,
      receiptNo: reg.messageReceiptNo,
      created: reg.created,
    },
    reg.created ? 'registered' : 'already registered',
  );
  return { ...reg, ocrPending };
}
