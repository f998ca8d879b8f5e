// Guards issue 9, item 1: rows that are not projects — section headings
// (numbered, merged, or a lone label), 小计/合计 however written, notes,
// sign-offs, repeated headers, unit and column-number rows — never become
// projects, whatever numbers they contain.
import { describe, expect, it } from 'vitest';
import { gridFromCells, type GridRow } from './grid.js';
import { findHeader } from './header-detect.js';
import { classifyRow, type RowKind } from './row-kinds.js';

const HEADER = ['序号', '项目名称', '建设单位', '总投资（万元）', '建设年限'];
const grid = gridFromCells('Sheet1', [HEADER]);
const header = findHeader(grid)!;
const ctx = { header, visible: () => true };
const row = (cells: string[]): GridRow => gridFromCells('Sheet1', [cells]).rows[0]!;
const merged = (text: string): string[] => HEADER.map(() => text);

describe('classifyRow', () => {
  it.each<[string, string[], RowKind]>([
    ['a project', ['1', '长春激光雷达研发及生产基地', '长春希达电子技术有限公司', '30000', '2020-2023'], 'project'],
    [
      'a project with a unit in its amount',
      ['2', '四平换热器产业园', '四平维克斯换热设备有限公司', '1.2亿元', ''],
      'project',
    ],
    ['a section merged across the row, with a count', merged('一、续建项目（5个）'), 'section'],
    ['a section in the name column carrying its subtotal', ['', '（一）续建项目', '', '27000', ''], 'section'],
    ['a section in the 序号 column', ['二', '新建项目', '', '', ''], 'section'],
    ['an Arabic-numbered category', ['', '1.储备项目', '', '', ''], 'section'],
    ['a category label alone', ['', '新建类项目（3个）', '', '', ''], 'section'],
    ['a heading without a 序号 in a numbered table', ['', '生物医药领域', '', '', ''], 'section'],
    ['合计', ['合计', '', '', '135900', ''], 'total'],
    ['spaced 合 计', ['合  计', '', '', '135900', ''], 'total'],
    ['合计：N个项目 merged', merged('合计：12个项目，总投资135900万元'), 'total'],
    ['总计 with a count', ['总计', '2个项目', '', '17400', ''], 'total'],
    ['全市合计', ['', '全市合计', '', '5000', ''], 'total'],
    ['小计', ['', '小计', '', '6500', ''], 'subtotal'],
    ['续建项目小计', ['', '续建项目小计', '', '6500', ''], 'subtotal'],
    ['填表说明', merged('填表说明：1.项目按续建、新建分类填报'), 'notes'],
    ['注：', ['注：总投资以可研批复为准', '', '', '', ''], 'notes'],
    ['备注 row', ['备注', '', '', '', ''], 'notes'],
    ['a sign-off', ['填表人：李静', '', '联系电话：0438-5888666', '', ''], 'sign-off'],
    ['the header again', HEADER, 'repeated-header'],
    ['a unit row', ['', '', '', '（万元）', ''], 'unit-row'],
    ['a column-number row', ['1', '2', '3', '4', '5'], 'column-numbers'],
    ['a blank row', ['', '', '', '', ''], 'blank'],
    ['a row with only a number', ['6', '', '', '', ''], 'no-name'],
    ['a template sample row', ['例', 'XX产业园建设项目', 'XX有限公司', '5000', '2020-2022'], 'example'],
    ['a sample row without 例', ['1', 'XX项目', 'XX公司', '', ''], 'example'],
  ])('%s', (_what, cells, kind) => {
    expect(classifyRow(row(cells), ctx)).toBe(kind);
  });
});
