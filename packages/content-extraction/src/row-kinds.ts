import type { GridCell, GridRow } from './grid.js';
import { cellAt } from './grid.js';
import type { HeaderMatch } from './header-detect.js';
import { matchColumnLabel } from './header-detect.js';
import { parseAmountCell } from './money.js';
import { cleanText, squeeze, toHalfWidth } from './text-normalize.js';

/**
 * What a row under the 附件2 header is. Only `project` rows become projects;
 * every other kind is a reading decision kept as evidence. The rules are
 * about how tables are written, not about any one table: a project is never
 * numbered 一、 (sections are), never says 合计, and a heading merged across
 * the row is one text in every cell, whatever number it contains.
 */
export type RowKind =
  | 'project'
  | 'blank'
  | 'section'
  | 'subtotal'
  | 'total'
  | 'notes'
  | 'sign-off'
  | 'repeated-header'
  | 'unit-row'
  | 'column-numbers'
  | 'example'
  | 'no-name';

export const ROW_KIND_REASONS: Record<Exclude<RowKind, 'project'>, string> = {
  blank: '空行',
  section: '分组标题行（如“一、续建项目”），不是项目',
  subtotal: '小计行，不是项目',
  total: '合计行，不是项目',
  notes: '填表说明/备注行，不是项目',
  'sign-off': '填表人/联系人等落款行，不是项目',
  'repeated-header': '重复的表头行，不是项目',
  'unit-row': '金额单位行，不是项目',
  'column-numbers': '列序号行（1、2、3…），不是项目',
  example: '填报示例行（例：XX项目），不是项目',
  'no-name': '没有项目名称，不计为项目',
};

const CN_NUM = '[一二三四五六七八九十百]+';
/** 合计/小计 wherever the row states it: "合计", "合 计", "合计：12个项目", "续建项目小计", "其中：新建项目". */
const TOTAL_WORD = /^.{0,10}(合计|总计|共计)/;
const SUBTOTAL_WORD = /小计|^其中[:：]/;
const NOTES_ROW = /^(填表说明|填报说明|说明|备注|附注|注[:：1１一.、]|注$|注意事项)/;
const SIGNOFF_ROW =
  /^(填表人|填报人|联系人|审核人|负责人|制表人?|填报单位|填表单位|联系电话|单位负责人|填报日期|填表日期)/;
/** Enumerations used for sections, never for projects (projects carry an Arabic 序号). */
const SECTION_NUMBERING = new RegExp(
  `^(${CN_NUM}[、.．,，]|[(（]${CN_NUM}[)）]|第${CN_NUM}(部分|类|批|组)|[ⅠⅡⅢⅣⅤⅥ]+[、.．])`,
);
/** A label naming a group of projects: 续建项目, 新建类项目（3个）, 1.储备项目, 重大产业项目 */
const CATEGORY_LABEL =
  /^(\d{1,2}[、.．])?(续建|新建|储备|前期|在建|拟建|谋划|计划|竣工|预备|新开工|重大|重点|产业化|产业|基础设施|配套|其他|其它)(类)?(项目)(库|清单)?([(（][^)）]*[)）])?$/;
/** A template's sample row: 例：XX项目, 示例, ××有限公司 */
const EXAMPLE_ROW = /^[(（]?(例|示例|样例|举例|填写示例|填报示例)[)）]?[:：]?|^(XX|xx|××|某某)/;
const PLACEHOLDER = /XX|××|xx|某某/;
const UNIT_TEXT = /^(金额)?(单位)?[:：]?[(（]?(亿元|万元|元|万|亿)[)）]?$/;

export interface RowContext {
  header: HeaderMatch;
  /** visible column indexes whose cells count (hidden columns are nobody's data) */
  visible: (col: number) => boolean;
}

function rowTexts(row: GridRow, ctx: RowContext): string[] {
  const out: string[] = [];
  row.cells.forEach((c, i) => {
    if (c.text && ctx.visible(i)) out.push(squeeze(toHalfWidth(c.text)));
  });
  return out;
}

