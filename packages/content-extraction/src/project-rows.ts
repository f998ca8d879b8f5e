import type { TProject } from '@intake/domain';
import type { Grid, GridCell, GridRow } from './grid.js';
import { cellAt, distinctTexts, isEmptyRow } from './grid.js';
import type { HeaderMatch } from './header-detect.js';
import { matchColumnLabel } from './header-detect.js';
import type { MoneyUnit } from './money.js';
import { parseAmount, toWan } from './money.js';
import { normalizePeriod } from './period.js';
import { cleanText, squeeze, toHalfWidth } from './text-normalize.js';

/** 合计/小计/总计 rows and their spaced-out forms ("合 计"). */
const TOTAL_ROW = /^(合计|小计|总计|共计|累计|总合计|全部合计|总额)/;
/** Notes under the table: everything after them is prose, not projects. */
const NOTES_ROW = /^(填表说明|说明|备注|注[:：1１一]|注$|附注|填报说明)/;
/** Sign-off lines at the bottom: 填表人：… 联系电话：… */
const SIGNOFF_ROW = /^(填表人|填报人|联系人|审核人|负责人|制表|填报单位|填表单位|联系电话|单位负责人)/;
/** Section headings between project groups: 一、续建项目 / （二）新建项目 / 1.储备项目 */
const SECTION_HEADING =
  /^([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]?(续建|新建|储备|前期|计划|谋划)|(续建|新建|储备|前期|在建|拟建|谋划|计划)(类)?项目)/;

export interface RowReadResult {
  projects: TProject[];
  notes: string[];
}

/** Reads the project rows under a found header. */
export function readProjectRows(grid: Grid, header: HeaderMatch, unit: MoneyUnit): RowReadResult {
  const cols = header.columns;
  const nameCol = cols.name ?? 0;
  const projects: TProject[] = [];
  const notes: string[] = [];
  const headerName = squeeze(header.labels[nameCol] ?? '');
  let inNotes = false;
  let formulaGaps = 0;
  let ownUnitCells = 0;
  for (let i = header.index + header.depth; i < grid.rows.length; i++) {
    const row = grid.rows[i];
    if (!row || isEmptyRow(row)) continue;
    const name = cleanText(cellAt(row, nameCol).text);
    const invCell = cols.investment === undefined ? null : cellAt(row, cols.investment);
    const kind = classifyRow(row, name, invCell, headerName);
    if (kind === 'notes') inNotes = true;
    if (kind !== 'project') continue;
    // after a 填表说明 line only rows that still look like projects count
    if (inNotes && !(invCell && amountOf(invCell))) continue;
    const investment = readInvestment(invCell, unit);
    if (investment.formulaGap) formulaGaps++;
    if (investment.ownUnit) ownUnitCells++;
    projects.push({
      name,
      owner: optionalText(row, cols.owner),
      location: optionalText(row, cols.location),
      totalInvestment: investment.wan,
      period: cols.period === undefined ? null : periodOf(cellAt(row, cols.period)),
      row: row.number,
      sheet: grid.sheet,
    });
  }
  if (formulaGaps > 0) notes.push(`${formulaGaps}个总投资单元格是没有缓存结果的公式，按未知处理`);
  if (ownUnitCells > 0) notes.push(`${ownUnitCells}个总投资单元格自带单位（如“3.5亿”），已按其单位换算`);
  return { projects, notes };
}

type RowKind = 'project' | 'total' | 'notes' | 'heading' | 'repeat-header' | 'skip';

function classifyRow(row: GridRow, name: string, invCell: GridCell | null, headerName: string): RowKind {
  const texts = distinctTexts(row).map((t) => squeeze(toHalfWidth(t)));
  const first = texts[0] ?? '';
  if (texts.some((t) => TOTAL_ROW.test(t)) && texts.slice(0, 3).some((t) => TOTAL_ROW.test(t))) return 'total';
  if (NOTES_ROW.test(first) || NOTES_ROW.test(squeeze(name))) return 'notes';
  if (SIGNOFF_ROW.test(first) || SIGNOFF_ROW.test(squeeze(name))) return 'skip';
  if (!name || name.length < 2 || /^[\d.,\s-]+$/.test(name)) return 'skip';
  if (squeeze(name) === headerName || matchColumnLabel(name)?.field === 'name') return 'repeat-header';
  const hasAmount = invCell !== null && amountOf(invCell) !== null;
  // a heading is a lone label (often merged across the row), never a row with an amount
  if (!hasAmount && texts.length <= 2 && SECTION_HEADING.test(squeeze(name))) return 'heading';
  if (!hasAmount && texts.length === 1 && texts[0] === squeeze(name) && row.cells.filter((c) => c.text).length > 2)
    return 'heading';
  return 'project';
}

function amountOf(cell: GridCell): { value: number; unit: MoneyUnit | null } | null {
  if (cell.num !== null) return { value: cell.num, unit: null };
  return parseAmount(cell.text);
}

function readInvestment(
  cell: GridCell | null,
  unit: MoneyUnit,
): { wan: number | null; formulaGap: boolean; ownUnit: boolean } {
  if (!cell) return { wan: null, formulaGap: false, ownUnit: false };
  if (cell.formulaWithoutResult) return { wan: null, formulaGap: true, ownUnit: false };
  const a = amountOf(cell);
  if (!a) return { wan: null, formulaGap: false, ownUnit: false };
  return { wan: toWan(a.value, a.unit ?? unit), formulaGap: false, ownUnit: a.unit !== null && a.unit !== unit };
}

function optionalText(row: GridRow, col: number | undefined): string | null {
  if (col === undefined) return null;
  const t = cleanText(cellAt(row, col).text);
  return t === '' ? null : t;
}

function periodOf(cell: GridCell): string | null {
  return normalizePeriod(cell.text, cell.date, cell.num);
}
