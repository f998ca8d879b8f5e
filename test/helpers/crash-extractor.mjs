// An extractor for the poison test (issue 12.8): a table whose file name contains "kill-process"
// takes down the whole process it runs in (SIGKILL, as the kernel's OOM killer does to a worker
// whose reader inflated too much outside the heap); every such call is first recorded, one line
// per call with the pid, in the file named by this module URL's `log` parameter. Everything else
// is read by the real extractor.
import fs from 'node:fs';
import * as real from '@intake/content-extraction';

const log = new URL(import.meta.url).searchParams.get('log');

export function readProjectTable(data, opts) {
  if (opts.filename.includes('kill-process')) {
    if (log) fs.appendFileSync(log, `${process.pid}\n`);
    process.kill(process.pid, 'SIGKILL');
    return new Promise(() => undefined);
  }
  return real.readProjectTable(data, opts);
}

export const extractDocumentText = real.extractDocumentText;
export const sheetJsUsed = real.sheetJsUsed;
