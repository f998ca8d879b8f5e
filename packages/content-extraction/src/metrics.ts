import type { TEvidence } from '@intake/domain';
import { parseChineseNumber } from './chinese-number.js';
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
  const sentences = splitSentences(text.replace(/([(（](?:亿元|万元)[)）])\s*\n\s*(?=[\d,.]+)/g, '$1 '));
  const outputs: OutputCandidate[] = [];
  let carriedYear: number | null = null;
  for (const sentence of sentences) {
    const s = squeeze(toHalfWidth(sentence));
    outputs.push(...outputCandidates(s, evidenceText(sentence), carriedYear, target));
    carriedYear = firstYear(s) ?? null;
  }
  outputs.sort((a, b) => b.score - a.score);
  const best = outputs[0] ?? null;
  const evidence: TEvidence[] = [];
  if (best) {
    evidence.push({ field: 'totalOutput2019', value: best.value, text: best.sentence, source });
    if (best.year !== null) evidence.push({ field: 'dataYear', value: best.year, text: best.sentence, source });
  }
  const large = findLargeEnterprises(sentences, target);
  if (large) evidence.push({ field: 'largeEnterprises', value: large.value, text: large.sentence, source });
  return {
    totalOutput2019: best?.value ?? null,
    largeEnterprises: large?.value ?? null,
    dataYear: best?.year ?? null,
    evidence,
  };
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
  const m = /((?:19|20)\d{2})年(的|底|末|全年|度|,|，)?(集群|全市|全州|全县|全年)?(实现|完成)?(工业)?$/.exec(
    s.slice(Math.max(0, pos - 16), pos),
  );
  return m ? Number(m[1]) : null;
}

function firstYear(s: string): number | null {
  for (const m of s.matchAll(/((?:19|20)\d{2})年/g)) {
    const pre = s.slice(Math.max(0, m.index - 1), m.index);
    if (pre !== '到' && pre !== '至') return Number(m[1]);
  }
  return null;
}

const NUM = '(\\d+|[一二两三四五六七八九十百]+)';
/** "亿" or "1亿" but not "10亿"/"5亿": those are other classes of enterprise */
const ONE_YI = '(?:(?<![\\d.])(?:1|一|壹)|(?<![\\d.零一二两三四五六七八九十]))亿';
const LARGE_ENTERPRISES = [
  // the lookbehinds keep "10亿元以上企业" (a different class) out
  new RegExp(
    `(?:超|超过|过|达|在)?${ONE_YI}元(?:及|或)?以上(?:的)?(?:规上|规模以上|工业)?企业(?:数量)?(?:达到|达|有|共有|共|为|增至)?${NUM}(?:户|家|个)`,
  ),
  new RegExp(
    `(?:超|超过|过)${ONE_YI}(?:元)?(?:的)?(?:规上|规模以上|工业)?企业(?:数量)?(?:达到|达|有|共有|共|为|增至)?${NUM}(?:户|家|个)`,
  ),
  new RegExp(`${NUM}(?:户|家|个)(?:企业)?产值(?:超|超过|过)(?:1|一)?亿元`),
];

function findLargeEnterprises(sentences: string[], dataYear: number): { value: number; sentence: string } | null {
  let best: { value: number; sentence: string; score: number } | null = null;
  for (const sentence of sentences) {
    const s = squeeze(toHalfWidth(sentence));
    for (const re of LARGE_ENTERPRISES) {
      const m = re.exec(s);
      if (!m) continue;
      if (isTargetContext(s.slice(0, m.index), dataYear)) continue;
      const raw = m[1] ?? '';
      const value = /\d/.test(raw) ? Number(raw) : parseChineseNumber(raw);
      if (value === null) continue;
      const score = (/集群/.test(s) ? 5 : 0) + (/产值/.test(m[0]) ? 2 : 0);
      if (!best || score > best.score) best = { value, sentence: evidenceText(sentence), score };
      break;
    }
  }
  return best ? { value: best.value, sentence: best.sentence } : null;
}

/** The sentence as written (full-width punctuation kept), whitespace collapsed. */
function evidenceText(sentence: string): string {
  return sentence.replace(/\s+/g, ' ').trim();
}
