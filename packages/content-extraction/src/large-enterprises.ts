import { parseChineseNumber } from './chinese-number.js';
import { squeeze, toHalfWidth } from './text-normalize.js';

/**
 * The number of enterprises with output ≥ 1亿元 (the notice's 产值亿元以上企业),
 * as officials write it: 产值超亿元企业15家, 年产值超过1亿元的企业15户,
 * 亿元以上企业十五户, 过亿元企业15个, 产值1亿元以上的企业有15家,
 * 15户企业产值超亿元, 超亿元企业由2018年的12户增加到15户. The class is
 * "1亿", never 10亿/5亿/百亿: those are other classes of enterprise.
 */

const NUM = '(\\d{1,4}|[零一二两三四五六七八九十百]{1,6})';
const UNIT = '(?:户|家|个)';
/** what is ≥ 1亿: output first; sales/revenue are what some offices report instead */
const MEASURE_WORD = '((?:年|工业|全年)?(?:总)?产值|(?:主营业务|营业|销售)收入|营收)';
const MEASURE = `${MEASURE_WORD}?`;
const OVER = '(?:超过|超出|超|过|逾|达到|达|在|突破)?';
/** "亿", "1亿", "一亿", but not "10亿", "5亿", "十亿", "百亿" */
const ONE_YI =
  '(?:(?<![\\d.])1|(?<![零〇一二两三四五六七八九十百千])[一壹]|(?<![\\d.零〇一二两三四五六七八九十百千万]))亿元?';
const CLASS_TAIL = '(?:级|及以上|以上)?(?:的)?(?:规上|规模以上|工业|重点|骨干|龙头)*企业';
const COUNT_LEAD =
  '(?:数量|户数|家数|个数|总数|数)?(?:已|已经|现|目前)?(?:达到|达|有|现有|拥有|共有|共计|共|为|增至|增加到|增加至|发展到|发展至|合计|总计|累计)?';

/** class, then the count right after it */
const CLASS_THEN_COUNT = new RegExp(`${MEASURE}${OVER}${ONE_YI}${CLASS_TAIL}${COUNT_LEAD}${NUM}${UNIT}`);
/** class, then a growth clause whose last count is the current one: 由2018年的12户增加到15户 */
const CLASS_THEN_GROWTH = new RegExp(
  `${MEASURE}${OVER}${ONE_YI}${CLASS_TAIL}(?:数量|户数)?由([^，,；。]{1,30}?)(?:增加|增长|发展|提高|提升)(?:到|至)[^，,；。\\d一二两三四五六七八九十]{0,8}${NUM}${UNIT}`,
);
/** the count first: 15户企业产值超亿元, 有15家企业年产值超过1亿元 */
const COUNT_THEN_CLASS = new RegExp(
  `${NUM}${UNIT}(?:企业|规上企业|工业企业)(?:的)?${MEASURE_WORD}${OVER}${ONE_YI}(?:以上)?`,
);
/** a table row flattened into text: 亿元以上企业数（户） 10 */
const CLASS_LABELLED = new RegExp(`${MEASURE}${OVER}${ONE_YI}${CLASS_TAIL}(?:数量|数)?\\((?:户|家|个)\\)[:：]?${NUM}`);
/** no 企业 word: 其中产值超亿元的15户 */
const CLASS_NO_WORD = new RegExp(`${MEASURE_WORD}${OVER}${ONE_YI}(?:以上)?(?:的)?${NUM}${UNIT}`);

export interface LargeEnterprisesMatch {
  value: number;
  /** the matched phrase, as normalized */
  phrase: string;
  /** output (产值) rather than sales or revenue */
  byOutput: boolean;
  index: number;
}

function countOf(raw: string | undefined): number | null {
  if (!raw) return null;
  const v = /\d/.test(raw) ? Number(raw) : parseChineseNumber(raw);
  return v !== null && Number.isInteger(v) && v >= 0 && v < 10000 ? v : null;
}

/** The first statement of the count in one sentence, or null. */
export function matchLargeEnterprises(sentence: string): LargeEnterprisesMatch | null {
  const s = squeeze(toHalfWidth(sentence));
  const growth = CLASS_THEN_GROWTH.exec(s);
  if (growth) {
    const value = countOf(growth[3]);
    if (value !== null) return found(growth, value, growth[1]);
  }
  for (const re of [CLASS_THEN_COUNT, CLASS_LABELLED, COUNT_THEN_CLASS, CLASS_NO_WORD]) {
    const m = re.exec(s);
    if (!m) continue;
    // COUNT_THEN_CLASS: [1] count, [2] measure; the others: [1] measure, [2] count
    const [measure, count] = re === COUNT_THEN_CLASS ? [m[2], m[1]] : [m[1], m[2]];
    const value = countOf(count);
    if (value !== null) return found(m, value, measure);
  }
  return null;
}

function found(m: RegExpExecArray, value: number, measure: string | undefined): LargeEnterprisesMatch {
  return { value, phrase: m[0], byOutput: !measure || measure.includes('产值'), index: m.index };
}
