// An extractor for the limits tests: a table named "spool…" writes a temp file the way
// exceljs spools a sheet (into os.tmpdir()) and then never finishes; one named "hoard…"
// keeps allocating memory outside the heap (ArrayBuffers, as inflation does); text is echoed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export async function readProjectTable(data, opts) {
  if (opts.filename.includes('spool')) {
    fs.writeFileSync(path.join(os.tmpdir(), 'spooled-sheet.xml'), Buffer.alloc(1024 * 1024, 0x20));
    return new Promise(() => undefined);
  }
  const hoard = [];
  for (;;) {
    hoard.push(new ArrayBuffer(16 * 1024 * 1024));
    await sleep(10);
  }
}

export async function extractDocumentText(data) {
  return { text: Buffer.from(data).toString('utf8'), notes: [] };
}
