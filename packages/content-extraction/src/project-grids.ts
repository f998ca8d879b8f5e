import type { TEvidence, TProject } from '@intake/domain';
import { cellRange, columnLetter } from './cell-range.js';
import type { Grid } from './grid.js';
import { distinctTexts, gridFromCells } from './grid.js';
import type { HeaderMatch } from './header-detect.js';
import { findHeader } from './header-detect.js';
import type { MoneyUnit } from './money.js';
import { labelSpan, readProjectRows } from './project-rows.js';
import { cleanText } from './text-normalize.js';
import { detectUnit, type UnitReading } from './unit-detect.js';

/**
 * The 附件2 reading over plain grids, whatever they came from: spreadsheet
 * sheets, Word tables ("table N"), PDF tables ("page N") or OCR'd table
 * cells. This is the one place that decides which grid is the project
 * table, where its header and unit are, and which rows are projects.
 */

export interface ProjectTableResult {
  found: boolean;
  sheet: string | null;
  /** 1-based row of the (first) header row in its grid */
  headerRow: number | null;
  /** the unit the table states; amounts in `projects` are always 万元 */
  unit: MoneyUnit | null;
  title: string | null;
  projects: TProject[];
  notes: string[];
  /** the reading decisions: which table and header, the unit, the rows that are not projects (source '') */
  evidence: TEvidence[];
}

export interface ReadProjectGridsOptions {
  /**
   * 万元 threshold for counting large projects in the notes.
   * @defaultValue undefined (no count)
   */
  largeProjectWan?: number;
  /**
   * A table may run on in the following grids without repeating its header
   * (a Word table split by a page, a PDF table over pages): read grids after
   * the chosen one that have no header of their own but the same columns.
   * @defaultValue false
   */
  continuations?: boolean;
  /** OCR'd cells under this confidence make a note; @defaultValue 0.6 */
  minConfidence?: number;
}

interface SheetCandidate {
  order: number;
  grid: Grid;
  header: HeaderMatch;
  unit: UnitReading;
  title: string | null;
  projects: TProject[];
  skipped: TEvidence[];
  rowNotes: string[];
  score: number;
}

const TITLE_HINT = /汇总表|项目表|一览表|项目清单|重点项目|项目库|产业集群/;
/** Sheets that hold one group of a table split by category: 续建 on one sheet, 新建 on the next. */
const CATEGORY_SHEET = /续建|新建|储备|谋划|前期|在建|拟建|计划|竣工|预备/;

function evaluate(grid: Grid, order: number, o: ReadProjectGridsOptions): SheetCandidate | null {
  const header = findHeader(grid);
  if (!header) return null;
  const unit = detectUnit(grid, header);
  const title = findTitle(grid, header.index);
  const rows = readProjectRows(grid, header, unit.unit, withConfidence(o));
  const titleBonus = title && TITLE_HINT.test(title) ? 10 : 0;
  const score = header.score * 10 + Math.min(rows.projects.length, 50) * 2 + titleBonus - (grid.hidden ? 30 : 0);
  return {
    order,
    grid,
    header,
    unit,
    title,
    projects: rows.projects,
    skipped: rows.skipped,
    rowNotes: rows.notes,
    score,
  };
}

function withConfidence(o: ReadProjectGridsOptions): { minConfidence?: number } {
  return o.minConfidence === undefined ? {} : { minConfidence: o.minConfidence };
}

