import { cleanText } from './text-normalize.js';

/**
 * Construction period as one comparable text: "2021年-2023年", "2021.1-2023.12",
 * "2021—2023" → "2021-2023"; a Date cell → its year; anything else kept as written.
 */
export function normalizePeriod(text: string, date: Date | null = null, num: number | null = null): string | null {
  if (date && !Number.isNaN(date.getTime())) return String(date.getFullYear());
  if (num !== null && Number.isInteger(num) && num >= 1990 && num <= 2100) return String(num);
  const s = cleanText(text);
  if (!s) return null;
  const years = [...s.matchAll(/(?<!\d)((?:19|20)\d{2})(?!\d)/g)].map((m) => m[1] ?? '');
  if (years.length >= 2) return `${years[0]}-${years[years.length - 1]}`;
  if (years.length === 1) {
    // "2021-23" or "2021年至23年": a two-digit end year
    const short = /(?:19|20)\d{2}\D{1,4}?(\d{2})(?!\d)/.exec(s);
    const y = years[0] ?? '';
    if (short?.[1] && Number(short[1]) >= Number(y.slice(2))) return `${y}-${y.slice(0, 2)}${short[1]}`;
    return y;
  }
  return s;
}
