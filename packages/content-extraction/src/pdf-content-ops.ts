/**
 * Just enough of a PDF content-stream lexer to follow where images are drawn:
 * it reports each operator with its number and name operands, and skips
 * strings, arrays, dictionaries and inline image data without interpreting
 * them. Nothing is decoded: a 50 MB scan costs the size of its content
 * streams (a few bytes per page), not of its pixels.
 */

/** A number, a name (without the slash, #xx escapes kept), or null for any other operand. */
export type Operand = number | { name: string } | null;

export type OpVisitor = (op: string, operands: Operand[]) => void;

/** Operands kept before an operator; no operator we follow takes more than 6. */
const MAX_OPERANDS = 16;

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

function isRegular(b: number): boolean {
  return !WHITESPACE.has(b) && !DELIMITERS.has(b);
}

/** Calls `visit` for every operator of `bytes`, in order. `BI … ID … EI` is reported once as 'BI'. */
export function scanContentOps(bytes: Uint8Array, visit: OpVisitor): void {
  const n = bytes.length;
  let operands: Operand[] = [];
  // inside [ … ] or << … >> tokens are not operands of the next operator
  let nesting = 0;
  let i = 0;
  const push = (v: Operand): void => {
    if (nesting > 0) return;
    operands.push(v);
    if (operands.length > MAX_OPERANDS) operands.shift();
  };
  while (i < n) {
    const b = bytes[i]!;
    if (WHITESPACE.has(b)) {
      i++;
      continue;
    }
    if (b === 0x25) {
      i = skipComment(bytes, i);
      continue;
    }
    if (b === 0x28) {
      i = skipLiteralString(bytes, i);
      push(null);
      continue;
    }
    if (b === 0x3c) {
      if (bytes[i + 1] === 0x3c) {
        nesting++;
        i += 2;
        continue;
      }
      i = skipUntil(bytes, i + 1, 0x3e) + 1;
      push(null);
      continue;
    }
    if (b === 0x3e) {
      // '>>' closes a dictionary; a lone '>' is malformed and skipped
      i += bytes[i + 1] === 0x3e ? 2 : 1;
      nesting = Math.max(0, nesting - 1);
      if (nesting === 0) push(null);
      continue;
    }
    if (b === 0x5b) {
      nesting++;
      i++;
      continue;
    }
    if (b === 0x5d) {
      nesting = Math.max(0, nesting - 1);
      i++;
      if (nesting === 0) push(null);
      continue;
    }
    if (b === 0x7b || b === 0x7d || b === 0x29) {
      i++;
      continue;
    }
    if (b === 0x2f) {
      const end = tokenEnd(bytes, i + 1);
      push({ name: latin1(bytes, i + 1, end) });
      i = end;
      continue;
    }
    const end = tokenEnd(bytes, i);
    const token = latin1(bytes, i, end);
    i = end;
    const num = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(token) ? Number(token) : NaN;
    if (!Number.isNaN(num)) {
      push(num);
      continue;
    }
    if (token === 'true' || token === 'false' || token === 'null') {
      push(null);
      continue;
    }
    if (nesting > 0) continue;
    if (token === 'BI') i = skipInlineImage(bytes, i);
    visit(token, operands);
    operands = [];
  }
}

function tokenEnd(bytes: Uint8Array, from: number): number {
  let j = from;
  while (j < bytes.length && isRegular(bytes[j]!)) j++;
  // a stray delimiter ({, }) as an operator: consume it so the scan always advances
  return j === from ? from + 1 : j;
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let k = from; k < to && k - from < 127; k++) s += String.fromCharCode(bytes[k]!);
  return s;
}

function skipComment(bytes: Uint8Array, i: number): number {
  let j = i;
  while (j < bytes.length && bytes[j] !== 0x0a && bytes[j] !== 0x0d) j++;
  return j;
}

function skipUntil(bytes: Uint8Array, from: number, target: number): number {
  let j = from;
  while (j < bytes.length && bytes[j] !== target) j++;
  return j;
}

/** `( … )` with balanced parentheses and backslash escapes. */
function skipLiteralString(bytes: Uint8Array, i: number): number {
  let depth = 0;
  for (let j = i; j < bytes.length; j++) {
    const c = bytes[j];
    if (c === 0x5c) j++;
    else if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return j + 1;
  }
  return bytes.length;
}

/**
 * From just after `BI`: past the inline image's parameters, `ID`, its raw
 * data and `EI`. The data is binary, so `EI` counts only between whitespace.
 */
function skipInlineImage(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  let j = i;
  // the parameters are names, numbers, arrays: find the ID keyword
  while (j < n) {
    if (
      bytes[j] === 0x49 &&
      bytes[j + 1] === 0x44 &&
      (j === 0 || !isRegular(bytes[j - 1]!)) &&
      (j + 2 >= n || !isRegular(bytes[j + 2]!))
    )
      break;
    j++;
  }
  j += 3; // 'ID' and the one whitespace byte after it
  for (; j < n; j++) {
    if (
      bytes[j] === 0x45 &&
      bytes[j + 1] === 0x49 &&
      WHITESPACE.has(bytes[j - 1] ?? 0x20) &&
      (j + 2 >= n || !isRegular(bytes[j + 2]!))
    )
      return j + 2;
  }
  return n;
}