/** Reads the project table out of grids (sheets, Word tables, PDF pages, OCR cells). */
export function readProjectGrids(grids: Grid[], o: ReadProjectGridsOptions = {}): ProjectTableResult {
  const notes: string[] = [];
  const candidates = grids.map((g, i) => evaluate(g, i, o)).filter((c): c is SheetCandidate => c !== null);
  const best = [...candidates].sort((a, b) => b.score - a.score || a.order - b.order)[0];
  if (!best) {
    notes.push(
      grids.every((g) => g.rows.length === 0)
        ? '工作簿为空，没有任何数据'
        : `在${grids.length}个工作表/表格的前40行中未找到含“项目名称”及建设单位/总投资等列的表头`,
    );
    return {
      found: false,
      sheet: null,
      headerRow: null,
      unit: null,
      title: firstTitle(grids),
      projects: [],
      notes,
      evidence: [],
    };
  }
  const parts = [best, ...categorySiblings(best, candidates)].sort((a, b) => a.order - b.order);
  if (candidates.length > 1)
    notes.push(`共${candidates.length}个工作表含项目表头，选用「${parts.map((p) => p.grid.sheet).join('」「')}」`);
  const evidence = parts.flatMap((p) => tableEvidence(p));
  const projects = parts.flatMap((p) => p.projects);
  const skipped = parts.flatMap((p) => p.skipped);
  if (o.continuations) {
    const more = readContinuations(grids, best, o);
    projects.push(...more.projects);
    skipped.push(...more.skipped);
    evidence.push(...more.evidence);
  }
  unitNotes(best.unit, notes);
  if (projects.length === 0) notes.push('找到表头但表中没有项目行');
  notes.push(...best.rowNotes);
  if (o.largeProjectWan !== undefined) {
    const large = projects.filter(
      (p) => p.totalInvestment !== null && p.totalInvestment >= (o.largeProjectWan ?? 0),
    ).length;
    notes.push(`总投资≥${o.largeProjectWan}万元的项目${large}个`);
  }
  return {
    found: true,
    sheet: best.grid.sheet,
    headerRow: best.grid.rows[best.header.index]?.number ?? null,
    unit: best.unit.unit,
    title: best.title,
    projects,
    notes,
    evidence: [...evidence, ...skipped],
  };
}

function unitNotes(unit: UnitReading, notes: string[]): void {
  if (unit.stated === null) notes.push('表中未注明金额单位，按万元处理');
  else if (unit.unit !== '万元') notes.push(`金额单位为${unit.unit}（${unit.stated}），已换算为万元`);
}

/** Other sheets of a table split by category (续建 / 新建 on separate sheets): same columns, other projects. */
function categorySiblings(best: SheetCandidate, all: SheetCandidate[]): SheetCandidate[] {
  const isCategory = (c: SheetCandidate): boolean =>
    CATEGORY_SHEET.test(c.grid.sheet) || CATEGORY_SHEET.test(c.title ?? '');
  if (!isCategory(best)) return [];
  const fields = (c: SheetCandidate): string =>
    Object.keys(c.header.columns)
      .filter((f) => f !== 'seq' && f !== 'content')
      .sort()
      .join();
  const names = new Set(best.projects.map((p) => p.name));
  const out: SheetCandidate[] = [];
  for (const c of all) {
    if (c === best || c.grid.hidden || c.projects.length === 0 || !isCategory(c) || fields(c) !== fields(best))
      continue;
    if (c.projects.some((p) => names.has(p.name))) continue;
    c.projects.forEach((p) => names.add(p.name));
    out.push(c);
  }
  return out;
}

function tableEvidence(c: SheetCandidate): TEvidence[] {
  const headerRow = c.grid.rows[c.header.index]?.number ?? c.header.index + 1;
  const span = labelSpan(c.header);
  const columns = Object.entries(c.header.columns)
    .map(
      ([field, col]) =>
        `${FIELD_NAMES[field] ?? field}=${columnLetter(col)}列「${cleanText((c.header.labels[col] ?? '').replace(/\|/g, ' '))}」`,
    )
    .join('，');
  const out: TEvidence[] = [
    {
      field: 'projectTable',
      value: c.grid.sheet,
      text: c.header.labels
        .filter(Boolean)
        .map((l) => cleanText(l.replace(/\|/g, ' ')))
        .join(' | ')
        .slice(0, 200),
      source: '',
      range: cellRange(c.grid.sheet, headerRow, span.first, headerRow + c.header.depth - 1, span.last),
      reason: `第${headerRow}行是表头（${c.header.depth}行）：${columns}`,
    },
  ];
  if (c.unit.stated !== null)
    out.push({
      field: 'investmentUnit',
      value: c.unit.unit,
      text: c.unit.stated,
      source: '',
      ...(c.unit.range ? { range: c.unit.range } : {}),
      reason: c.unit.unit === '万元' ? '金额单位为万元' : `金额单位为${c.unit.unit}，总投资已换算为万元`,
    });
  return out;
}

