// The memory figures' common parts: one mail carrying one file, and a child process that parses
// it (or runs a bare library) and reports its own peak RSS, so that no figure inherits another's heap.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'memory-child.js');

export interface ChildResult {
  mode: string;
  ms: number;
  peakRssMB: number;
  detail: string;
}

export function runChild(mode: string, file: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CHILD, mode, file],
      { maxBuffer: 1024 * 1024, timeout: 300_000 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`memory child ${mode} failed: ${err.message}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildResult);
        } catch (e) {
          reject(new Error(`memory child ${mode}: no result (${(e as Error).message}): ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

/** A plain submission mail carrying one file, base64 in 76-character lines; `id` makes its Message-ID. */
export function mailWith(file: Buffer, filename: string, contentType: string, id: string): Buffer {
  const b64 = file.toString('base64').replace(/.{76}/g, '$&\r\n');
  const name = Buffer.from(filename, 'utf8').toString('base64');
  const head = [
    'From: =?UTF-8?B?' +
      Buffer.from('长春市发展和改革委员会', 'utf8').toString('base64') +
      '?= <gaojichu@fgw.u220100.test>',
    'To: intake@desk.test',
    'Subject: =?UTF-8?B?' + Buffer.from('长春市生物医药产业集群申报材料', 'utf8').toString('base64') + '?=',
    'Date: Tue, 12 May 2020 10:00:00 +0800',
    `Message-ID: <bench-memory-${id}@bench.invalid>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    '申报材料见附件。',
    '',
    '--b1',
    `Content-Type: ${contentType}; name="=?UTF-8?B?${name}?="`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="=?UTF-8?B?${name}?="`,
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head + '\r\n'), Buffer.from(b64), Buffer.from('\r\n--b1--\r\n')]);
}