function isTotalText(t: string): boolean {
  return t.length <= 40 && (TOTAL_WORD.test(t) || SUBTOTAL_WORD.test(t));
}

function isAmount(cell: GridCell | null): boolean {
  if (!cell) return false;
  return cell.num !== null || parseAmountCell(cell.text) !== null;
}

function isColumnNumbers(texts: string[]): boolean {
  if (texts.length < 3) return false;
  return texts.every((t) => /^(\d{1,2}|[甲乙丙丁戊己庚辛壬癸])$/.test(t));
}

function isRepeatedHeader(row: GridRow, ctx: RowContext, name: string): boolean {
  const headerName = squeeze(ctx.header.labels[ctx.header.columns.name ?? 0] ?? '');
  if (name && (name === headerName || matchColumnLabel(name)?.field === 'name')) return true;
  // two or more cells that are their own column's label
  let same = 0;
  for (const [field, col] of Object.entries(ctx.header.columns)) {
    const t = squeeze(cellAt(row, col).text);
    if (t && matchColumnLabel(t)?.field === field) same++;
  }
  return same >= 2;
}

/** Classifies one non-header row. `name` is the cleaned text of the name column. */
export function classifyRow(row: GridRow, ctx: RowContext): RowKind {
  const cols = ctx.header.columns;
  const texts = rowTexts(row, ctx);
  if (texts.length === 0) return 'blank';
  const name = squeeze(toHalfWidth(cleanText(cellAt(row, cols.name ?? 0).text)));
  const seq = cols.seq === undefined ? '' : squeeze(toHalfWidth(cellAt(row, cols.seq).text));
  const first = texts[0] ?? '';
  const leading = [name, seq, first].filter(Boolean);
  if (leading.some((t) => isTotalText(t))) return leading.some((t) => SUBTOTAL_WORD.test(t)) ? 'subtotal' : 'total';
  if (leading.some((t) => NOTES_ROW.test(t))) return 'notes';
  if (leading.some((t) => SIGNOFF_ROW.test(t))) return 'sign-off';
  if (texts.every((t) => UNIT_TEXT.test(t))) return 'unit-row';
  if (isColumnNumbers(texts)) return 'column-numbers';
  if (isRepeatedHeader(row, ctx, name)) return 'repeated-header';
  if (isSectionRow(row, ctx, { name, seq, texts })) return 'section';
  if (
    leading.some((t) => EXAMPLE_ROW.test(t)) ||
    (PLACEHOLDER.test(name) && texts.filter((t) => PLACEHOLDER.test(t)).length >= 2)
  )
    return 'example';
  if (!name || name.length < 2 || /^[\d.,\s-]+$/.test(name)) return 'no-name';
  return 'project';
}

function isSectionRow(row: GridRow, ctx: RowContext, t: { name: string; seq: string; texts: string[] }): boolean {
  const label = t.name || t.texts[0] || '';
  if (SECTION_NUMBERING.test(label) || SECTION_NUMBERING.test(t.seq)) return true;
  if (CATEGORY_LABEL.test(label)) return true;
  // one text in every filled cell: a heading merged across the row, whatever number it holds
  const distinct = new Set(t.texts);
  const filled = row.cells.filter((c, i) => c.text !== '' && ctx.visible(i)).length;
  if (distinct.size === 1 && filled >= 3) return true;
  const inv = ctx.header.columns.investment;
  const noAmount = !isAmount(inv === undefined ? null : cellAt(row, inv));
  // a lone label next to a Chinese-numbered 序号 cell
  if (/^[(（]?[一二三四五六七八九十]+[)）]?$/.test(t.seq) && noAmount) return true;
  // a lone label in a numbered table where projects carry a 序号: a heading whose merge was lost (PDF, Word)
  return ctx.header.columns.seq !== undefined && !t.seq && noAmount && distinct.size === 1;
}
