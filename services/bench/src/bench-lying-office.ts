import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lyingDocx, lyingXlsx } from '@intake/fixture-generator';
import { progress } from './progress.js';
import type { Figure } from './report.js';

/**
 * memory.lyingXlsxPeakRssMB / memory.lyingDocxPeakRssMB (issue 12.8): peak RSS of
 * a child process parsing one mail that carries an office file whose zip directory
 * lies about its size (each entry claims 2 KB; the sheet or the document body
 * really inflates to 64 / 48 MiB). Aim: under 512 MB, and the file refused.
 */

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'memory-child.js');

function mailCarrying(file: Buffer, filename: string, type: string): Buffer {
  const name = `=?UTF-8?B?${Buffer.from(filename, 'utf8').toString('base64')}?=`;
  const head = [
    'From: office@bench.invalid',
    'To: intake@desk.test',
    'Subject: =?UTF-8?B?' + Buffer.from('长春市生物医药产业集群申报材料', 'utf8').toString('base64') + '?=',
    'Date: Tue, 12 May 2020 10:00:00 +0800',
    `Message-ID: <bench-lying-${filename.length}@bench.invalid>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    '申报材料见附件。',
    '',
    '--b1',
    `Content-Type: ${type}; name="${name}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${name}"`,
    '',
    file.toString('base64').replace(/.{76}/g, '$&\r\n'),
    '--b1--',
    '',
  ];
  return Buffer.from(head.join('\r\n'));
}

function peakOf(eml: string): Promise<{ peakRssMB: number; ms: number; detail: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CHILD, 'ours', eml], { maxBuffer: 1024 * 1024, timeout: 300_000 }, (err, stdout) => {
      if (err) {
        reject(new Error(`memory child failed on ${path.basename(eml)}: ${err.message}`));
        return;
      }
      try {
        resolve(
          JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { peakRssMB: number; ms: number; detail: string },
        );
      } catch (e) {
        reject(new Error(`memory child gave no result: ${(e as Error).message}`));
      }
    });
  });
}

export async function benchLyingOffice(dir: string): Promise<Figure[]> {
  const cases = [
    {
      key: 'memory.lyingXlsxPeakRssMB',
      file: lyingXlsx(64),
      name: '附件2：重点项目汇总表.xlsx',
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      inflated: 64,
    },
    {
      key: 'memory.lyingDocxPeakRssMB',
      file: lyingDocx(48),
      name: '附件1：申报材料.docx',
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      inflated: 48,
    },
  ];
  const out: Figure[] = [];
  for (const c of cases) {
    const eml = path.join(dir, `${c.key}.eml`);
    fs.writeFileSync(eml, mailCarrying(c.file, c.name, c.type));
    const r = await peakOf(eml);
    progress(`memory: ${c.key} ${r.peakRssMB.toFixed(0)} MB in ${(r.ms / 1000).toFixed(1)} s (${r.detail})`);
    out.push({
      key: c.key,
      value: r.peakRssMB,
      unit: 'MB',
      aim: '< 512 MB',
      note: `${(c.file.length / 1024).toFixed(0)} KB file whose zip directory claims 2 KB per entry, really ${c.inflated} MiB; read as [${r.detail}]; aim < 512 MB`,
    });
  }
  return out;
}
