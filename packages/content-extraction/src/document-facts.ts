import type { TDocumentFacts } from '@intake/domain';
import { toSimplified } from './traditional-chinese.js';

/**
 * The facts of a formal document (the 请示) read from its words: 文号, issuer,
 * title, 成文日期 and whether a seal was seen. Works on a text layer (docx,
 * PDF, OFD, wps) and on OCR text alike, so the recogniser's habits are undone
 * first: 〔〕 read as 【】/[]/()/［］, full-width digits, spaces between
 * characters, 〇 read as O/○/0 in Chinese-numeral dates. Pure; no I/O.
 */
export interface DocumentFactsInput {
  text: string;
  /** scans only: the share of strongly red pixels (seal) on the pages; null/undefined for electronic files */
  redShare?: number | null;
  /** the file is a scan or photo: `sealed` is decided from red pixels, else it is null */
  scanned: boolean;
}

/** Share of strongly red pixels above which a scanned page is taken to carry a seal. */
export const SEAL_RED_SHARE = 0.002;

const OPEN_BRACKETS = /[【[［〖「〔(（]/;
const CLOSE_BRACKETS = /[】\]］〗」〕)）]/;
/** prefix (the issuer's abbreviation), year in any bracket, serial number, 号 */
const NUMBER_RE = new RegExp(
  `([\\u4e00-\\u9fff]{1,14})\\s*${OPEN_BRACKETS.source}\\s*((?:19|20)\\d{2})\\s*${CLOSE_BRACKETS.source}\\s*第?\\s*(\\d{1,5})\\s*号`,
  'g',
);
const ORG_SUFFIX =
  /(委员会|人民政府|政府|办公厅|办公室|管理委员会|管委会|发展和改革局|发展改革局|工业和信息化局|科学技术局|财政局|局|委|厅|办|中心|集团|公司)$/;
const TITLE_END = /(请示|报告|函|申请|意见|通知)$/;
const DIGIT_DATE = /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;
const CN_DIGIT = '〇零○Ｏ0O一二三四五六七八九';
const CN_DATE = new RegExp(
  `([${CN_DIGIT}]{4})\\s*年\\s*([${CN_DIGIT}十]{1,3})\\s*月\\s*([${CN_DIGIT}十]{1,3})\\s*日`,
  'g',
);
const DOTTED_DATE = /^((?:19|20)\d{2})[.\-/](\d{1,2})[.\-/](\d{1,2})$/;

/** The words as the readers below see them: half-width digits, simplified, no spaces inside a line. */
export function normalizeDocumentLines(text: string): string[] {
  return toSimplified(text)
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.replace(/[ \t\u00a0]+/g, (sp, at: number, whole: string) => (isCjkGap(whole, at, sp) ? '' : ' ')))
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/**
 * A space beside a lone character ("长 春 市", "2020 年 5 月") is a box-join or
 * letter-spacing artefact; one between words ("签发人：王明 四政文…") is kept.
 */
function isCjkGap(whole: string, at: number, sp: string): boolean {
  const before = /(\S+)$/.exec(whole.slice(0, at))?.[1] ?? '';
  const after = /^(\S+)/.exec(whole.slice(at + sp.length))?.[1] ?? '';
  const cjk = /[\u3000-\u9fff\uff00-\uffef〔〕【】]/;
  const lone = (t: string) => t.length === 1 && cjk.test(t);
  const digits = (t: string) => /^\d+$/.test(t);
  return (
    (lone(before) && (cjk.test(after[0] ?? '') || digits(after))) ||
    (lone(after) && (cjk.test(before.slice(-1)) || digits(before)))
  );
}

/** 文号 with its brackets normalized to 〔〕: "长发改高技〔2020〕86号". */
export function normalizeDocumentNumber(raw: string): string | null {
  const flat = toSimplified(raw).replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  NUMBER_RE.lastIndex = 0;
  const m = NUMBER_RE.exec(flat);
  if (!m) return null;
  return `${stripNumberLead(m[1]!)}〔${m[2]}〕${m[3]}号`;
}

