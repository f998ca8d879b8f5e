import type { TEvidence } from '@intake/domain';
import { parseChineseNumber } from './chinese-number.js';
import { matchLargeEnterprises } from './large-enterprises.js';
import type { MoneyUnit } from './money.js';
import { toYi } from './money.js';
import { splitSentences, squeeze, toHalfWidth } from './text-normalize.js';

export interface MetricsResult {
  /** 亿元 */
  totalOutput2019: number | null;
  largeEnterprises: number | null;
  /** the year the chosen output figure is stated for */
  dataYear: number | null;
  evidence: TEvidence[];
}

export interface ExtractMetricsOptions {
  /**
   * The year the notice asks figures for; a figure for it wins over others.
   * @defaultValue 2019
   */
  dataYear?: number;
}

interface OutputCandidate {
  value: number;
  year: number | null;
  score: number;
  sentence: string;
}

const AMOUNT =
  /(\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万点壹贰叁肆伍陆柒捌玖拾佰仟]+)(亿元|万元|亿|元)/g;
const OUTPUT_KEYWORD = /(工业总产值|总产值|产值规模|产值|产业规模|集群规模)/g;
/** Figures that are not this year's output: plans, targets, projections, other measures. */
const TARGET =
  /预计|力争|目标|(规划|计划)(到|至|在)|将(达到|实现|突破)|有望|十四五|达产后|建成后|投产后|可实现|可新增|新增产值|年均/;

/** A plan or projection precedes the figure; "增长到2019年的…" is history, "到2025年" a target. */
function isTargetContext(prefix: string, dataYear: number): boolean {
  if (TARGET.test(prefix)) return true;
  return [...prefix.matchAll(/(?:到|至)((?:19|20)\d{2})年|((?:19|20)\d{2})年前/g)].some(
    (m) => Number(m[1] ?? m[2]) > dataYear,
  );
}
const OTHER_MEASURE = /投资|利润|利税|税收|收入|增加值|出口|资产|营收|销售额|工资|融资|贷款|资金/;
const GROWTH_BRIDGE = /(增长|增加|提高|提升)(到|至)|达到|达|突破|实现/;

/** Reads the cluster's output and number of 亿元+ enterprises out of the materials text. */
export function extractMetrics(text: string, source: string, opts: ExtractMetricsOptions = {}): MetricsResult {
  const target = opts.dataYear ?? 2019;
  // a table cell "总产值（亿元）" and its value land on separate lines in extracted text
  const written = splitSentences(text.replace(/([(（](?:亿元|万元)[)）])\s*\n\s*(?=[\d,.]+)/g, '$1 '));
  // read with years in digits (二〇一九年 → 2019年, same length), quote as written
  const sentences = written.map(arabicYears);
  const outputs: OutputCandidate[] = [];
  let carriedYear: number | null = null;
  for (const [i, sentence] of sentences.entries()) {
    const s = squeeze(toHalfWidth(sentence));
    const original = written[i] ?? sentence;
    outputs.push(...outputCandidates(s, evidenceText(original), carriedYear, target));
    carriedYear = firstYear(s) ?? null;
  }
  const choice = chooseOutput(outputs, target);
  const evidence: TEvidence[] = [];
  const best = choice.chosen;
  if (best) {
    evidence.push({ field: 'totalOutput2019', value: best.value, text: best.sentence, source, ...yearOf(best) });
    if (best.year !== null)
      evidence.push({ field: 'dataYear', value: best.year, text: best.sentence, source, year: best.year });
  } else if (choice.otherYear) {
    const o = choice.otherYear;
    evidence.push({
      field: 'totalOutput',
      value: o.value,
      text: o.sentence,
      source,
      ...yearOf(o),
      reason: `材料中的产值是${o.year ?? ''}年的数据，不是${target}年的，未计为${target}年总产值`,
    });
    if (o.year !== null) evidence.push({ field: 'dataYear', value: o.year, text: o.sentence, source, year: o.year });
  }
  const large = findLargeEnterprises(sentences, written, target);
  if (large) evidence.push({ field: 'largeEnterprises', value: large.value, text: large.sentence, source });
  return {
    totalOutput2019: best?.value ?? null,
    largeEnterprises: large?.value ?? null,
    dataYear: best ? best.year : (choice.otherYear?.year ?? null),
    evidence,
  };
}

