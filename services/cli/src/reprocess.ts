import { reprocessMessages } from '@intake/pipeline-worker';
import type { Runtime } from './runtime.js';
import { buildWorkerContext } from './worker-service.js';

/** `intake reprocess`: in this process, without replying (no transport). */
export async function reprocess(rt: Runtime, opts: { all: boolean; receipts: string[] }): Promise<number> {
  const ctx = await buildWorkerContext(rt);
  ctx.transport = null;
  const r = await reprocessMessages(ctx, opts.all ? { all: true } : { receiptNos: opts.receipts });
  rt.logger.info({ code: 'reprocess.done', ...r }, 'reprocessed');
  return r.messages;
}
