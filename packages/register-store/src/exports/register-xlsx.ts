import ExcelJS from 'exceljs';
import type { ApplicantDirectory, TCampaignProfile } from '@intake/domain';
import type { Queryable } from '../db.js';
import { listMissingApplicants } from '../missing-applicants.js';
import {
  CORRECTION_HEADERS,
  correctionNoteText,
  correctionRows,
  mainCorrectedCells,
  projectCorrectedCells,
  type CorrectedCell,
} from './correction-cells.js';
import { exportRegisterJson, type ExportOptions } from './register-json.js';
import {
  CHECK_COLUMNS,
  MESSAGE_HEADERS,
  NO,
  PROJECT_HEADERS,
  mainTable,
  messageRow,
  projectRows,
  type Cell,
} from './register-table.js';

const FILL_PROBLEM_ROW = 'FFFFF2CC';
const FILL_MISSING_CELL = 'FFFFC7CE';
const FILL_HEADER = 'FFD9E1F2';
/** a value staff corrected: light blue, with a note holding the reading, the author and the reason */
export const FILL_CORRECTED = 'FFDDEBF7';

const MAIN_WIDTHS = [12, 18, 12, 30, 14, 20, 20, 8, 8, 12, 16, 16, 8, 16, 18, 14, 50, 12, 30];
const MESSAGE_WIDTHS = [14, 12, 18, 32, 40, 20, 60, 6, 24];
const PROJECT_WIDTHS = [12, 18, 30, 40, 30, 20, 14, 14, 14, 6, 30, 8];
const CORRECTION_WIDTHS = [12, 18, 40, 24, 24, 24, 40, 12, 20, 22, 12, 20, 30];

function fill(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

/** Bold header, frozen first row, autofilter over the columns, fixed widths. */
function addTableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  headers: string[],
  rows: Cell[][],
  widths: number[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = headers.map((h, i) => ({ header: h, width: widths[i] ?? 14 }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.eachCell((c) => {
    c.fill = fill(FILL_HEADER);
  });
  for (const r of rows) ws.addRow(r);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  return ws;
}

function markCorrected(row: ExcelJS.Row, cells: readonly CorrectedCell[]): void {
  for (const m of cells) {
    const c = row.getCell(m.col + 1);
    c.fill = fill(FILL_CORRECTED);
    c.note = m.note;
  }
}

/**
 * The register as staff open it in WPS or Excel: 申报登记表 (one row per
 * application, problems highlighted), 来件明细, 重点项目, 未申报单位, and
 * 校正记录 (every staff correction). Corrected values are light blue with a
 * note saying what was read, who corrected it and why.
 */
export async function exportRegisterXlsx(
  q: Queryable,
  profile: TCampaignProfile,
  directory: ApplicantDirectory,
  opts: ExportOptions = {},
): Promise<Buffer> {
  const exp = await exportRegisterJson(q, profile, directory, opts);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'intake';
  wb.created = opts.generatedAt ?? new Date();

  const { headers, rows } = mainTable(exp, profile);
  const main = addTableSheet(wb, '申报登记表', headers, rows, MAIN_WIDTHS);
  exp.applications.forEach((a, i) => {
    const row = main.getRow(i + 2);
    row.alignment = { vertical: 'top', wrapText: true };
    if (a.flags.length > 0)
      row.eachCell({ includeEmpty: true }, (c) => {
        c.fill = fill(FILL_PROBLEM_ROW);
      });
    for (const col of CHECK_COLUMNS) {
      const c = row.getCell(col + 1);
      if (c.value === NO) {
        c.fill = fill(FILL_MISSING_CELL);
        c.font = { color: { argb: 'FF9C0006' }, bold: true };
      }
    }
    markCorrected(row, mainCorrectedCells(a, profile));
  });

  const messageRows = exp.applications.flatMap((a) => a.messages.map((m) => messageRow(a, m, profile)));
  const msgSheet = addTableSheet(wb, '来件明细', MESSAGE_HEADERS, messageRows, MESSAGE_WIDTHS);
  msgSheet.eachRow((r, n) => {
    if (n > 1) r.alignment = { vertical: 'top', wrapText: true };
  });
  const allMessages = exp.applications.flatMap((a) => a.messages);
  allMessages.forEach((m, i) => {
    const notes = m.attachments.flatMap((t) =>
      (t.corrections ?? []).map((c) => `${t.filename}：${correctionNoteText(c, profile)}`),
    );
    if (notes.length) markCorrected(msgSheet.getRow(i + 2), [{ col: 6, note: notes.join('\n\n') }]);
  });

  const projSheet = addTableSheet(
    wb,
    '重点项目',
    PROJECT_HEADERS,
    exp.applications.flatMap(projectRows),
    PROJECT_WIDTHS,
  );
  projSheet.eachRow((r, n) => {
    if (n > 1 && r.getCell(PROJECT_HEADERS.length).value === '重复')
      r.eachCell({ includeEmpty: true }, (c) => {
        c.fill = fill(FILL_PROBLEM_ROW);
      });
  });
  exp.applications
    .flatMap((a) => a.projects)
    .forEach((p, i) => {
      markCorrected(projSheet.getRow(i + 2), projectCorrectedCells(p, profile));
    });

  const missing = await listMissingApplicants(q, directory);
  const grouped = new Set<string>();
  const missingRows: Cell[][] = [];
  for (const g of missing.byPrefecture) {
    for (const u of g.missing) {
      grouped.add(u.code);
      missingRows.push([g.prefecture.name, u.name, u.code, u.level === 'prefecture' ? '市（州）' : '县（市）']);
    }
  }
  for (const u of missing.units)
    if (!grouped.has(u.code))
      missingRows.push(['（其他）', u.name, u.code, u.level === 'prefecture' ? '市（州）' : '县（市）']);
  addTableSheet(wb, '未申报单位', ['市（州）', '单位名称', '行政区划代码', '级别'], missingRows, [22, 24, 14, 10]);
  const log = addTableSheet(
    wb,
    '校正记录',
    CORRECTION_HEADERS,
    exp.applications.flatMap((a) => correctionRows(a, profile)),
    CORRECTION_WIDTHS,
  );
  log.eachRow((r, n) => {
    if (n > 1) r.alignment = { vertical: 'top', wrapText: true };
  });

  return Buffer.from(await wb.xlsx.writeBuffer());
}
