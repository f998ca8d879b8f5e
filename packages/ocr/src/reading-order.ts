import type { TOcrLine } from './page-record.js';

/**
 * Reading order of OCR boxes: visual rows by vertical overlap, left to right
 * within a row. Shared by the page text and the table grid so both see the
 * same rows.
 */

/** Two boxes are on one visual row when they overlap vertically by half the smaller height. */
export function sameRow(a: { y: number; height: number }, b: { y: number; height: number }): boolean {
  const overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return overlap >= 0.5 * Math.min(a.height, b.height);
}

/** Groups boxes into rows (top to bottom), each row sorted left to right. */
export function groupRows(lines: TOcrLine[]): TOcrLine[][] {
  const sorted = [...lines].sort((a, b) => a.box.y + a.box.height / 2 - (b.box.y + b.box.height / 2));
  const rows: Array<{ band: { y: number; height: number }; items: TOcrLine[] }> = [];
  for (const line of sorted) {
    const row = rows.find((r) => sameRow(r.band, line.box));
    if (row) {
      row.items.push(line);
      const top = Math.min(row.band.y, line.box.y);
      const bottom = Math.max(row.band.y + row.band.height, line.box.y + line.box.height);
      // the band grows only a little: a tall neighbour must not swallow the next row
      row.band = { y: (row.band.y + top) / 2, height: (row.band.height + (bottom - top)) / 2 };
    } else rows.push({ band: { y: line.box.y, height: line.box.height }, items: [line] });
  }
  rows.sort((a, b) => a.band.y - b.band.y);
  return rows.map((r) => r.items.sort((a, b) => a.box.x - b.box.x));
}

export function orderLines(lines: TOcrLine[]): TOcrLine[] {
  return groupRows(lines).flat();
}

/**
 * The page's text: one line per visual row; pieces of a row close together
 * (less than 0.6 of a character height apart) are joined directly, as a split
 * 文号 "长发改高技〔2020〕" + "86号" must read as one; farther apart with a space.
 */
export function pageText(lines: TOcrLine[]): string {
  return groupRows(lines)
    .map((row) => {
      let out = '';
      row.forEach((l, i) => {
        const prev = row[i - 1];
        if (prev) {
          const gap = l.box.x - (prev.box.x + prev.box.width);
          out += gap < 0.6 * Math.min(l.box.height, prev.box.height) ? '' : ' ';
        }
        out += l.text;
      });
      return out;
    })
    .join('\n');
}
