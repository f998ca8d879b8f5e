// Guards the small parsers every figure goes through: amounts typed as text,
// Chinese numerals, money units and construction periods.
import { describe, expect, it } from 'vitest';
import { parseChineseNumber } from './chinese-number.js';
import { parseAmount, toWan, unitFromLabel } from './money.js';
import { normalizePeriod } from './period.js';

describe('parseAmount', () => {
  it.each([
    ['35,000', 35000, null],
    ['3.5亿', 3.5, '亿元'],
    ['１２３４５', 12345, null],
    ['约5000', 5000, null],
    ['5000万元', 5000, '万元'],
    ['5000余万元', 5000, '万元'],
    ['壹佰亿元', 100, '亿元'],
    ['35，000', 35000, null],
  ] as const)('%s', (text, value, unit) => {
    expect(parseAmount(text)).toEqual({ value, unit });
  });
  it('returns null for text without an amount', () => {
    expect(parseAmount('一、续建项目')).toBeNull();
    expect(parseAmount('待定')).toBeNull();
    expect(parseAmount('')).toBeNull();
  });
});

describe('units', () => {
  it('reads units from labels and converts to 万元', () => {
    expect(unitFromLabel('总投资（亿元）')).toBe('亿元');
    expect(unitFromLabel('总投资(万元)')).toBe('万元');
    expect(unitFromLabel('投资额（元）')).toBe('元');
    expect(unitFromLabel('计划总投资')).toBeNull();
    expect(toWan(1.1, '亿元')).toBe(11000);
    expect(toWan(12_345_678, '元')).toBe(1234.5678);
  });
});

describe('parseChineseNumber', () => {
  it.each([
    ['十二', 12],
    ['一百零五', 105],
    ['壹佰', 100],
    ['三点五', 3.5],
    ['两千三百万', 23_000_000],
    ['一二三', 123],
  ] as const)('%s', (s, n) => {
    expect(parseChineseNumber(s)).toBe(n);
  });
  it('rejects other text', () => expect(parseChineseNumber('续建')).toBeNull());
});

describe('normalizePeriod', () => {
  it.each([
    ['2021-2023', '2021-2023'],
    ['2021年-2023年', '2021-2023'],
    ['2021.1-2023.12', '2021-2023'],
    ['2021年3月至2023年12月', '2021-2023'],
    ['2021—2023', '2021-2023'],
    ['2021-23', '2021-2023'],
    ['2022年', '2022'],
    ['3年', '3年'],
  ])('%s → %s', (text, expected) => {
    expect(normalizePeriod(text)).toBe(expected);
  });
  it('takes the year of a date and of a year number', () => {
    expect(normalizePeriod('', new Date(2021, 5, 1))).toBe('2021');
    expect(normalizePeriod('2021', null, 2021)).toBe('2021');
    expect(normalizePeriod('')).toBeNull();
  });
});
