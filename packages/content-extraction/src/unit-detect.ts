import { cellRange } from './cell-range.js';
import type { Grid } from './grid.js';
import type { HeaderMatch } from './header-detect.js';
import type { MoneyUnit } from './money.js';
import { unitFromLabel } from './money.js';
import { squeeze, toHalfWidth } from './text-normalize.js';

/**
 * The money unit of the 总投资 column, wherever the table states it. The
 * contract reports 万元 whatever the source said, so getting this wrong is
 * a factor of 10,000: the places are tried from the closest to the column
 * outwards, and where it was found is kept as evidence.
 */
export interface UnitReading {
  unit: MoneyUnit;
  /** the text that states it, null when nothing does (万元 assumed) */
  stated: string | null;
  /** the cell that states it */
  range: string | null;
  where: 'header' | 'above' | 'unit-row' | 'sibling' | 'notes' | 'default';
}

const UNIT_NOTE = /单位[:]?(亿元|万元|元)|\((亿元|万元)\)|^(亿元|万元)$/;
const MONEY_LABEL = /投资|资金|金额|造价/;

function noteUnit(text: string): MoneyUnit | null {
  const m = UNIT_NOTE.exec(squeeze(toHalfWidth(text)));
  const u = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
  return u === '亿元' || u === '万元' || u === '元' ? u : null;
}

/** The first cell in rows [from, to) whose text states a unit. */
function scanRows(
  grid: Grid,
  from: number,
  to: number,
  test: (text: string) => MoneyUnit | null,
): { unit: MoneyUnit; text: string; range: string } | null {
  for (let i = Math.max(0, from); i < Math.min(to, grid.rows.length); i++) {
    const row = grid.rows[i];
    if (!row) continue;
    for (let c = 0; c < row.cells.length; c++) {
      const text = row.cells[c]?.text ?? '';
      const unit = text ? test(text) : null;
      if (unit) return { unit, text, range: cellRange(grid.sheet, row.number, c) };
    }
  }
  return null;
}

export function detectUnit(grid: Grid, header: HeaderMatch): UnitReading {
  const col = header.columns.investment;
  const headerRow = grid.rows[header.index]?.number ?? header.index + 1;
  const label = col === undefined ? '' : (header.labels[col] ?? '');
  const fromLabel = unitFromLabel(label);
  if (fromLabel && col !== undefined)
    return {
      unit: fromLabel,
      stated: label.replace(/\|/g, ' '),
      range: cellRange(grid.sheet, headerRow, col),
      where: 'header',
    };
  const last = header.index + header.depth;
  const above = scanRows(grid, 0, last, noteUnit);
  if (above) return { unit: above.unit, stated: above.text, range: above.range, where: 'above' };
  // a row of "（万元）" right under the header
  const unitRow = scanRows(grid, last, last + 2, (t) =>
    /^[(（]?(单位[:：])?(亿元|万元|元)[)）]?$/.test(squeeze(t)) ? (unitFromLabel(t) ?? noteUnit(t)) : null,
  );
  if (unitRow) return { unit: unitRow.unit, stated: unitRow.text, range: unitRow.range, where: 'unit-row' };
  const sibling = header.labels.findIndex((l, c) => c !== col && MONEY_LABEL.test(l) && unitFromLabel(l) !== null);
  if (sibling >= 0) {
    const l = header.labels[sibling] ?? '';
    return {
      unit: unitFromLabel(l) ?? '万元',
      stated: l.replace(/\|/g, ' '),
      range: cellRange(grid.sheet, headerRow, sibling),
      where: 'sibling',
    };
  }
  const notes = scanRows(grid, last, grid.rows.length, (t) =>
    /单位/.test(t) && /^(注|说明|备注|填表说明)/.test(squeeze(toHalfWidth(t))) ? noteUnitLoose(t) : null,
  );
  if (notes) return { unit: notes.unit, stated: notes.text, range: notes.range, where: 'notes' };
  return { unit: '万元', stated: null, range: null, where: 'default' };
}

/** "说明：总投资单位为亿元" — the notes under a table phrase it as a sentence. */
function noteUnitLoose(text: string): MoneyUnit | null {
  const m = /单位(?:为|是|:|：)?\s*(亿元|万元|元)/.exec(toHalfWidth(text));
  const u = m?.[1];
  return u === '亿元' || u === '万元' || u === '元' ? u : null;
}
