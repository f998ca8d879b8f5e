import type { Grid, GridRow } from './grid.js';
import { cellAt } from './grid.js';
import { squeeze, toHalfWidth } from './text-normalize.js';

export const COLUMN_FIELDS = ['name', 'owner', 'location', 'investment', 'period', 'seq', 'content'] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];
const CORE_FIELDS: ColumnField[] = ['name', 'owner', 'location', 'investment', 'period'];

/** How far below the top we look for a header (title, 附件2, 单位 rows come first). */
export const HEADER_SEARCH_ROWS = 40;

export interface HeaderMatch {
  /** index into grid.rows of the (first) header row */
  index: number;
  /** number of header rows: 2 when a merged group header has sub-labels under it */
  depth: 1 | 2;
  columns: Partial<Record<ColumnField, number>>;
  /** the label of each column, two-row headers joined with "|" */
  labels: string[];
  score: number;
}

type Rule = { field: ColumnField; re: RegExp; score: number };

/**
 * Header synonyms seen in 附件2 tables and their weights. A column goes to the
 * field that scores highest, so 企业名称 is an owner although it says 名称.
 */
const RULES: Rule[] = [
  { field: 'seq', re: /^(序号|编号|No\.?|#)$/i, score: 10 },
  { field: 'name', re: /^(项目名称|名称|项目|项目名|工程名称|建设项目|项目名称及建设内容|项目及建设内容)$/, score: 10 },
  { field: 'name', re: /项目名称|工程名称/, score: 8 },
  { field: 'name', re: /名称/, score: 4 },
  {
    field: 'owner',
    re: /建设单位|项目单位|承担单位|业主单位|企业名称|实施单位|申报单位|责任单位|项目法人|建设主体|实施主体|投资主体|项目业主|主体单位/,
    score: 9,
  },
  { field: 'owner', re: /^(业主|企业|单位)$/, score: 7 },
  { field: 'location', re: /建设地点|项目地点|建设地址|项目地址|地址|所在地|地点|选址|建设区域/, score: 9 },
  { field: 'investment', re: /总投资|投资总额|计划投资|投资额|投资规模/, score: 9 },
  { field: 'investment', re: /投资/, score: 5 },
  {
    field: 'period',
    re: /起止年限|建设期限|建设年限|起止时间|建设周期|建设起止|建设期|实施期限|起止年|建设时间|实施年限|起止日期/,
    score: 9,
  },
  { field: 'period', re: /开竣工|开工时间|开工年/, score: 5 },
  { field: 'content', re: /建设内容|建设规模|主要内容|规模及内容/, score: 7 },
];

/** Sub-columns of 总投资 that are not the total: 其中2020年, 已完成, 资金来源… */
const PARTIAL_INVESTMENT =
  /其中|年度|\d{4}年|当年|本年|已完成|累计|完成投资|资金来源|自筹|贷款|申请|争取|中央|省级|预算|拟|新增|到位/;

export function normalizeLabel(label: string): string {
  return squeeze(toHalfWidth(label))
    .replace(/\((亿元|万元|元|万|亿)\)|单位[:]?(亿元|万元|元)/g, '')
    .replace(/[*＊:：]/g, '');
}

/** The best field for one label, or null. */
export function matchColumnLabel(label: string): { field: ColumnField; score: number } | null {
  const parts = label.split('|').map(normalizeLabel).filter(Boolean);
  const whole = parts.join('');
  let best: { field: ColumnField; score: number } | null = null;
  for (const rule of RULES) {
    // a two-row label matches on either part; the whole text decides penalties
    if (!parts.some((p) => rule.re.test(p)) && !rule.re.test(whole)) continue;
    let score = rule.score;
    if (rule.field === 'investment' && PARTIAL_INVESTMENT.test(parts.slice(1).join('') || whole)) score -= 6;
    if (rule.field === 'name' && /单位|企业|地点/.test(whole)) score -= 6;
    if (!best || score > best.score) best = { field: rule.field, score };
  }
  return best && best.score > 0 ? best : null;
}

/** A hidden column loses to any visible one of the same field: an old 总投资 left in the sheet but hidden is not the data. */
const HIDDEN_PENALTY = 6;

function assignColumns(
  labels: string[],
  hidden: ReadonlySet<number> = new Set(),
): { columns: Partial<Record<ColumnField, number>>; score: number } {
  const bestPerField = new Map<ColumnField, { col: number; score: number }>();
  labels.forEach((label, col) => {
    if (!label) return;
    const m = matchColumnLabel(label);
    if (!m) return;
    const score = hidden.has(col) ? m.score - HIDDEN_PENALTY : m.score;
    const prev = bestPerField.get(m.field);
    if (!prev || score > prev.score) bestPerField.set(m.field, { col, score });
  });
  const columns: Partial<Record<ColumnField, number>> = {};
  let score = 0;
  for (const [field, v] of bestPerField) {
    columns[field] = v.col;
    if (CORE_FIELDS.includes(field)) score += v.score;
  }
  return { columns, score };
}

function rowLabels(row: GridRow | undefined, width: number): string[] {
  return Array.from({ length: width }, (_, c) => cellAt(row, c).text);
}

/** A row under a header is a sub-header when every cell in it reads like a label. */
function looksLikeSubHeader(row: GridRow | undefined, above: GridRow): boolean {
  if (!row) return false;
  const cells = row.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.text !== '');
  if (cells.length === 0) return false;
  if (cells.some(({ c }) => c.num !== null || c.date !== null)) return false;
  return cells.every(({ c, i }) => c.text === cellAt(above, i).text || isLabelLike(c.text));
}

/** 计划总投资 / 其中：2020年 / （万元）: labels, not data such as "2021年-2023年" or a project name. */
function isLabelLike(text: string): boolean {
  const t = normalizeLabel(text);
  if (t.length > 14 || (t.match(/\d{4}/g) ?? []).length > 1) return false;
  if (/^[(（]?(万元|亿元|元)[)）]?$/.test(squeeze(toHalfWidth(text)))) return true;
  return matchColumnLabel(text) !== null || /^(其中|计划|合计|小计|累计|已完成|\d{4}年)/.test(t);
}

/** Finds the header row (and a second header row under merged group headers). */
export function findHeader(grid: Grid): HeaderMatch | null {
  let best: HeaderMatch | null = null;
  const hidden = new Set(grid.hiddenCols ?? []);
  const limit = Math.min(grid.rows.length, HEADER_SEARCH_ROWS);
  for (let i = 0; i < limit; i++) {
    const row = grid.rows[i];
    if (!row) continue;
    const next = grid.rows[i + 1];
    const width = Math.max(row.cells.length, next?.cells.length ?? 0);
    const top = rowLabels(row, width);
    const candidates: Array<{ depth: 1 | 2; labels: string[] }> = [{ depth: 1, labels: top }];
    // a group-header row must carry labels of its own, or a title row would pass as one
    if (isGroupHeader(row, top, next, width) && looksLikeSubHeader(next, row)) {
      const bottom = rowLabels(next, width);
      candidates.push({ depth: 2, labels: top.map((t, c) => joinLabels(t, bottom[c] ?? '')) });
    }
    for (const cand of candidates) {
      const { columns, score } = assignColumns(cand.labels, hidden);
      if (columns.name === undefined) continue;
      const others = CORE_FIELDS.filter((f) => f !== 'name' && columns[f] !== undefined).length;
      if (others < 1) continue;
      // prefer the two-row reading only when it finds more (e.g. 总投资 over its sub-columns)
      if (!best || score > best.score || (score === best.score && cand.depth === 2 && best.index === i)) {
        best = { index: i, depth: cand.depth, columns, labels: cand.labels, score };
      }
    }
  }
  return best;
}

/**
 * A row of group labels over sub-labels: it has labels of its own (序号, 投资情况) or at least
 * several cells over a row of labels (项目基本情况 | 投资情况 over 项目名称 | 建设单位 | 总投资).
 * A title merged across the row is one text and never qualifies.
 */
function isGroupHeader(row: GridRow, top: string[], next: GridRow | undefined, width: number): boolean {
  if (Object.keys(assignColumns(top).columns).length >= 2) return true;
  if (!next || new Set(top.filter(Boolean)).size < 2) return false;
  return Object.keys(assignColumns(rowLabels(next, width)).columns).length >= 2 && row.cells.some((c) => c.text);
}

function joinLabels(top: string, bottom: string): string {
  if (!bottom || bottom === top) return top;
  if (!top) return bottom;
  return `${top}|${bottom}`;
}
