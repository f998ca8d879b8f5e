import fs from 'node:fs';
import path from 'node:path';
import { headerBlockText } from '@intake/domain';

/** One message found by `intake import`, with where its receipt time came from. */
export interface ImportItem {
  sourceRef: string;
  raw: Buffer;
  receivedAt: Date;
  receivedAtSource: 'mbox' | 'received-header' | 'date-header' | 'file-mtime';
}

const MBOX_FROM = /^From \S+ +(.+)$/;

function isMbox(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(5);
    fs.readSync(fd, buf, 0, 5, 0);
    return buf.toString('latin1') === 'From ';
  } finally {
    fs.closeSync(fd);
  }
}

/** Files to import under the given paths: .eml files, mbox files, folders of them (recursively). */
export function listImportFiles(paths: string[]): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
    } else if (st.isFile() && (/\.(eml|mbox|mbx)$/i.test(p) || isMbox(p) || /\.msg822$/i.test(p))) {
      out.push(path.resolve(p));
    }
  };
  for (const p of paths) visit(p);
  return out;
}

function headerBlock(raw: Buffer): string {
  return headerBlockText(raw, 256 * 1024, 256 * 1024).replace(/\r?\n[ \t]+/g, ' ');
}

/**
 * The receipt time of a file that never passed our IMAP server: the topmost
 * Received header (stamped by the receiving server), else the Date header
 * (the sender's clock — marked as such), else the file's mtime.
 */
export function receiptTimeOf(raw: Buffer, fallback: Date): Pick<ImportItem, 'receivedAt' | 'receivedAtSource'> {
  const head = headerBlock(raw);
  const received = /^received:[^\n]*;\s*([^\n;]+?)\s*$/im.exec(head);
  if (received?.[1]) {
    const t = Date.parse(received[1].replace(/\s*\([^)]*\)\s*$/, ''));
    if (!Number.isNaN(t)) return { receivedAt: new Date(t), receivedAtSource: 'received-header' };
  }
  const date = /^date:\s*([^\n]+?)\s*$/im.exec(head);
  if (date?.[1]) {
    const t = Date.parse(date[1].replace(/\s*\([^)]*\)\s*$/, ''));
    if (!Number.isNaN(t)) return { receivedAt: new Date(t), receivedAtSource: 'date-header' };
  }
  return { receivedAt: fallback, receivedAtSource: 'file-mtime' };
}

/** asctime in the "From " line is UTC by mbox convention */
function mboxDate(line: string): Date | null {
  const m = MBOX_FROM.exec(line);
  if (!m?.[1]) return null;
  const t = Date.parse(`${m[1].trim()} UTC`);
  return Number.isNaN(t) ? null : new Date(t);
}

/** Split an mbox (mboxo/mboxrd): messages start at "From " lines; ">From " quoting is undone. */
export function* readMbox(file: string): Generator<ImportItem> {
  const text = fs.readFileSync(file).toString('latin1');
  const lines = text.split('\n');
  let current: string[] | null = null;
  let fromLine = '';
  let index = 0;
  const mtime = fs.statSync(file).mtime;
  const flush = function* (): Generator<ImportItem> {
    if (!current) return;
    while (current.length && current[current.length - 1] === '') current.pop();
    const raw = Buffer.from(current.map((l) => l.replace(/^>(>*From )/, '$1')).join('\n') + '\n', 'latin1');
    const at = mboxDate(fromLine);
    const r = at ? { receivedAt: at, receivedAtSource: 'mbox' as const } : receiptTimeOf(raw, mtime);
    yield { sourceRef: `${file}#${index}`, raw, ...r };
    index++;
  };
  for (const line of lines) {
    if (line.startsWith('From ') && (current === null || current[current.length - 1] === '' || current.length === 0)) {
      yield* flush();
      current = [];
      fromLine = line;
      continue;
    }
    current?.push(line);
  }
  yield* flush();
}

export function* readImportFile(file: string): Generator<ImportItem> {
  if (!/\.eml$/i.test(file) && isMbox(file)) {
    yield* readMbox(file);
    return;
  }
  const raw = fs.readFileSync(file);
  yield { sourceRef: file, raw, ...receiptTimeOf(raw, fs.statSync(file).mtime) };
}
