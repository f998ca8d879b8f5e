import { parentPort } from 'node:worker_threads';
import { extractDocumentText, readProjectTable } from '@intake/content-extraction';
import type { TExtractRequest, TExtractResponse, TExtractResult } from './extraction-protocol.js';

/**
 * Worker entry: reads one attachment's content per request. It runs with a
 * capped heap and is terminated by the pool when it overruns the time cap, so
 * it needs no limits of its own.
 */

async function runJob(req: TExtractRequest): Promise<TExtractResult> {
  const data = Buffer.from(req.data.buffer, req.data.byteOffset, req.data.byteLength);
  const job = req.job;
  if (job.op === 'table') {
    return readProjectTable(data, {
      filename: job.filename,
      format: job.format,
      ...(job.largeProjectWan === undefined ? {} : { largeProjectWan: job.largeProjectWan }),
    });
  }
  return extractDocumentText(data, { format: job.format });
}

const port = parentPort;
if (!port) throw new Error('extract-worker must run as a worker thread');

port.on('message', (req: TExtractRequest) => {
  runJob(req).then(
    (result) => port.postMessage({ id: req.id, ok: true, result } satisfies TExtractResponse),
    (err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      port.postMessage({ id: req.id, ok: false, error: error || 'extraction failed' } satisfies TExtractResponse);
    },
  );
});
