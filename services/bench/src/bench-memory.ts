import fs from 'node:fs';
import path from 'node:path';
import { writeBigScanPdf, writeBigXlsx } from '@intake/fixture-generator';
import { mailWith, runChild } from './memory-probe.js';
import { progress } from './progress.js';
import type { Figure } from './report.js';
import { ratio } from './stats.js';

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
  fs.writeFileSync(eml, mailWith(fs.readFileSync(file), filename, type, path.basename(file)));
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
