// Guards the 附件2 reader against the layouts real submissions use: title rows,
// merged two-row headers in 亿元, text numbers, 合计 rows, formulas, GBK CSV.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { ooxmlReadOrder, readProjectTable } from './project-table.js';

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function twoRowHeaderWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('填表说明').addRow(['请按要求填写附件2']);
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['附件2']);
  ws.addRow(['2020年长春市生物医药产业集群重点项目汇总表']);
  ws.mergeCells('A2:G2');
  ws.addRow(['填报单位：长春市发展和改革委员会', '', '', '', '', '', '']);
  ws.addRow(['序号', '项目名称', '建设单位', '建设地点', '总投资（亿元）', '', '建设起止年限']);
  ws.addRow(['', '', '', '', '计划总投资', '其中：2020年', '']);
  for (const c of ['A', 'B', 'C', 'D', 'G']) ws.mergeCells(`${c}4:${c}5`);
  ws.mergeCells('E4:F4');
  ws.addRow(['一、续建项目']);
  ws.mergeCells('A6:G6');
  ws.addRow([1, '长春生物疫苗产业园', '长春生物制品研究所有限责任公司', '长春新区', 3.5, 1, '2019-2021']);
  ws.addRow([
    2,
    { richText: [{ text: '高端' }, { text: '制剂项目' }] },
    '修正药业集团',
    '长春市',
    '１２',
    '2',
    '2020年-2022年',
  ]);
  ws.addRow([
    3,
    '医疗器械产业化基地',
    '某医疗器械公司',
    '长春市',
    { formula: 'E7*2', result: 7 },
    0.5,
    new Date(Date.UTC(2021, 0, 1)),
  ]);
  ws.addRow([4, '公式未重算项目', '某公司', '长春', { formula: 'E7+E8', result: undefined }, '', '2021.1-2023.12']);
  ws.addRow(['二、新建项目']);
  ws.mergeCells('A11:G11');
  ws.addRow([5, '中药配方颗粒项目', '敖东药业', '延吉', '0.35', '', '2021-2023']);
  ws.addRow(['合计', '', '', '', 23.85, 3.5, '']);
  ws.addRow(['说明：总投资单位为亿元。']);
  return toBuffer(wb);
}

