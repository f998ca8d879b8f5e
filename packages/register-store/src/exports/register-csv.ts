import type { ApplicantDirectory, TCampaignProfile } from '@intake/domain';
import type { Queryable } from '../db.js';
import { exportRegisterJson, type ExportOptions } from './register-json.js';
import { mainTable, type Cell } from './register-table.js';

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per application, the xlsx main sheet's columns. UTF-8 with a BOM
 * and CRLF: without the BOM, Excel and WPS read the Chinese as GBK mojibake.
 */
export async function exportRegisterCsv(
  q: Queryable,
  profile: TCampaignProfile,
  directory: ApplicantDirectory,
  opts: ExportOptions = {},
): Promise<string> {
  const { headers, rows } = mainTable(await exportRegisterJson(q, profile, directory, opts), profile);
  return '\uFEFF' + [headers, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
