/**
 * Chinese numerals, both everyday (一百二十) and financial (壹佰贰拾) forms,
 * as written in formal documents: "工业总产值人民币壹佰亿元".
 */
const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };

export const CHINESE_NUMERAL_CHARS = '零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿点';

/**
 * Parses a run of Chinese numeral characters; null when it is not one.
 * Handles 十二 (12), 一百零五 (105), 三点五 (3.5), 壹佰 (100), 一二三 (digit-by-digit, 123).
 */
export function parseChineseNumber(raw: string): number | null {
  const s = raw.trim();
  if (!s || Array.from(s).some((ch) => !CHINESE_NUMERAL_CHARS.includes(ch))) return null;
  const [intPart = '', fracPart] = s.split('点');
  const intValue = parseChineseInteger(intPart);
  if (intValue === null) return null;
  if (fracPart === undefined) return intValue;
  let frac = '';
  for (const ch of fracPart) {
    const d = DIGITS[ch];
    if (d === undefined) return null;
    frac += String(d);
  }
  return frac ? Number(`${intValue}.${frac}`) : intValue;
}

function parseChineseInteger(s: string): number | null {
  if (s === '') return 0;
  // 一二三 written digit by digit, without units
  if (Array.from(s).every((ch) => DIGITS[ch] !== undefined)) {
    return s.length === 1 ? (DIGITS[s] ?? null) : Number(Array.from(s, (ch) => DIGITS[ch]).join(''));
  }
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const ch of s) {
    const d = DIGITS[ch];
    if (d !== undefined) {
      digit = d;
      continue;
    }
    const small = SMALL_UNITS[ch];
    if (small !== undefined) {
      section += (digit ?? 1) * small; // 十二 = 1×10 + 2
      digit = null;
      continue;
    }
    const big = BIG_UNITS[ch];
    if (big === undefined) return null;
    // 亿 scales everything before it (一万亿); 万 only the part since the last 亿 (壹亿贰仟万 = 1.2亿)
    if (big === 1e8) total = (total + section + (digit ?? 0)) * big;
    else total += (section + (digit ?? 0)) * big;
    section = 0;
    digit = null;
  }
  return total + section + (digit ?? 0);
}
