import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import {
  EXIT_EXTERNAL_MEMORY,
  type ExtractReady,
  type ExtractRequest,
  type ExtractResponse,
  type ExtractResult,
} from './extraction-protocol.js';
import { measureOfficeInflation } from './office-inflation.js';
import { openOfficeZip } from './office-zip-file.js';

/**
 * Worker entry: reads one attachment's content per request. It runs with a
 * capped heap and is terminated by the pool when it overruns the time cap.
 * What the heap cap does not see it bounds itself: an .xlsx/.docx is measured
 * in real inflated bytes before a reader opens it, memory outside the heap
 * (ArrayBuffers, zlib output) is watched and the thread stops itself past its
 * cap, and temp files go to the job's own directory, which the pool removes.
 */

type Extractor = Pick<typeof import('@intake/content-extraction'), 'readProjectTable' | 'extractDocumentText'> & {
  sheetJsUsed?: () => boolean;
  /** the legacy-spreadsheet extractor's: SheetJS loaded before the first job, from the pool's code cache */
  preloadSheetJs?: (codeCache?: Uint8Array) => void;
  sheetJsCodeCache?: () => Uint8Array | undefined;
};

// pdf.js and pdf-lib print warnings about malformed files straight to the
// console; in this thread they are noise on the service's log stream (what
// matters reaches the caller as an error or a note)
// eslint-disable-next-line no-console -- silencing the console is the point here
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => undefined;

const data = (workerData ?? {}) as {
  extractorModule?: string;
  externalMemoryMb?: number;
  sheetJsCodeCache?: Uint8Array;
};
// the extractor module is swappable so tests can inject a slow or crashing one
const extractor: Promise<Extractor> = (
  import(data.extractorModule ?? '@intake/content-extraction') as Promise<Extractor>
).then((e) => {
  e.preloadSheetJs?.(data.sheetJsCodeCache);
  return e;
});

const externalCap = (data.externalMemoryMb ?? 320) * 1024 * 1024;
// process.memoryUsage() in a worker counts this thread's external memory (its ArrayBuffers) alone
setInterval(() => {
  if (process.memoryUsage().external > externalCap) process.exit(EXIT_EXTERNAL_MEMORY);
}, 200).unref();

function isZip(d: Buffer): boolean {
  return d.length > 4 && d.readUInt32BE(0) === 0x504b0304;
}

/**
 * The job with its own temp directory, removed after it however the reading ends. Only
 * exceljs writes temp files (sheets it meets before the workbook): the directory is made for
 * xlsx tables alone; for every other job TMPDIR names a directory that does not exist, so a
 * reader that tried to write there would fail rather than leave a file anywhere.
 */
async function runInTmp(req: ExtractRequest): Promise<ExtractResult> {
  const spools =
    req.job.op === 'table' &&
    isZip(Buffer.from(req.data.buffer, req.data.byteOffset, Math.min(8, req.data.byteLength)));
  if (spools) fs.mkdirSync(req.tmpDir, { recursive: true });
  try {
    return await runJob(req);
  } finally {
    if (spools) removeDir(req.tmpDir);
  }
}

function removeDir(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty (exceljs spooled a sheet): the recursive removal, which costs more
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runJob(req: ExtractRequest): Promise<ExtractResult> {
  const { readProjectTable, extractDocumentText } = await extractor;
  const buf = Buffer.from(req.data.buffer, req.data.byteOffset, req.data.byteLength);
  const job = req.job;
  const zipped = isZip(buf);
  // a .docx is opened once here: mammoth and the table reader take its entries from our reader,
  // inflated on demand under the real-byte cap; a spreadsheet is measured before exceljs streams it
  const docx = job.op === 'text' && job.format !== 'ofd' && zipped ? openOfficeZip(buf, req.bounds) : null;
  const measured = job.op === 'table' && zipped ? await measureOfficeInflation(buf, req.bounds) : null;
  if (measured?.refusal) throw new Error(measured.refusal);
  // exceljs' streaming reader spools sheets met before the workbook to os.tmpdir(): this job's own directory
  // eslint-disable-next-line no-restricted-properties -- this thread's private copy of the environment, for os.tmpdir()
  process.env.TMPDIR = req.tmpDir;
  if (job.op === 'table') {
    return readProjectTable(buf, {
      filename: job.filename,
      format: job.format,
      ...(job.largeProjectWan === undefined ? {} : { largeProjectWan: job.largeProjectWan }),
      // counted just now, not the zip's claim: it picks exceljs' whole load for a small table
      ...(measured ? { unpackedBytes: measured.unpackedBytes } : {}),
    });
  }
  // imported when an OFD comes: fast-xml-parser is ~60 ms of every thread's start otherwise,
  // and a legacy-spreadsheet thread is started for each .xls
  if (job.format === 'ofd') return (await import('./ofd-text.js')).readOfdText(buf);
  // the request's bytes were transferred to this worker for this job alone
  return extractDocumentText(buf, {
    format: job.format,
    consumeInput: true,
    ...(job.largeProjectWan === undefined ? {} : { largeProjectWan: job.largeProjectWan }),
    ...(job.maxPages === undefined ? {} : { maxPages: job.maxPages }),
    ...(docx ? { zipFile: docx } : {}),
  });
}

/** SheetJS read a file here (or the extractor did not even load): the pool must not reuse this thread. */
function tainted(): Promise<boolean> {
  return extractor.then(
    (e) => e.sheetJsUsed?.() ?? false,
    () => true,
  );
}

const port = parentPort;
if (!port) throw new Error('extract-worker must run as a worker thread');

// ExtractPool.warm waits for this; a failed load counts as ready too (the first job reports it).
// A legacy thread that compiled SheetJS afresh sends the code cache it made for its successors.
const ready = (codeCache?: Uint8Array): void =>
  port.postMessage({ ready: true, ...(codeCache ? { sheetJsCodeCache: codeCache } : {}) } satisfies ExtractReady);
void extractor.then(
  (e) => ready(e.sheetJsCodeCache?.()),
  () => ready(),
);

port.on('message', (req: ExtractRequest) => {
  runInTmp(req).then(
    async (result) =>
      port.postMessage({ id: req.id, ok: true, result, retire: await tainted() } satisfies ExtractResponse),
    async (err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      port.postMessage({
        id: req.id,
        ok: false,
        error: error || 'extraction failed',
        retire: await tainted(),
      } satisfies ExtractResponse);
    },
  );
});
