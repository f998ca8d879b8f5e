import { parentPort, workerData } from 'node:worker_threads';
import type { ExtractRequest, ExtractResponse, ExtractResult } from './extraction-protocol.js';
import { readOfdText } from './ofd-text.js';

/**
 * Worker entry: reads one attachment's content per request. It runs with a
 * capped heap and is terminated by the pool when it overruns the time cap, so
 * it needs no limits of its own.
 */

type Extractor = Pick<typeof import('@intake/content-extraction'), 'readProjectTable' | 'extractDocumentText'>;

// pdf.js and pdf-lib print warnings about malformed files straight to the
// console; in this thread they are noise on the service's log stream (what
// matters reaches the caller as an error or a note)
// eslint-disable-next-line no-console -- silencing the console is the point here
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => undefined;

const data = (workerData ?? {}) as { extractorModule?: string };
// the extractor module is swappable so tests can inject a slow or crashing one
const extractor: Promise<Extractor> = import(
  data.extractorModule ?? '@intake/content-extraction'
) as Promise<Extractor>;

async function runJob(req: ExtractRequest): Promise<ExtractResult> {
  const { readProjectTable, extractDocumentText } = await extractor;
  const buf = Buffer.from(req.data.buffer, req.data.byteOffset, req.data.byteLength);
  const job = req.job;
  if (job.op === 'table') {
    return readProjectTable(buf, {
      filename: job.filename,
      format: job.format,
      ...(job.largeProjectWan === undefined ? {} : { largeProjectWan: job.largeProjectWan }),
    });
  }
  if (job.format === 'ofd') return readOfdText(buf);
  // the request's bytes were transferred to this worker for this job alone
  return extractDocumentText(buf, {
    format: job.format,
    consumeInput: true,
    ...(job.largeProjectWan === undefined ? {} : { largeProjectWan: job.largeProjectWan }),
  });
}

const port = parentPort;
if (!port) throw new Error('extract-worker must run as a worker thread');

port.on('message', (req: ExtractRequest) => {
  runJob(req).then(
    (result) => port.postMessage({ id: req.id, ok: true, result } satisfies ExtractResponse),
    (err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      port.postMessage({ id: req.id, ok: false, error: error || 'extraction failed' } satisfies ExtractResponse);
    },
  );
});
