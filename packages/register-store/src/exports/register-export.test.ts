import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildApplicantDirectory, loadCampaignProfile, type TParsedMessage } from '@intake/domain';
import type { Db } from '../db.js';
import { setReviewStatus } from '../review.js';
import { validateApplication } from '../validate-application.js';
import {
  completeMessage,
  electronicMaterials,
  project,
  projectTable,
  projects,
  registerAndValidate,
  registerInput,
} from '../testing/factories.js';
import { TEST_ENGINES, useTestDb } from '../testing/register-suite.js';
import { exportRegisterCsv } from './register-csv.js';
import { exportRegisterJson } from './register-json.js';
import { ZRegisterExport } from './register-schema.js';
import { exportRegisterXlsx } from './register-xlsx.js';

const profile = loadCampaignProfile();
const directory = buildApplicantDirectory(profile);

const registered = (db: Db, parsed: TParsedMessage) => registerAndValidate(db, registerInput(parsed, profile));

/** 2020-0001 complete with a duplicate project, 2020-0002 electronic only with the same project, a sent and a failed reply. */
async function seed(db: Db) {
  const shared = project('光电产业园', { owner: '长春光电有限公司' });
  const a = await registered(db, completeMessage({ projects: [...projects('长春', 11), shared], messageId: '<a@cc>' }));
  const b = await registered(
    db,
    completeMessage({
      applicant: { code: '220200', name: '吉林市' },
      cluster: '吉林市新材料产业集群',
      field: '新材料',
      from: '"吉林, 市" <j@jl.gov.cn>',
      attachments: [electronicMaterials(), projectTable()],
      projects: [shared],
      receivedAt: '2020-05-12T08:30:00.000Z',
    }),
  );
  await validateApplication(db, a.applicationId, profile);
  await setReviewStatus(db, a.applicationId, 'preliminary-passed', '齐全', 'staff');
  const shas = await db.query<{ sha256: string; application_id: number }>(
    'select sha256, application_id from messages order by id',
  );
  await db.query(
    `insert into acks (source_sha256, kind, application_id, status, sent_at) values ($1, 'ack', $2, 'sent', '2020-05-10T02:01:00Z')`,
    [shas[0]?.sha256, a.applicationId],
  );
  await db.query(
    `insert into acks (source_sha256, kind, application_id, status, last_error) values ($1, 'ack', $2, 'failed', '550 mailbox unavailable')`,
    [shas[1]?.sha256, b.applicationId],
  );
  return { a, b };
}