describe('readProjectTable on xlsx', () => {
  // a small file (by its measured inflated size) is loaded whole, any other streamed: both read the same
  it.each([
    ['streamed', undefined],
    ['loaded whole', 50_000],
  ])(
    'finds the sheet under title rows, reads a merged two-row 亿元 header and converts to 万元 (%s)',
    async (_how, unpackedBytes) => {
      const r = await readProjectTable(await twoRowHeaderWorkbook(), {
        ...(unpackedBytes === undefined ? {} : { unpackedBytes }),
        filename: '附件2.xlsx',
        format: 'xlsx',
        largeProjectWan: 3000,
      });
      expect(r.found).toBe(true);
      expect(r.sheet).toBe('Sheet1');
      expect(r.headerRow).toBe(4);
      expect(r.unit).toBe('亿元');
      expect(r.title).toBe('2020年长春市生物医药产业集群重点项目汇总表');
      expect(r.projects.map((p) => p.name)).toEqual([
        '长春生物疫苗产业园',
        '高端制剂项目',
        '医疗器械产业化基地',
        '公式未重算项目',
        '中药配方颗粒项目',
      ]);
      expect(r.projects.map((p) => p.totalInvestment)).toEqual([35000, 120000, 70000, null, 3500]);
      expect(r.projects.map((p) => p.period)).toEqual(['2019-2021', '2020-2022', '2021', '2021-2023', '2021-2023']);
      expect(r.projects[0]).toMatchObject({
        owner: '长春生物制品研究所有限责任公司',
        location: '长春新区',
        row: 7,
        sheet: 'Sheet1',
      });
      expect(r.notes.join('\n')).toMatch(/公式/);
      expect(r.notes.join('\n')).toMatch(/总投资≥3000万元的项目4个/);
      // read by the reader chosen first, not by a fallback
      expect(r.notes.join('\n')).not.toMatch(/读取失败|SheetJS/);
    },
  );

  it.each([
    ['streamed', undefined],
    ['loaded whole', 50_000],
  ])('reads a formula whose cached result is an error as unknown, with a note (%s)', async (_how, unpackedBytes) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['序号', '项目名称', '建设单位', '建设地点', '总投资（万元）', '建设起止年限']);
    ws.addRow([1, '甲项目', '某公司', '长春', 5000, '2020-2022']);
    ws.addRow([2, '乙项目', '某公司', '长春', { formula: 'E2/0', result: { error: '#DIV/0!' } }, '2020-2022']);
    const r = await readProjectTable(await toBuffer(wb), {
      ...(unpackedBytes === undefined ? {} : { unpackedBytes }),
      filename: '附件2.xlsx',
      format: 'xlsx',
    });
    expect(r.projects.map((p) => [p.name, p.totalInvestment])).toEqual([
      ['甲项目', 5000],
      ['乙项目', null],
    ]);
    expect(r.notes).toContain('1个总投资单元格是没有缓存结果（或结果为错误值）的公式，按未知处理');
  });

  it('loads a file whole first only when its measured inflated size is small', () => {
    expect(ooxmlReadOrder(8_492, 40_000)).toEqual(['whole', 'stream']);
    expect(ooxmlReadOrder(8_492, 2 * 1024 * 1024)).toEqual(['whole', 'stream']);
    // a small file that inflates far (many rows): streamed, the whole load only if streaming fails
    expect(ooxmlReadOrder(300_000, 2 * 1024 * 1024 + 1)).toEqual(['stream', 'whole']);
    // not measured (a caller outside the extraction thread): the zip's own sizes are not believed
    expect(ooxmlReadOrder(8_492, undefined)).toEqual(['stream', 'whole']);
    // too big to load whole at all, whatever it claims
    expect(ooxmlReadOrder(4 * 1024 * 1024 + 1, 10)).toEqual(['stream']);
  });

  it('reads text numbers, 单位 lines above the header and in-cell units; skips 小计 and blank rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('项目表');
    ws.addRow(['吉林市碳纤维及复合材料产业集群重点项目汇总表']);
    ws.addRow(['', '', '', '单位：万元']);
    ws.addRow(['项目', '项目单位', '项目地点', '计划投资', '建设期限', '建设内容']);
    ws.addRow(['碳纤维原丝扩能', '吉林化纤集团', '吉林市', '35,000', '2021-2023', '年产1.2万吨']);
    ws.addRow([]);
    ws.addRow(['复材制品', '吉林市某复材公司', '吉林经开区', '约5000', '2022年', '']);
    ws.addRow(['大丝束项目', '国兴碳纤维', '吉林市', '3.5亿', '2021—2024', '']);
    ws.addRow(['小计', '', '', '75000', '', '']);
    ws.addRow(['填表人：张三', '', '联系电话：0432-1234567']);
    const r = await readProjectTable(await toBuffer(wb), { filename: 'a.xlsx', format: 'xlsx' });
    expect(r.unit).toBe('万元');
    expect(r.headerRow).toBe(3);
    expect(r.projects.map((p) => [p.name, p.totalInvestment, p.period, p.row])).toEqual([
      ['碳纤维原丝扩能', 35000, '2021-2023', 4],
      ['复材制品', 5000, '2022', 6],
      ['大丝束项目', 35000, '2021-2024', 7],
    ]);
  });

  it('defaults to 万元 and says so, and converts 元 tables', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['名称', '企业名称', '投资额']);
    ws.addRow(['甲项目', '甲公司', 8000]);
    const r = await readProjectTable(await toBuffer(wb), { filename: 'a.xlsx', format: 'xlsx' });
    expect(r.projects[0]?.totalInvestment).toBe(8000);
    expect(r.notes.join('\n')).toMatch(/未注明金额单位/);

    const wb2 = new ExcelJS.Workbook();
    const ws2 = wb2.addWorksheet('S');
    ws2.addRow(['项目名称', '建设单位', '总投资额(元)']);
    ws2.addRow(['乙项目', '乙公司', 50_000_000]);
    const r2 = await readProjectTable(await toBuffer(wb2), { filename: 'b.xlsx', format: 'xlsx' });
    expect(r2.unit).toBe('元');
    expect(r2.projects[0]?.totalInvestment).toBe(5000);
  });

  it('keeps a text-only first data row under a one-row header, and picks the fuller of two sheets', async () => {
    const wb = new ExcelJS.Workbook();
    const summary = wb.addWorksheet('汇总');
    summary.addRow(['项目名称', '建设单位', '总投资']);
    summary.addRow(['合计', '', '9000']);
    const ws = wb.addWorksheet('明细');
    ws.addRow(['项目名称', '建设单位', '总投资（万元）', '建设年限']);
    ws.addRow(['卫星遥感数据中心', '长光卫星技术有限公司', '3.5亿', '2021年-2023年']);
    ws.addRow(['卫星总装基地', '长光卫星技术有限公司', '6000', '2022年-2024年']);
    ws.addRow(['项目名称', '建设单位', '总投资（万元）', '建设年限']);
    ws.addRow(['北斗应用平台', '某公司', '一千五百', '2021']);
    const r = await readProjectTable(await toBuffer(wb), { filename: 'a.xlsx', format: 'xlsx' });
    expect(r.sheet).toBe('明细');
    expect(r.projects.map((p) => [p.name, p.totalInvestment, p.period])).toEqual([
      ['卫星遥感数据中心', 35000, '2021-2023'],
      ['卫星总装基地', 6000, '2022-2024'],
      ['北斗应用平台', 1500, '2021'],
    ]);
  });

  it('throws a reason for a corrupt xlsx', async () => {
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    await expect(readProjectTable(broken, { filename: 'a.xlsx', format: 'xlsx' })).rejects.toThrow(/xlsx表格无法读取/);
  });

  it('returns found:false with a reason for a workbook without a project table', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('产值');
    ws.addRow(['企业', '2019年产值']);
    ws.addRow(['甲公司', 12]);
    const r = await readProjectTable(await toBuffer(wb), { filename: 'a.xlsx', format: 'xlsx' });
    expect(r.found).toBe(false);
    expect(r.projects).toEqual([]);
    expect(r.notes[0]).toMatch(/未找到/);
  });
});

