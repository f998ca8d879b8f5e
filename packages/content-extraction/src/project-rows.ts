import type { TEvidence, TProject } from '@intake/domain';
import { cellRange } from './cell-range.js';
import type { Grid, GridCell, GridRow } from './grid.js';
import { cellAt } from './grid.js';
import type { HeaderMatch } from './header-detect.js';
import type { MoneyUnit } from './money.js';
import { parseAmountCell, toWan } from './money.js';
import { normalizePeriod } from './period.js';
import { classifyRow, ROW_KIND_REASONS, type RowKind } from './row-kinds.js';
import { cleanText } from './text-normalize.js';

export interface RowReadResult {
  projects: TProject[];
  /** the rows that are not projects and why (evidence, source left '' for the caller) */
  skipped: TEvidence[];
  notes: string[];
}

export interface ReadRowsOptions {
  /** first row index to read; @defaultValue the row after the header */
  start?: number;
  /** OCR'd cells under this confidence make a note on their row; @defaultValue 0.6 */
  minConfidence?: number;
}

/** Skipped-row evidence kept per table: a 2,000-row table of blank rows says nothing more after this. */
const MAX_SKIPPED_EVIDENCE = 100;

/** Reads the project rows under a found header. */
export function readProjectRows(
  grid: Grid,
  header: HeaderMatch,
  unit: MoneyUnit,
  o: ReadRowsOptions = {},
): RowReadResult {
  const hidden = new Set(grid.hiddenCols ?? []);
  const ctx = { header, visible: (c: number) => !hidden.has(c) };
  const out: RowReadResult = { projects: [], skipped: [], notes: [] };
  const counts = { formulaGaps: 0, ownUnit: 0, lowConfidence: 0, blank: 0 };
  let inNotes = false;
  const span = labelSpan(header);
  for (let i = o.start ?? header.index + header.depth; i < grid.rows.length; i++) {
    const row = grid.rows[i];
    if (!row) continue;
    let kind = classifyRow(row, ctx);
    if (kind === 'notes') inNotes = true;
    // after a 填表说明 line, "2.总投资…" lines follow: only rows that still carry an amount are projects
    if (kind === 'project' && inNotes && !amountOf(investmentCell(row, header))) kind = 'notes';
    if (kind !== 'project') {
      if (kind === 'blank') counts.blank++;
      else if (out.skipped.length < MAX_SKIPPED_EVIDENCE)
        out.skipped.push(skippedEvidence(grid, row, kind, span, hidden));
      continue;
    }
    const project = readProject(grid, row, header, unit, span);
    if (project.formulaGap) counts.formulaGaps++;
    if (project.ownUnit) counts.ownUnit++;
    if (isLowConfidence(row, o.minConfidence ?? 0.6)) counts.lowConfidence++;
    out.projects.push(project.project);
  }
  if (counts.formulaGaps > 0)
    out.notes.push(`${counts.formulaGaps}个总投资单元格是没有缓存结果（或结果为错误值）的公式，按未知处理`);
  if (counts.ownUnit > 0) out.notes.push(`${counts.ownUnit}个总投资单元格自带单位（如“3.5亿”），已按其单位换算`);
  if (counts.lowConfidence > 0) out.notes.push(`${counts.lowConfidence}个项目行含识别置信度低的单元格，请人工核对`);
  const notProjects = out.skipped.length;
  if (notProjects > 0) out.notes.push(`${notProjects}行不是项目（分组标题、小计/合计、说明等），未计入`);
  return out;
}

interface Span {
  first: number;
  last: number;
}

/** The columns the header labels cover: a row's range runs across them. */
export function labelSpan(header: HeaderMatch): Span {
  const filled = header.labels.map((l, i) => (l ? i : -1)).filter((i) => i >= 0);
  return { first: filled[0] ?? 0, last: filled[filled.length - 1] ?? 0 };
}

function investmentCell(row: GridRow, header: HeaderMatch): GridCell | null {
  return header.columns.investment === undefined ? null : cellAt(row, header.columns.investment);
}

function readProject(
  grid: Grid,
  row: GridRow,
  header: HeaderMatch,
  unit: MoneyUnit,
  span: Span,
): { project: TProject; formulaGap: boolean; ownUnit: boolean } {
  const cols = header.columns;
  const investment = readInvestment(investmentCell(row, header), unit);
  return {
    project: {
      name: cleanText(cellAt(row, cols.name ?? 0).text),
      owner: optionalText(row, cols.owner),
      location: optionalText(row, cols.location),
      totalInvestment: investment.wan,
      period: cols.period === undefined ? null : periodOf(cellAt(row, cols.period)),
      row: row.number,
      sheet: grid.sheet,
      range: cellRange(grid.sheet, row.number, span.first, row.number, span.last),
    },
    formulaGap: investment.formulaGap,
    ownUnit: investment.ownUnit,
  };
}

function skippedEvidence(
  grid: Grid,
  row: GridRow,
  kind: Exclude<RowKind, 'project'>,
  span: Span,
  hidden: Set<number>,
): TEvidence {
  const texts = [...new Set(row.cells.filter((c, i) => c.text && !hidden.has(i)).map((c) => c.text))];
  return {
    field: 'skippedRow',
    value: kind,
    text: texts.join(' | ').slice(0, 160),
    source: '',
    range: cellRange(grid.sheet, row.number, span.first, row.number, span.last),
    reason: ROW_KIND_REASONS[kind],
  };
}

function isLowConfidence(row: GridRow, min: number): boolean {
  return row.cells.some((c) => c.confidence !== undefined && c.text !== '' && c.confidence < min);
}

function amountOf(cell: GridCell | null): { value: number; unit: MoneyUnit | null } | null {
  if (!cell) return null;
  if (cell.num !== null) return { value: cell.num, unit: null };
  return parseAmountCell(cell.text);
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
