import { makeFlag, type TCopyFacts, type TFlag } from '@intake/domain';

/**
 * Scan ↔ electronic pairing (issue 10 §5): the notice asks for every item
 * twice, 扫描版和电子版各1份. For each item, the scan and the electronic file
 * that are the same document are found by text similarity (character bigram
 * Dice on normalized text; for project tables also on the project names, as
 * an .xlsx has few words besides its rows), and what matters is compared:
 * 文号, 成文日期, project count, total investment. Pure.
 */

/** Below this similarity a scan and an electronic file are not taken for the same document. */
export const MIN_COPY_SIMILARITY = 0.6;
/** Characters of each text compared: the head of a document decides, and OCR pages cost nothing more. */
export const COPY_TEXT_CHARS = 6000;
/** 万元: totals closer than this are the same (rounding of a converted unit) */
const INVESTMENT_TOLERANCE = 0.5;

/** Text as pairing compares it: NFKC, no whitespace or punctuation, capped. */
export function normalizeForPairing(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .slice(0, COPY_TEXT_CHARS);
}

function bigrams(s: string): Map<string, number> {
  const out = new Map<string, number>();
  const chars = Array.from(s);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Sørensen–Dice over character bigram multisets, 0–1 (texts of fewer than 2 characters: 0). */
export function bigramDice(a: string, b: string): number {
  const A = bigrams(a);
  const B = bigrams(b);
  let na = 0;
  let nb = 0;
  let both = 0;
  for (const n of A.values()) na += n;
  for (const [g, n] of B) {
    nb += n;
    both += Math.min(n, A.get(g) ?? 0);
  }
  return na + nb === 0 ? 0 : (2 * both) / (na + nb);
}

/** How alike two attachments' words are: text, or for tables the better of text and project names. */
export function copySimilarity(a: TCopyFacts, b: TCopyFacts): number {
  const text = bigramDice(a.text, b.text);
  if (a.projectNames.length === 0 || b.projectNames.length === 0) return round3(text);
  const names = bigramDice(normalizeForPairing(a.projectNames.join('')), normalizeForPairing(b.projectNames.join('')));
  return round3(Math.max(text, names));
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** One attachment of a message, as pairing sees it. */
export interface CopyCandidate {
  /** the message's raw sha256 */
  messageKey: string;
  facts: TCopyFacts;
}

export interface CopyPair {
  scan: CopyCandidate;
  electronic: CopyCandidate;
  similarity: number;
  /** what the two disagree on, in Chinese for staff ("文号：扫描版……，电子版……"); empty when they agree */
  differences: string[];
}

const sharesRole = (a: TCopyFacts, b: TCopyFacts): boolean => a.roles.some((r) => b.roles.includes(r));

/**
 * Pairs each scan with at most one electronic file of the same item, most
 * similar first; on equal similarity a pair within one message wins over one
 * across messages (a resend repeats both copies).
 */
export function pairCopies(candidates: CopyCandidate[]): CopyPair[] {
  const scans = candidates.filter((c) => c.facts.copy === 'scan' && c.facts.roles.length > 0);
  const elecs = candidates.filter((c) => c.facts.copy === 'electronic' && c.facts.roles.length > 0);
  const options: Array<{ s: number; e: number; similarity: number; same: boolean }> = [];
  scans.forEach((s, si) =>
    elecs.forEach((e, ei) => {
      if (!sharesRole(s.facts, e.facts)) return;
      const similarity = copySimilarity(s.facts, e.facts);
      if (similarity >= MIN_COPY_SIMILARITY)
        options.push({ s: si, e: ei, similarity, same: s.messageKey === e.messageKey });
    }),
  );
  options.sort((x, y) => y.similarity - x.similarity || Number(y.same) - Number(x.same) || x.s - y.s || x.e - y.e);
  const usedS = new Set<number>();
  const usedE = new Set<number>();
  const pairs: CopyPair[] = [];
  for (const o of options) {
    if (usedS.has(o.s) || usedE.has(o.e)) continue;
    usedS.add(o.s);
    usedE.add(o.e);
    const scan = scans[o.s]!;
    const electronic = elecs[o.e]!;
    pairs.push({
      scan,
      electronic,
      similarity: o.similarity,
      differences: copyDifferences(scan.facts, electronic.facts),
    });
  }
  return pairs;
}

/** What a scan and its electronic copy disagree on: 文号, date, project count, total investment. */
export function copyDifferences(scan: TCopyFacts, elec: TCopyFacts): string[] {
  const out: string[] = [];
  const sd = scan.document;
  const ed = elec.document;
  if (sd?.number && ed?.number && sd.number !== ed.number) out.push(`文号：扫描版“${sd.number}”，电子版“${ed.number}”`);
  if (sd?.date && ed?.date && sd.date !== ed.date) out.push(`成文日期：扫描版${sd.date}，电子版${ed.date}`);
  if (scan.projectCount !== null && elec.projectCount !== null && scan.projectCount !== elec.projectCount)
    out.push(`项目数：扫描版${scan.projectCount}个，电子版${elec.projectCount}个`);
  else if (
    !scan.uncertainAmounts &&
    !elec.uncertainAmounts &&
    scan.totalInvestment !== null &&
    elec.totalInvestment !== null &&
    Math.abs(scan.totalInvestment - elec.totalInvestment) > INVESTMENT_TOLERANCE
  )
    out.push(`总投资：扫描版${scan.totalInvestment}万元，电子版${elec.totalInvestment}万元`);
  return out;
}

/** SCAN_ELECTRONIC_MISMATCH for each pair that disagrees; the detail names both files and what differs. */
export function mismatchFlags(pairs: CopyPair[], labels: Partial<Record<string, string>> = {}): TFlag[] {
  return pairs
    .filter((p) => p.differences.length > 0)
    .map((p) =>
      makeFlag(
        'SCAN_ELECTRONIC_MISMATCH',
        mismatchDetail(p.scan.facts.path, p.electronic.facts.path, p.differences),
        labels,
      ),
    );
}

/** The flag's detail: both files and what differs. */
export function mismatchDetail(scanPath: string, electronicPath: string, differences: string[]): string {
  return `${scanPath}（扫描版）与 ${electronicPath}（电子版）不一致：${differences.join('；')}`;
}
