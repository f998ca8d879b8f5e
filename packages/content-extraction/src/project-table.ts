import type { TProject } from '@intake/domain';
import { readCsvGrid } from './csv-grid.js';
import type { Grid } from './grid.js';
import { distinctTexts } from './grid.js';
import type { HeaderMatch } from './header-detect.js';
import { findHeader } from './header-detect.js';
import type { MoneyUnit } from './money.js';
import { unitFromLabel } from './money.js';
import { readProjectRows } from './project-rows.js';
import { cleanText, squeeze, toHalfWidth } from './text-normalize.js';
import { readXlsGrids } from './xls-grid.js';
import { readXlsxGrids } from './xlsx-grid.js';
import { readXlsxGridsStreaming } from './xlsx-stream-grid.js';

export interface ReadProjectTableOptions {
  filename: string;
  format: 'xlsx' | 'xls' | 'csv';
  /**
   * 万元 threshold for counting large projects in the notes.
   * @defaultValue undefined (no count)
   */
  largeProjectWan?: number;
}

export interface ProjectTableResult {
  found: boolean;
  sheet: string | null;
  /** 1-based sheet row of the (first) header row */
  headerRow: number | null;
  /** the unit the table states; amounts in `projects` are always 万元 */
  unit: MoneyUnit | null;
  title: string | null;
  projects: TProject[];
  notes: string[];
}

interface SheetCandidate {
  grid: Grid;
  header: HeaderMatch;
  unit: { unit: MoneyUnit; stated: string | null };
  title: string | null;
  projects: TProject[];
  rowNotes: string[];
  score: number;
}

const TITLE_HINT = /汇总表|项目表|一览表|项目清单|重点项目|项目库|产业集群/;

/** Reads the 附件2 key-project table out of a spreadsheet, whichever sheet holds it. */
export async function readProjectTable(data: Buffer, opts: ReadProjectTableOptions): Promise<ProjectTableResult> {
  const notes: string[] = [];
  let grids: Grid[];
  try {
    grids = await loadGrids(data, opts, notes);
  } catch (err) {
    // the caller records the attachment as unreadable with this message
    throw new Error(`${opts.format}表格无法读取：${(err as Error).message}`, { cause: err });
  }
  return readProjectTableFromGrids(grids, opts, notes);
}

/**
 * The same reading over grids built elsewhere (the cells of an OCR'd table
 * photo or scan, laid out from the OCR boxes): header, unit, rows, title.
 */
export function readProjectTableFromGrids(
  grids: Grid[],
  opts: Pick<ReadProjectTableOptions, 'largeProjectWan'>,
  notes: string[] = [],
): ProjectTableResult {
  const candidates = grids.flatMap((g) => evaluateSheet(g));
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  if (!best) {
    notes.push(
      grids.every((g) => g.rows.length === 0)
        ? '工作簿为空，没有任何数据'
        : `在${grids.length}个工作表的前40行中未找到含“项目名称”及建设单位/总投资等列的表头`,
    );
    return { found: false, sheet: null, headerRow: null, unit: null, title: firstTitle(grids), projects: [], notes };
  }
  if (candidates.length > 1) notes.push(`共${candidates.length}个工作表含项目表头，选用「${best.grid.sheet}」`);
  if (best.unit.stated === null) notes.push('表中未注明金额单位，按万元处理');
  else if (best.unit.unit !== '万元') notes.push(`金额单位为${best.unit.unit}（${best.unit.stated}），已换算为万元`);
  if (best.projects.length === 0) notes.push('找到表头但表中没有项目行');
  notes.push(...best.rowNotes);
  if (opts.largeProjectWan !== undefined) {
    const large = best.projects.filter(
      (p) => p.totalInvestment !== null && p.totalInvestment >= (opts.largeProjectWan ?? 0),
    ).length;
    notes.push(`总投资≥${opts.largeProjectWan}万元的项目${large}个`);
  }
  return {
    found: true,
    sheet: best.grid.sheet,
    headerRow: best.grid.rows[best.header.index]?.number ?? null,
    unit: best.unit.unit,
    title: best.title,
    projects: best.projects,
    notes,
  };
}