/** "文号：", "发文字号", "签发人张三" before the prefix are not part of it. */
function stripNumberLead(prefix: string): string {
  return prefix.replace(/^.*?(文号|字号|签发人[\u4e00-\u9fff]{2,3}|编号)/, '');
}

interface NumberHit {
  number: string;
  line: number;
  /** the 文号 stands on its own line (or beside 签发人), as in a 公文 header */
  alone: boolean;
  /** cited in a sentence: "（吉发改高技〔2020〕123号）" */
  cited: boolean;
}

function findNumbers(lines: string[]): NumberHit[] {
  const hits: NumberHit[] = [];
  lines.forEach((line, i) => {
    NUMBER_RE.lastIndex = 0;
    for (const m of line.matchAll(NUMBER_RE)) {
      const before = line.slice(0, m.index);
      const prefix = stripNumberLead(m[1]!);
      if (prefix === '') continue;
      const rest = line.slice(m.index + m[0].length);
      const cited = /[（(《“]$/.test(before) || /》/.test(before) || /^[）)]/.test(rest);
      const alone =
        before.replace(/签发人[:：]?\s*[\u4e00-\u9fff]{2,4}|文号[:：]?/g, '').trim() === '' && !/[，。]/.test(rest);
      hits.push({ number: `${prefix}〔${m[2]}〕${m[3]}号`, line: i, alone, cited });
    }
  });
  return hits;
}

function findTitle(lines: string[]): { title: string; line: number } | null {
  const limit = Math.min(lines.length, 25);
  for (let i = 0; i < limit; i++) {
    const l = lines[i]!;
    if (!/^关于/.test(l) || /[，。；]/.test(l)) continue;
    // a long title wraps onto the next line(s)
    let title = l;
    let j = i;
    while (!TITLE_END.test(title) && j + 1 < limit && j < i + 2 && !/[，。：:]/.test(lines[j + 1]!)) {
      j++;
      title += lines[j]!;
    }
    if (TITLE_END.test(title) && title.length <= 80) return { title, line: i };
  }
  for (let i = 0; i < limit; i++) {
    const l = lines[i]!;
    if (/的请示$/.test(l) && l.length <= 80 && !/[，。]/.test(l)) return { title: l, line: i };
  }
  return null;
}

/** "长春市发展和改革委员会文件" → "长春市发展和改革委员会"; null when the line is not an office's name. */
function orgName(line: string): string | null {
  const name = line.replace(/\s+/g, '').replace(/(文件|\(?盖章\)?|（盖章）)$/, '');
  if (name.length < 4 || name.length > 30 || !/^[\u4e00-\u9fff（）()]+$/.test(name)) return null;
  if (/^(关于|根据|附件|抄送|主题词)/.test(name)) return null;
  return ORG_SUFFIX.test(name) ? name : null;
}

const CN_VALUE: Record<string, number> = {
  〇: 0,
  零: 0,
  '○': 0,
  Ｏ: 0,
  '0': 0,
  O: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 二〇二〇 → 2020 (digit by digit); 十二 → 12, 二十 → 20, 三十一 → 31. */
function cnNumber(s: string, digitByDigit: boolean): number | null {
  if (digitByDigit) {
    let n = 0;
    for (const ch of s) {
      const v = CN_VALUE[ch];
      if (v === undefined) return null;
      n = n * 10 + v;
    }
    return n;
  }
  if (!s.includes('十')) return s.length === 1 ? (CN_VALUE[s] ?? null) : null;
  const [tens, ones] = s.split('十');
  const t = tens === '' ? 1 : CN_VALUE[tens!];
  const o = ones === '' ? 0 : CN_VALUE[ones!];
  return t === undefined || o === undefined ? null : t * 10 + o;
}

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1990 || y > 2100) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

interface DateHit {
  iso: string;
  line: number;
  /** the line is the date alone (or the issuer and the date): the 成文日期 of a 公文 */
  alone: boolean;
}

