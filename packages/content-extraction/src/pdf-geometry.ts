/** Page-space geometry shared by both ways of measuring where images are drawn. */

export type Matrix = [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m` applied in the coordinate system `ctm` (PDF's `cm`: new CTM = m × CTM). */
export function multiply(m: Matrix, ctm: Matrix): Matrix {
  const [a, b, c, d, e, f] = m;
  const [A, B, C, D, E, F] = ctm;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}

/** Share of the page box `view` ([x1 y1 x2 y2]) covered by an image drawn into the unit square under `ctm`. */
export function placedShare(ctm: Matrix, view: number[]): number {
  const [vx1 = 0, vy1 = 0, vx2 = 0, vy2 = 0] = view;
  const pageArea = Math.abs((vx2 - vx1) * (vy2 - vy1));
  if (!(pageArea > 0)) return 0;
  const box = unitSquareBox(ctm);
  const w = Math.max(0, Math.min(box[2], Math.max(vx1, vx2)) - Math.max(box[0], Math.min(vx1, vx2)));
  const h = Math.max(0, Math.min(box[3], Math.max(vy1, vy2)) - Math.max(box[1], Math.min(vy1, vy2)));
  const share = (w * h) / pageArea;
  return Number.isFinite(share) ? Math.min(1, share) : 0;
}

function unitSquareBox(m: Matrix): [number, number, number, number] {
  const pts = [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ].map(([x = 0, y = 0]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]] as const);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