const FIELD_NAMES: Record<string, string> = {
  seq: '序号',
  name: '项目名称',
  owner: '建设单位',
  location: '建设地点',
  investment: '总投资',
  period: '建设期限',
  content: '建设内容',
};

/** Grids after the chosen one with no header of their own and as many columns: the same table, next page. */
function readContinuations(
  grids: Grid[],
  best: SheetCandidate,
  o: ReadProjectGridsOptions,
): Pick<ProjectTableResult, 'projects' | 'evidence'> & { skipped: TEvidence[] } {
  const out = { projects: [] as TProject[], evidence: [] as TEvidence[], skipped: [] as TEvidence[] };
  const width = (g: Grid): number => Math.max(0, ...g.rows.map((r) => r.cells.length));
  const want = width(best.grid);
  for (const grid of grids.slice(best.order + 1)) {
    if (findHeader(grid) || Math.abs(width(grid) - want) > 0 || grid.rows.length === 0) break;
    const rows = readProjectRows(grid, best.header, best.unit.unit, { ...withConfidence(o), start: 0 });
    out.projects.push(...rows.projects);
    out.skipped.push(...rows.skipped);
    out.evidence.push({
      field: 'projectTable',
      value: grid.sheet,
      text: `接续「${best.grid.sheet}」的表格`,
      source: '',
      range: cellRange(grid.sheet, 1, 0, grid.rows.length, want - 1),
      reason: `「${grid.sheet}」没有表头，列数与「${best.grid.sheet}」相同，按同一表格续读`,
    });
  }
  return out;
}

/** The title above the header: "2020年长春市生物医药产业集群重点项目汇总表". */
export function findTitle(grid: Grid, headerIndex: number): string | null {
  const texts: string[] = [];
  for (let i = 0; i < headerIndex; i++) {
    const row = grid.rows[i];
    if (row) texts.push(...distinctTexts(row).map(cleanTitle).filter(Boolean));
  }
  const useful = texts.filter((t) => !/^(单位|填报单位|填表单位|日期|填报日期)/.test(t) && t.length >= 6);
  return useful.find((t) => TITLE_HINT.test(t)) ?? useful[0] ?? null;
}

function cleanTitle(t: string): string {
  return cleanText(t)
    .replace(/^附件\s*\d*\s*[:：.、]?\s*/, '')
    .trim();
}

function firstTitle(grids: Grid[]): string | null {
  for (const g of grids) {
    const t = findTitle(g, Math.min(g.rows.length, 5));
    if (t && TITLE_HINT.test(t)) return t;
  }
  return null;
}

export interface ProjectCellsInput {
  /** provenance name: "page 3" for a scanned page, "table 1" for a Word table */
  sheet: string;
  /** the table's cell texts, row by row; merged cells repeat their text in every cell they cover */
  cells: readonly (readonly string[])[];
  /** per-cell confidence 0–1 (OCR), same shape as `cells` */
  confidence?: readonly (readonly (number | null | undefined)[])[];
}

/**
 * The entry point for tables that are not files: OCR'd table cells (the ocr
 * engineer's boxes → rows/columns), or any other string matrix. Same header,
 * unit, section/subtotal and evidence logic as spreadsheets; several inputs
 * are read as consecutive pages of one table.
 */
export function readProjectCells(inputs: ProjectCellsInput[], o: ReadProjectGridsOptions = {}): ProjectTableResult {
  const grids = inputs.map((i) => gridFromCells(i.sheet, i.cells, i.confidence));
  return readProjectGrids(grids, { continuations: true, ...o });
}
