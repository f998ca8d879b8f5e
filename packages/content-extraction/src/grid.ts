/**
 * A sheet read into plain cells, whatever the file format, so that finding the
 * header and reading rows is written once for exceljs, SheetJS and CSV input.
 */
export interface GridCell {
  /** display text, trimmed ('' for an empty cell) */
  text: string;
  /** the value when the cell holds a number (or a formula with a numeric cached result) */
  num: number | null;
  date: Date | null;
  /** a formula without a usable cached result: missing (the file was never recalculated) or an error value */
  formulaWithoutResult?: boolean;
  /** OCR'd cells: the engine's confidence for this cell, 0–1 */
  confidence?: number;
}

export interface GridRow {
  /** 1-based row number in the sheet */
  number: number;
  cells: GridCell[];
}

export interface Grid {
  sheet: string;
  rows: GridRow[];
  /** true when the sheet is hidden in the workbook */
  hidden?: boolean;
  /** 0-based indexes of hidden columns: nobody sees them on screen or on paper */
  hiddenCols?: number[];
}

export const EMPTY_CELL: GridCell = { text: '', num: null, date: null };

export function cellAt(row: GridRow | undefined, col: number): GridCell {
  return row?.cells[col] ?? EMPTY_CELL;
}

export function isEmptyRow(row: GridRow): boolean {
  return row.cells.every((c) => c.text === '');
}

/** Distinct non-empty texts of a row: a heading merged across A:G reads as one. */
export function distinctTexts(row: GridRow): string[] {
  return [...new Set(row.cells.map((c) => c.text).filter((t) => t !== ''))];
}

export function textCell(text: string): GridCell {
  return { text: text.trim(), num: null, date: null };
}

/**
 * A plain grid of cell texts (a Word table, a PDF table, OCR'd table cells)
 * as a Grid: numbers are read from the texts later, like text cells of a
 * spreadsheet. `confidence[r][c]` (0–1) is kept per cell when given.
 */
export function gridFromCells(
  sheet: string,
  cells: readonly (readonly string[])[],
  confidence?: readonly (readonly (number | null | undefined)[])[],
): Grid {
  return {
    sheet,
    rows: cells.map((row, r) => ({
      number: r + 1,
      cells: row.map((text, c) => {
        const conf = confidence?.[r]?.[c];
        const cell = textCell(text);
        return typeof conf === 'number' ? { ...cell, confidence: conf } : cell;
      }),
    })),
  };
}
