// Guards issue 11's exports and issue 12 item 7: the JSON, CSV and xlsx carry
// the effective values; the JSON marks each corrected fact with the reading,
// author and reason (additive to the contract); the xlsx colours corrected
// cells, notes the reading on them and lists every correction on 校正记录;
// CSV cells a spreadsheet would run as formulas are neutralised.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import { projectRefKey } from '@intake/validation-rules';
import { getApplication } from '../applications.js';
import { correctApplication } from '../corrections/correct-application.js';
import { completeMessage, project, projects, registerAndValidate, registerInput } from '../testing/factories.js';
import { openTestDb, type TestDb } from '../testing/test-db.js';
import { csvField, exportRegisterCsv } from './register-csv.js';
import { exportRegisterJson } from './register-json.js';
import { ZRegisterExport } from './register-schema.js';
import { exportRegisterXlsx, FILL_CORRECTED } from './register-xlsx.js';

const profile = loadCampaignProfile();
const directory = buildApplicantDirectory(profile);
const ctx = { actor: 'chen', profile, directory };
const MISREAD = project('长春项目12', { row: 13, totalInvestment: 2800 });
const SECTION = project('一类项目小计行', { row: 14, totalInvestment: 9000 });

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb('pglite');
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});
beforeEach(async () => {
  await t.reset();
});

async function correctedRegister() {
  const r = await registerAndValidate(
    t.db,
    registerInput(
      completeMessage({ projects: [...projects('长春', 11), MISREAD, SECTION], subject: '=HYPERLINK("http://x")' }),
      profile,
    ),
  );
  const sha256 = (await getApplication(t.db, r.applicationId))!.messages[0]!.sha256;
  const row = (p: typeof MISREAD, over: Record<string, unknown>, reason: string) =>
    correctApplication(
      t.db,
      r.applicationId,
      {
        kind: 'project',
        messageSha256: sha256,
        refKey: projectRefKey(p),
        name: p.name,
        owner: p.owner ?? '',
        location: p.location ?? '',
        totalInvestment: String(p.totalInvestment),
        period: p.period ?? '',
        notProject: false,
        reason,
        ...over,
      },
      ctx,
    );
  await row(MISREAD, { totalInvestment: '28000' }, '原件为28000万元');
  await row(SECTION, { notProject: true }, '小计行');
  await correctApplication(t.db, r.applicationId, { kind: 'largeEnterprises', value: '6', reason: '统计局核定' }, ctx);
  return r;
}

describe('exports with corrections', () => {
  it('GIVEN corrections THEN the JSON holds the effective values, each corrected fact marked with reading, author and reason', async () => {
    const r = await correctedRegister();
    const exp = await exportRegisterJson(t.db, profile, directory);
    expect(ZRegisterExport.safeParse(exp).success).toBe(true);
    const a = exp.applications.find((x) => x.receiptNo === r.applicationReceiptNo)!;
    expect(a.metrics).toMatchObject({ projectCount: 12, largeProjects: 12, largeEnterprises: 6 });
    expect(a.correctedFacts['metrics.largeEnterprises']).toEqual({
      corrected: true,
      field: 'largeEnterprises',
      original: 7,
      value: 6,
      by: 'chen',
      at: expect.any(String),
      reason: '统计局核定',
    });
    const fixed = a.projects.find((p) => p.name === '长春项目12')!;
    expect(fixed).toMatchObject({
      totalInvestment: 28000,
      corrected: true,
      original: { name: '长春项目12', totalInvestment: 2800 },
      corrections: [{ field: 'totalInvestment', original: 2800, value: 28000, by: 'chen', reason: '原件为28000万元' }],
    });
    expect(a.projects.find((p) => p.name === '长春项目1')).not.toHaveProperty('corrected');
    expect(a.excludedProjects.map((p) => p.name)).toEqual(['一类项目小计行']);
    expect(a.correctionLog.map((c) => [c.field, c.status, c.by])).toEqual([
      ['totalInvestment', 'applied', 'chen'],
      ['notProject', 'applied', 'chen'],
      ['largeEnterprises', 'applied', 'chen'],
    ]);
    expect(a.projects).toHaveLength(12);
  });

  it('GIVEN corrections THEN the xlsx colours and notes corrected cells and lists them on 校正记录', async () => {
    await correctedRegister();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportRegisterXlsx(t.db, profile, directory)) as unknown as ArrayBuffer);
    const main = wb.getWorksheet('申报登记表')!;
    const enterprises = main.getCell('P2');
    expect(enterprises.value).toBe(6);
    expect((enterprises.fill as ExcelJS.FillPattern).fgColor?.argb).toBe(FILL_CORRECTED);
    expect(enterprises.note as string).toContain('原读取值：7');
    expect(enterprises.note as string).toContain('理由：统计局核定');
    const proj = wb.getWorksheet('重点项目')!;
    const rows = proj.getSheetValues().slice(2) as unknown[][];
    const idx = rows.findIndex((v) => Array.isArray(v) && v[4] === '长春项目12');
    const cell = proj.getRow(idx + 2).getCell(7);
    expect(cell.value).toBe(28000);
    expect(cell.note as string).toContain('原读取值：2800');
    expect(rows.some((v) => Array.isArray(v) && v[4] === '一类项目小计行')).toBe(false);
    const log = wb.getWorksheet('校正记录')!;
    expect(log.getRow(1).values).toEqual([
      undefined,
      '受理编号',
      '申报单位',
      '校正内容',
      '原读取值',
      '校正前',
      '校正为',
      '校正理由',
      '校正人',
      '校正时间',
      '状态',
      '撤销人',
      '撤销时间',
      '撤销理由',
    ]);
    expect(log.rowCount).toBe(4);
    expect(log.getRow(2).getCell(3).value).toBe('项目：长春项目12（Sheet1 第13行） · 总投资（万元）');
    expect([log.getCell('D2').value, log.getCell('F2').value, log.getCell('G2').value]).toEqual([
      '2800',
      '28000',
      '原件为28000万元',
    ]);
    expect(log.getCell('F3').value).toBe('不是项目');
    expect(log.getCell('J2').value).toBe('生效');
  });

  it('GIVEN cells a spreadsheet would run THEN the CSV neutralises them and keeps numbers as numbers', async () => {
    expect(['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx'].map((s) => csvField(s))).toEqual([
      "'=1+1",
      "'+cmd",
      "'-2+3",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
    ]);
    expect(csvField(-5)).toBe('-5');
    expect(csvField('长春=市')).toBe('长春=市');
    expect(csvField('=A1,"x"')).toBe(`"'=A1,""x"""`);
    await correctedRegister();
    const csv = await exportRegisterCsv(t.db, profile, directory);
    const line = csv.split('\r\n')[1]!;
    expect(line).toContain(',12,12,80,6,');
  });
});
