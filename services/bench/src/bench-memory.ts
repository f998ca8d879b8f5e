import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBigScanPdf, writeBigXlsx } from '@intake/fixture-generator';
import { progress } from './progress.js';
import type { Figure } from './report.js';
import { ratio } from './stats.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'memory-child.js');

interface ChildResult {
  mode: string;
  ms: number;
  peakRssMB: number;
  detail: string;
}

function runChild(mode: string, file: string): Promise<ChildResult> {
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

/** A plain submission mail carrying one file, base64 in 76-character lines. */
function mailWith(file: string, filename: string, contentType: string): Buffer {
  const b64 = fs.readFileSync(file).toString('base64').replace(/.{76}/g, '$&\r\n');
  const name = Buffer.from(filename, 'utf8').toString('base64');
  const head = [
    'From: =?UTF-8?B?' +
      Buffer.from('长春市发展和改革委员会', 'utf8').toString('base64') +
      '?= <gaojichu@fgw.u220100.test>',
    'To: intake@desk.test',
    'Subject: =?UTF-8?B?' + Buffer.from('长春市生物医药产业集群申报材料', 'utf8').toString('base64') + '?=',
    'Date: Tue, 12 May 2020 10:00:00 +0800',
    `Message-ID: <bench-memory-${path.basename(file)}@bench.invalid>`,
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

async function pair(
  key: string,
  label: string,
  dir: string,
  file: string,
  bareMode: 'pdf' | 'xlsx',
  filename: string,
  type: string,
  idleMB: number,
): Promise<Figure> {
  const eml = path.join(dir, `${bareMode}.eml`);
  fs.writeFileSync(eml, mailWith(file, filename, type));
  const ours = await runChild('ours', eml);
  const bare = await runChild(bareMode, file);
  progress(
    `memory: ${key} ours ${ours.peakRssMB.toFixed(0)} MB in ${(ours.ms / 1000).toFixed(1)} s (${ours.detail}); bare ${bare.peakRssMB.toFixed(0)} MB in ${(bare.ms / 1000).toFixed(1)} s (${bare.detail})`,
  );
  return {
    key,
    value: ours.peakRssMB,
    unit: 'MB',
    baseline: { label, value: bare.peakRssMB },
    ratio: ratio(ours.peakRssMB, bare.peakRssMB),
    note: `${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB file; ours read it as [${ours.detail}]; ours parses the whole ${(fs.statSync(eml).size / 1024 / 1024).toFixed(1)} MB mail (MIME + worker threads) in ${(ours.ms / 1000).toFixed(1)} s, the bare library reads the file alone in ${(bare.ms / 1000).toFixed(1)} s; an idle node process peaks at ${idleMB.toFixed(0)} MB`,
  };
}

/** memory.* figures: peak RSS of a child parsing one big file, ours vs the bare library on the same file. */
export async function benchMemory(dir: string, sizes: { scanMB: number; xlsxMB: number }): Promise<Figure[]> {
  const pdf = path.join(dir, 'big-scan.pdf');
  const xlsx = path.join(dir, 'big-table.xlsx');
  progress(`memory: writing a ${sizes.scanMB} MB scanned PDF and a ${sizes.xlsxMB} MB xlsx`);
  await writeBigScanPdf(pdf, sizes.scanMB);
  await writeBigXlsx(xlsx, sizes.xlsxMB);
  const idle = await runChild('idle', '-');
  const out: Figure[] = [];
  out.push(
    await pair(
      'memory.bigScanPeakRssMB',
      'pdf-parse getText',
      dir,
      pdf,
      'pdf',
      '关于申报长春市生物医药产业集群的请示（盖章扫描件）.pdf',
      'application/pdf',
      idle.peakRssMB,
    ),
  );
  out.push(
    await pair(
      'memory.bigXlsxPeakRssMB',
      'exceljs load',
      dir,
      xlsx,
      'xlsx',
      '附件2：2020年长春市生物医药产业集群重点项目汇总表.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      idle.peakRssMB,
    ),
  );
  return out;
}