describe.each(TEST_ENGINES)('register exports on %s', (engine) => {
  const t = useTestDb(engine);

  it('GIVEN two applications THEN the JSON follows CONTRACT’s Register JSON, with replies and missing applicants', async () => {
    const { a, b } = await seed(t.db);
    const exp = await exportRegisterJson(t.db, profile, directory, { generatedAt: new Date('2020-05-20T00:00:00Z') });
    expect(ZRegisterExport.parse(exp)).toBeTruthy();
    expect(exp).toMatchObject({ campaign: 'jilin-2020-sei-clusters', generatedAt: '2020-05-20T00:00:00.000Z' });
    const [first, second] = exp.applications;
    expect(first).toMatchObject({
      receiptNo: a.applicationReceiptNo,
      applicant: { code: '220100', name: '长春市' },
      cluster: '长春市生物医药产业集群',
      field: '生物医药',
      firstReceivedAt: '2020-05-10T02:00:00.000Z',
      copies: { scan: true, electronic: true },
      documents: { formalDocument: true, materials: true, projectTable: true },
      review: { status: 'preliminary-passed', note: '齐全' },
    });
    expect(first?.metrics).toMatchObject({ projectCount: 12, largeProjects: 12, totalOutput2019: 80 });
    expect(first?.messages[0]).toMatchObject({
      messageId: '<a@cc>',
      receiptNo: `${a.applicationReceiptNo}-1`,
      ack: { status: 'sent', at: '2020-05-10T02:01:00.000Z', reason: null },
    });
    expect(first?.projects.filter((p) => p.duplicate).map((p) => p.name)).toEqual(['光电产业园']);
    expect(first?.flags.map((f) => f.code)).toEqual(['DUPLICATE_PROJECT']);
    expect(second?.receiptNo).toBe(b.applicationReceiptNo);
    expect(second?.flags.map((f) => f.code)).toEqual(
      expect.arrayContaining(['MISSING_SCAN', 'MISSING_FORMAL_DOCUMENT', 'DUPLICATE_PROJECT']),
    );
    expect(second?.messages[0]?.ack).toMatchObject({ status: 'stored', reason: 'failed: 550 mailbox unavailable' });
    expect(exp.missingApplicants.map((m) => m.code)).not.toContain('220100');
    expect(exp.missingApplicants).toContainEqual(expect.objectContaining({ code: '222400', name: '延边朝鲜族自治州' }));
  });

  it('GIVEN the register THEN the CSV has a BOM, the main sheet’s columns and one quoted-safe row per application', async () => {
    await seed(t.db);
    const csv = await exportRegisterCsv(t.db, profile, directory);
    expect(csv.startsWith('\uFEFF受理编号,申报单位,行政区划代码,集群名称')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('3000万元以上项目数,2019年总产值（亿元）');
    expect(lines[1]).toMatch(
      /^2020-0001,长春市,220100,长春市生物医药产业集群,生物医药,2020-05-10 10:00:00,2020-05-10 10:00:00,✓,✓,✓,✓,✓,12,12,80,7,项目与其他申报重复,初审通过,齐全$/,
    );
    expect(lines[2]).toContain(',✗,✓,✗,✓,✓,1,1,');
    expect(lines[2]).toContain('缺少扫描版；缺少正式申报文件');
  });

  it('GIVEN the register THEN the xlsx has the sheets staff use, Chinese headers, highlights, frozen header and filters', async () => {
    const { a } = await seed(t.db);
    const buf = await exportRegisterXlsx(t.db, profile, directory);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['申报登记表', '来件明细', '重点项目', '未申报单位', '校正记录']);
    const main = wb.getWorksheet('申报登记表')!;
    expect(main.getRow(1).values).toEqual([
      undefined,
      '受理编号',
      '申报单位',
      '行政区划代码',
      '集群名称',
      '产业领域',
      '首次收到时间',
      '最后收到时间',
      '扫描版',
      '电子版',
      '正式申报文件',
      '申报材料（附件1）',
      '重点项目汇总表（附件2）',
      '项目数',
      '3000万元以上项目数',
      '2019年总产值（亿元）',
      '亿元以上企业数',
      '问题',
      '初审状态',
      '备注',
    ]);
    expect(main.getCell('A2').value).toBe(a.applicationReceiptNo);
    expect(main.getCell('F2').value).toBe('2020-05-10 10:00:00');
    expect(main.getCell('M2').value).toBe(12);
    expect(main.getCell('R2').value).toBe('初审通过');
    expect(main.getCell('H3').value).toBe('✗');
    expect((main.getCell('H3').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect((main.getCell('A3').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFF2CC');
    expect(main.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(main.autoFilter).toBeTruthy();
    expect(main.getColumn(4).width).toBe(30);
    const msgs = wb.getWorksheet('来件明细')!;
    expect(msgs.rowCount).toBe(3);
    expect(msgs.getCell('G2').text).toContain('请示扫描.pdf（正式申报文件/扫描版）');
    expect(msgs.getCell('I2').value).toBe('已发送');
    const projectsSheet = wb.getWorksheet('重点项目')!;
    expect(projectsSheet.rowCount).toBe(1 + 12 + 1);
    expect(projectsSheet.getRow(2).getCell(9).value).toBe('Sheet1');
    const dupRows = projectsSheet
      .getSheetValues()
      .slice(2)
      .filter((r) => Array.isArray(r) && r[12] === '重复');
    expect(dupRows).toHaveLength(2);
    const missing = wb.getWorksheet('未申报单位')!;
    expect(missing.rowCount).toBe(1 + directory.units.length - 2);
    expect(missing.getCell('A2').value).toBe('长春市');
    expect(missing.getCell('B2').value).toBe('农安县');
  });
});