function findDates(lines: string[]): DateHit[] {
  const hits: DateHit[] = [];
  lines.forEach((line, i) => {
    const found: Array<{ iso: string; at: number; len: number }> = [];
    for (const m of line.matchAll(DIGIT_DATE)) {
      const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
      if (iso) found.push({ iso, at: m.index, len: m[0].length });
    }
    for (const m of line.matchAll(CN_DATE)) {
      const y = cnNumber(m[1]!, true);
      const mo = cnNumber(m[2]!, false);
      const d = cnNumber(m[3]!, false);
      const iso = y !== null && mo !== null && d !== null ? isoDate(y, mo, d) : null;
      if (iso) found.push({ iso, at: m.index, len: m[0].length });
    }
    const dotted = DOTTED_DATE.exec(line);
    if (dotted) {
      const iso = isoDate(Number(dotted[1]), Number(dotted[2]), Number(dotted[3]));
      if (iso) found.push({ iso, at: 0, len: line.length });
    }
    for (const f of found) {
      const rest = (line.slice(0, f.at) + line.slice(f.at + f.len)).replace(/[\s（）()]/g, '');
      hits.push({ iso: f.iso, line: i, alone: rest === '' || orgName(rest) !== null });
    }
  });
  return hits;
}

/** The 成文日期: the last date standing alone after the title; otherwise the last date after the body's start. */
function pickDate(lines: string[], afterLine: number): { iso: string; line: number } | null {
  const dates = findDates(lines).filter((d) => d.line > afterLine);
  // 抄送/印发 lines at the foot carry their own date (印发日期): stop at them
  const foot = lines.findIndex((l, i) => i > afterLine && /^(抄送|印发|主题词)/.test(l.replace(/\s/g, '')));
  const body = foot > 0 ? dates.filter((d) => d.line < foot) : dates;
  const alone = body.filter((d) => d.alone);
  const pick = alone[alone.length - 1] ?? body[body.length - 1] ?? null;
  return pick ? { iso: pick.iso, line: pick.line } : null;
}

function pickIssuer(lines: string[], titleLine: number, dateLine: number | null): string | null {
  // the red header above the 文号 and title: the office that issues
  const headEnd = titleLine >= 0 ? titleLine : Math.min(lines.length, 4);
  for (let i = 0; i < headEnd && i < 6; i++) {
    const name = orgName(lines[i]!);
    if (name) return name;
  }
  // the signature just above (or on the same line as) the date
  if (dateLine !== null) {
    const sameLine = lines[dateLine]!.replace(DIGIT_DATE, '').replace(CN_DATE, '').trim();
    const onLine = orgName(sameLine);
    if (onLine) return onLine;
    for (let i = dateLine - 1; i >= Math.max(0, dateLine - 2); i--) {
      const name = orgName(lines[i]!);
      if (name) return name;
    }
  }
  return null;
}

function pickNumber(lines: string[], titleLine: number): string | null {
  const hits = findNumbers(lines).filter((h) => !h.cited);
  const beforeTitle = titleLine >= 0 ? hits.filter((h) => h.line < titleLine) : [];
  const pick =
    beforeTitle.find((h) => h.alone) ??
    beforeTitle[0] ??
    hits.find((h) => h.alone && h.line < 12) ??
    (titleLine < 0 ? hits[0] : undefined);
  return pick?.number ?? null;
}

/** The facts of a 请示 from its words; each null when not found. */
export function readDocumentFacts(input: DocumentFactsInput): TDocumentFacts {
  const lines = normalizeDocumentLines(input.text);
  const title = findTitle(lines);
  const titleLine = title?.line ?? -1;
  const date = pickDate(lines, titleLine);
  const redShare = input.redShare ?? null;
  return {
    number: pickNumber(lines, titleLine),
    issuer: pickIssuer(lines, titleLine, date?.line ?? null),
    title: title?.title ?? null,
    date: date?.iso ?? null,
    sealed: input.scanned ? (redShare === null ? null : redShare >= SEAL_RED_SHARE) : null,
  };
}
