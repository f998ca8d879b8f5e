import { createMessageParser, processArchivedMessage } from '@intake/pipeline-worker';
import { listMessageShas, validateApplication } from '@intake/register-store';
import type { Runtime } from './runtime.js';
import { buildWorkerContext } from './worker-service.js';

/**
 * Re-read archived mail with the current code and campaign profile, in this
 * process: no IMAP fetch, no queue, no reply. Applications touched (and those
 * sharing projects with them) are re-validated afterwards.
 */
export async function reprocess(rt: Runtime, opts: { all: boolean; receipts: string[] }): Promise<number> {
  const ctx = await buildWorkerContext(rt);
  ctx.transport = null;
  const shas = await listMessageShas(ctx.db, opts.all ? { all: true } : { receiptNos: opts.receipts });
  if (shas.length === 0) throw new Error(opts.all ? 'the register holds no messages yet' : `no message matches ${opts.receipts.join(', ')}`);
  const parser = createMessageParser(ctx);
  const touched = new Set<number>();
  try {
    for (const { sha256 } of shas) {
      const r = await processArchivedMessage(ctx, parser, sha256, { reprocess: true, logger: rt.logger.child({ sha256, command: 'reprocess' }) });
      touched.add(r.applicationId);
      for (const id of r.affectedApplicationIds) touched.add(id);
    }
  } finally {
    await parser.close();
  }
  const peers = new Set<number>();
  for (const id of touched) {
    const v = await validateApplication(ctx.db, id, ctx.profile);
    for (const p of v.peersToRevalidate) if (!touched.has(p)) peers.add(p);
  }
  for (const id of peers) await validateApplication(ctx.db, id, ctx.profile);
  rt.logger.info({ code: 'reprocess.done', messages: shas.length, applications: touched.size + peers.size }, 'reprocessed');
  return shas.length;
}