const CN_DIGIT: Record<string, string> = {
  〇: '0',
  零: '0',
  一: '1',
  二: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

/** Formal documents write years in characters: 二〇一九年 → 2019年. */
function arabicYears(text: string): string {
  return text.replace(
    /([〇零一二三四五六七八九]{4})年/g,
    (_, y: string) => `${Array.from(y, (c) => CN_DIGIT[c] ?? c).join('')}年`,
  );
}

function yearOf(c: OutputCandidate): { year?: number } {
  return c.year === null ? {} : { year: c.year };
}

/**
 * totalOutput2019 holds only a figure stated for the notice's year, or one stated for no year at all
 * (read as current). A figure stated only for another year is not it: it is reported separately, and
 * its year becomes the data year (WRONG_DATA_YEAR).
 */
function chooseOutput(
  outputs: OutputCandidate[],
  target: number,
): { chosen: OutputCandidate | null; otherYear: OutputCandidate | null } {
  // equal scores: the more recent year is the one the text reports as current
  const byScore = [...outputs].sort((a, b) => b.score - a.score || (b.year ?? 0) - (a.year ?? 0));
  const chosen = byScore.find((c) => c.year === target) ?? byScore.find((c) => c.year === null) ?? null;
  return { chosen, otherYear: chosen ? null : (byScore[0] ?? null) };
}

/** Table cells flattened into text: "2019年总产值（亿元） 128.6". */
const LABELLED_OUTPUT = /(工业总产值|总产值|产值)\((亿元|万元)\)[:：]?(\d+(?:,\d{3})*(?:\.\d+)?)/g;

function outputCandidates(s: string, original: string, carriedYear: number | null, target: number): OutputCandidate[] {
  const out: OutputCandidate[] = [];
  for (const m of s.matchAll(LABELLED_OUTPUT)) {
    const pos = m.index;
    if (isTargetContext(s.slice(0, pos), target)) continue;
    const value = amountValue(m[3] ?? '', m[2] ?? '');
    if (value === null || value <= 0) continue;
    const year = yearBefore(s, pos) ?? firstYear(s) ?? carriedYear;
    out.push({
      value,
      year,
      score: 9 + (/集群/.test(s) ? 5 : 0) + (year === target ? 3 : year === null ? 0 : -3),
      sentence: original,
    });
  }
  for (const m of s.matchAll(AMOUNT)) {
    const pos = m.index;
    const after = s.slice(pos + m[0].length, pos + m[0].length + 4);
    if (/^(以上|以下|及以上|的企业|企业|级)/.test(after)) continue; // "产值5亿元以上企业" is a class, not a total
    const before = s.slice(Math.max(0, pos - 40), pos);
    const kw = lastMatch(before, OUTPUT_KEYWORD);
    if (!kw) continue;
    const between = before.slice(kw.index + kw.text.length);
    if (OTHER_MEASURE.test(between)) continue;
    // "由2018年的100亿元增长到2019年的128.6亿元": a second amount only behind a growth verb
    if (
      new RegExp(AMOUNT.source).test(between) &&
      !GROWTH_BRIDGE.test(between.replace(new RegExp(AMOUNT.source, 'g'), ''))
    )
      continue;
    if (isTargetContext(s.slice(0, pos), target)) continue;
    const value = amountValue(m[1] ?? '', m[2] ?? '');
    if (value === null || value <= 0) continue;
    const year =
      yearBefore(s, pos) ?? yearBefore(s, pos - between.length - kw.text.length) ?? firstYear(s) ?? carriedYear;
    let score = 10;
    if (/集群/.test(s)) score += 5;
    if (kw.text === '产业规模' || kw.text === '集群规模') score -= 3;
    if (/(公司|集团|企业|厂)[^，,；]{0,8}$/.test(s.slice(0, pos - between.length - kw.text.length))) score -= 8;
    if (year === target) score += 3;
    else if (year !== null) score -= 3;
    out.push({ value, year, score, sentence: original });
  }
  return out;
}

function amountValue(num: string, unitText: string): number | null {
  const value = /\d/.test(num) ? Number(num.replace(/,/g, '')) : parseChineseNumber(num);
  if (value === null || !Number.isFinite(value)) return null;
  const unit: MoneyUnit = unitText.startsWith('亿') ? '亿元' : unitText.startsWith('万') ? '万元' : '元';
  return toYi(value, unit);
}

function lastMatch(s: string, re: RegExp): { index: number; text: string } | null {
  let last: { index: number; text: string } | null = null;
  for (const m of s.matchAll(re)) last = { index: m.index, text: m[0] };
  return last;
}

/** "2019年的128.6亿元", "2019年全年实现产值": a year right before `pos`. */
function yearBefore(s: string, pos: number): number | null {
  if (pos <= 0) return null;
  const m = /((?:19|20)\d{2})年(的|底|末|全年|度)?[,，]?(集群|全市|全州|全县|全年)?(共|累计)?(实现|完成)?(工业)?$/.exec(
    s.slice(Math.max(0, pos - 16), pos),
  );
  return m ? Number(m[1]) : null;
}

function firstYear(s: string): number | null {
  for (const m of s.matchAll(/((?:19|20)\d{2})年/g)) {
    const pre = s.slice(Math.max(0, m.index - 2), m.index);
    // "到2025年" is a target; "截至2019年底" is the statistics date
    if (!/[到至]$/.test(pre) || /^截[至止]$/.test(pre)) return Number(m[1]);
  }
  return null;
}

function findLargeEnterprises(
  sentences: string[],
  written: string[],
  dataYear: number,
): { value: number; sentence: string } | null {
  let best: { value: number; sentence: string; score: number } | null = null;
  for (const [i, sentence] of sentences.entries()) {
    const m = matchLargeEnterprises(sentence);
    if (!m) continue;
    const s = squeeze(toHalfWidth(sentence));
    if (isTargetContext(s.slice(0, s.indexOf(m.phrase)), dataYear)) continue;
    const score = (/集群/.test(s) ? 5 : 0) + (m.byOutput ? 2 : 0) + (firstYear(s) === dataYear ? 1 : 0);
    if (!best || score > best.score) best = { value: m.value, sentence: evidenceText(written[i] ?? sentence), score };
  }
  return best ? { value: best.value, sentence: best.sentence } : null;
}

/** The sentence as written (full-width punctuation kept), whitespace collapsed. */
function evidenceText(sentence: string): string {
  return sentence.replace(/\s+/g, ' ').trim();
}
