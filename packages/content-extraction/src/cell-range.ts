/**
 * Cell ranges in Excel's notation, so staff can find the row a decision was
 * made on: "Sheet1!A5:H5". Word and PDF tables use the same notation on
 * their "table N" / "page N" grids.
 */

/** Column letter of a 0-based index: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Excel quotes sheet names that are not a plain word: 'My Sheet'!A1, 'table 2'!A1. */
function sheetRef(sheet: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}

/** "Sheet1!A5:H7" for rows r1..r2 (1-based sheet rows) and columns c1..c2 (0-based). */
export function cellRange(sheet: string, r1: number, c1: number, r2 = r1, c2 = c1): string {
  const from = `${columnLetter(c1)}${r1}`;
  const to = `${columnLetter(c2)}${r2}`;
  return `${sheetRef(sheet)}!${from === to ? from : `${from}:${to}`}`;
}