async function loadGrids(data: Buffer, opts: ReadProjectTableOptions, notes: string[]): Promise<Grid[]> {
  if (opts.format === 'csv' && !isZip(data) && !isOle(data)) {
    return [readCsvGrid(data, opts.filename.replace(/\.[^.]+$/, '') || 'csv', notes)];
  }
  if (isZip(data)) {
    if (opts.format !== 'xlsx') notes.push(`文件扩展名为${opts.format}，实际是xlsx格式`);
    return readOoxmlGrids(data, notes);
  }
  if (opts.format === 'xlsx' && isOle(data)) notes.push('文件扩展名为xlsx，实际是旧版xls格式');
  // BIFF .xls/.et, and the HTML/XML tables many systems save with an .xls name
  return readXlsGrids(data, notes);
}

/** Above this size an .xlsx is read by streaming only: exceljs' full load and SheetJS need ~30× the file in memory. */
export const FULL_LOAD_MAX_BYTES = 4 * 1024 * 1024;

/** Streaming exceljs first; for small files the full exceljs load, then SheetJS, when it fails. */
async function readOoxmlGrids(data: Buffer, notes: string[]): Promise<Grid[]> {
  try {
    return await readXlsxGridsStreaming(data, notes);
  } catch (streamErr) {
    if (data.length > FULL_LOAD_MAX_BYTES) throw streamErr;
    notes.push(`exceljs流式读取失败（${(streamErr as Error).message}），改用完整读取`);
    try {
      return await readXlsxGrids(data, notes);
    } catch (err) {
      // exceljs rejects some valid OOXML (strict mode, odd relationships); SheetJS often reads them
      notes.push(`exceljs无法读取（${(err as Error).message}），改用SheetJS`);
      return readXlsGrids(data, notes);
    }
  }
}

function isZip(d: Buffer): boolean {
  return d.length > 4 && d[0] === 0x50 && d[1] === 0x4b && d[2] === 0x03 && d[3] === 0x04;
}

export function isOle(d: Buffer): boolean {
  return d.length > 8 && d.readUInt32BE(0) === 0xd0cf11e0 && d.readUInt32BE(4) === 0xa1b11ae1;
}

function evaluateSheet(grid: Grid): SheetCandidate[] {
  const header = findHeader(grid);
  if (!header) return [];
  const unit = detectUnit(grid, header);
  const title = findTitle(grid, header.index);
  const { projects, notes } = readProjectRows(grid, header, unit.unit);
  const titleBonus = title && TITLE_HINT.test(title) ? 10 : 0;
  const score = header.score * 10 + Math.min(projects.length, 50) * 2 + titleBonus - (grid.hidden ? 30 : 0);
  return [{ grid, header, unit, title, projects, rowNotes: notes, score }];
}

const UNIT_NOTE = /单位[:：]?\s*(亿元|万元|元)|[(（](亿元|万元)[)）]|^(亿元|万元)$/;

/** The unit of the investment column: its own label first, then 单位：万元 lines above or in the header. */
export function detectUnit(grid: Grid, header: HeaderMatch): { unit: MoneyUnit; stated: string | null } {
  const col = header.columns.investment;
  const label = col === undefined ? '' : (header.labels[col] ?? '');
  const fromLabel = unitFromLabel(label);
  if (fromLabel) return { unit: fromLabel, stated: label.replace(/\|/g, ' ') };
  const last = header.index + header.depth;
  for (let i = 0; i < last; i++) {
    const row = grid.rows[i];
    if (!row) continue;
    for (const t of distinctTexts(row)) {
      const m = UNIT_NOTE.exec(squeeze(toHalfWidth(t)).replace(/（/g, '(').replace(/）/g, ')'));
      const u = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
      if (u === '亿元' || u === '万元' || u === '元') return { unit: u, stated: t };
    }
  }
  return { unit: '万元', stated: null };
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
