import type { ApplicantDirectory, TCampaignProfile } from '@intake/domain';
import type { Queryable } from '../db.js';
import { exportRegisterJson, type ExportOptions } from './register-json.js';
import { mainTable, type Cell } from './register-table.js';

/**
 * A text cell that a spreadsheet would run as a formula (OWASP CSV injection:
 * it begins with = + - @, a tab or a carriage return) gets a leading
 * apostrophe, so Excel and WPS show it as text. Subjects, sender names and
 * project names are written by strangers. Numbers are ours and stay numbers.
 */
export function neutraliseFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; text that looks like a formula neutralised. */
export function csvField(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : neutraliseFormula(v);
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
