import { parseChineseNumber } from './chinese-number.js';
import { squeeze, toHalfWidth } from './text-normalize.js';

export type MoneyUnit = '万元' | '亿元' | '元';

export interface ParsedAmount {
  value: number;
  /** the unit written next to the number, when there is one */
  unit: MoneyUnit | null;
}

/** Hedges around figures: 约5000, 近3亿, 5000余万元, 1000万元左右. */
const HEDGE_PREFIX = /^(约|大约|近|超过|超|逾|预计|计划|共|合计|总计|累计)/;

/**
 * Reads an amount as people type it into a cell: "35,000", "3.5亿", "１２３４５",
 * "约5000", "5000万元", "壹佰亿元". Returns the first amount; null when there is none.
 */
export function parseAmount(text: string): ParsedAmount | null {
  const s = squeeze(toHalfWidth(text))
    .replace(/，(?=\d{3}(?!\d))/g, ',')
    .replace(HEDGE_PREFIX, '');
  if (!s) return null;
  const m = /(-?\d+(?:,\d{3})*(?:\.\d+)?|-?\.\d+)(余|多)?(亿元|亿|万元|万|元)?/.exec(s);
  if (m) {
    const value = Number((m[1] ?? '').replace(/,/g, ''));
    if (!Number.isFinite(value)) return null;
    // "3.5亿" must not be read as 3.5 in a 万元 column; "3万亿"-style compounds are not used for projects
    return { value, unit: toUnit(m[3]) };
  }
  // whole-cell only: "一、续建项目" starts with a numeral but is a heading
  const cm = /^([零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万点]+)(亿元|亿|万元|元)?(左右)?$/.exec(
    s.replace(/^人民币/, ''),
  );
  if (cm) {
    const value = parseChineseNumber(cm[1] ?? '');
    if (value !== null) return { value, unit: toUnit(cm[2]) };
  }
  return null;
}

const CELL_NUMBER =
  /^(?:约|大约|近|预计|计划|共计?|总计)?(-?\d+(?:,\d{3})*(?:\.\d+)?|-?\.\d+)(?:余|多)?(亿元|亿|万元|万|元)?(?:人民币)?(?:左右|以上)?(?:[(（][^()（）]*[)）])?$/;
const CELL_CHINESE = /^(?:约|近)?([零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿点]+)(元)?(?:左右)?$/;

/**
 * A cell that holds an amount and nothing else: "35,000", "5,000万元",
 * "1.2亿元", "１２３４５", "约5000", "3500（其中自筹1000）", "三千五百万元".
 * Unlike parseAmount it refuses text that merely contains a number, so a
 * heading merged across the row ("一、续建项目（5个）") is never an amount.
 */
export function parseAmountCell(text: string): ParsedAmount | null {
  const s = squeeze(toHalfWidth(text))
    .replace(/，(?=\d{3}(?!\d))/g, ',')
    .replace(/^[¥￥]|^人民币/, '');
  if (!s) return null;
  const m = CELL_NUMBER.exec(s);
  if (m) {
    const value = Number((m[1] ?? '').replace(/,/g, ''));
    return Number.isFinite(value) ? { value, unit: toUnit(m[2]) } : null;
  }
  const cm = CELL_CHINESE.exec(s);
  if (!cm) return null;
  // "壹亿贰仟万元" is a number of 元; "三千万" without 元 is 3000 in 万元, the trailing 万/亿 being the unit
  let numeral = cm[1] ?? '';
  let unit: MoneyUnit | null = cm[2] ? '元' : null;
  if (!unit && /[万亿]$/.test(numeral) && numeral.length > 1) {
    unit = numeral.endsWith('亿') ? '亿元' : '万元';
    numeral = numeral.slice(0, -1);
  }
  const value = parseChineseNumber(numeral);
  return value === null ? null : { value, unit };
}

function toUnit(u: string | undefined): MoneyUnit | null {
  if (!u) return null;
  if (u.startsWith('亿')) return '亿元';
  if (u.startsWith('万')) return '万元';
  return '元';
}

/** Converts an amount in `unit` to 万元, rounded to drop float noise (1.1 × 10000). */
export function toWan(value: number, unit: MoneyUnit): number {
  const factor = unit === '亿元' ? 10000 : unit === '元' ? 1 / 10000 : 1;
  return roundTo(value * factor, 6);
}

/** Converts an amount in `unit` to 亿元. */
export function toYi(value: number, unit: MoneyUnit): number {
  const factor = unit === '亿元' ? 1 : unit === '万元' ? 1 / 10000 : 1 / 1e8;
  return roundTo(value * factor, 6);
}

export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The money unit a header or note states: "总投资（亿元）", "单位：万元", "(元)". */
export function unitFromLabel(label: string): MoneyUnit | null {
  const s = squeeze(toHalfWidth(label));
  if (/亿元|\(亿\)|亿$/.test(s)) return '亿元';
  if (/万元|\(万\)|万$/.test(s)) return '万元';
  if (/\(元\)|单位[:]?元|^元$|（元）/.test(s)) return '元';
  return null;
}
