import fs from 'node:fs';
import path from 'node:path';
import { lyingDocx, lyingXlsx } from '@intake/fixture-generator';
import { mailWith, runChild } from './memory-probe.js';
import { progress } from './progress.js';
import type { Figure } from './report.js';

/**
 * memory.lyingXlsxPeakRssMB / memory.lyingDocxPeakRssMB (issue 12.8): peak RSS of
 * a child process parsing one mail that carries an office file whose zip directory
 * lies about its size (each entry claims 2 KB; the sheet or the document body
 * really inflates to 64 / 48 MiB). Aim: under 512 MB, and the file refused.
 */

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
    fs.writeFileSync(eml, mailWith(c.file, c.name, c.type, `lying-${c.inflated}`));
    const r = await runChild('ours', eml);
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