describe('readProjectTable on csv and xls', () => {
  it('decodes a GBK CSV', async () => {
    const csv =
      '2020年通化市医药产业集群重点项目汇总表\r\n序号,项目名称,建设单位,建设地点,总投资(万元),建设起止年限\r\n1,通化医药产业园,通化东宝药业,通化市,"12,000",2020-2022\r\n,合计,,,12000,\r\n';
    const r = await readProjectTable(iconv.encode(csv, 'gbk'), { filename: '附件2.csv', format: 'csv' });
    expect(r.found).toBe(true);
    expect(r.title).toBe('2020年通化市医药产业集群重点项目汇总表');
    expect(r.projects).toEqual([
      {
        name: '通化医药产业园',
        owner: '通化东宝药业',
        location: '通化市',
        totalInvestment: 12000,
        period: '2020-2022',
        row: 3,
        sheet: '附件2',
        range: '附件2!A3:F3',
      },
    ]);
    expect(r.notes.join('\n')).toMatch(/GBK/);
  });

  it('reads a UTF-8 CSV with BOM', async () => {
    const csv = '\ufeff项目名称,承担单位,总投资\n光电子芯片,长光华芯,5000\n';
    const r = await readProjectTable(Buffer.from(csv, 'utf8'), { filename: 'x.csv', format: 'csv' });
    expect(r.projects.map((p) => p.name)).toEqual(['光电子芯片']);
  });

  it('reads a legacy .xls (BIFF8) with merged cells through SheetJS', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['2020年延边州医药产业集群重点项目汇总表'],
      ['序号', '项目名称', '业主单位', '地址', '总投资', '起止年限'],
      ['', '', '', '', '（万元）', ''],
      [1, '人参制品项目', '敖东集团', '敦化市', 30000, '2020-2021'],
      [2, '疫苗扩产项目', '敖东集团', '敦化市', 4000, '2021-2022'],
    ]);
    ws['!merges'] = [XLSX.utils.decode_range('A1:F1'), XLSX.utils.decode_range('C4:C5')];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '汇总表');
    const buf = XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
    const r = await readProjectTable(buf, { filename: 'a.xls', format: 'xls' });
    expect(r.found).toBe(true);
    expect(r.unit).toBe('万元');
    expect(r.projects.map((p) => [p.name, p.owner, p.totalInvestment, p.row])).toEqual([
      ['人参制品项目', '敖东集团', 30000, 4],
      ['疫苗扩产项目', '敖东集团', 4000, 5],
    ]);
  });

  it('prefers a visible 总投资 over a hidden one in a legacy .xls, as in an .xlsx', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['序号', '项目名称', '建设单位', '总投资（万元）', '总投资（万元）'],
      [1, '辽源袜业新材料纺纱项目', '东北袜业纺织工业园', 9000, 15000],
    ]);
    ws['!cols'] = [{}, {}, {}, { hidden: true }, {}];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Sheet1');
    const buf = XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
    const r = await readProjectTable(buf, { filename: 'a.xls', format: 'xls' });
    expect(r.projects.map((p) => p.totalInvestment)).toEqual([15000]);
  });
});
