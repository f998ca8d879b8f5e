// Guards: the 附件2 table lost when it arrives as a real xlsx, a mislabelled .xls, or a broken file.
import { loadCampaignProfile } from '@intake/domain';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { createParser } from './parser.js';
import { BASE_HEADERS, filePart, rawFilename, rawMessage, textPart } from './test-helpers/mime-builder.js';

const parser = createParser({ size: 1 });
afterAll(() => parser.close());
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function projectWorkbook(rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('项目表');
  ws.addRow(['附件2']);
  ws.addRow(['白城市新能源产业集群重点项目汇总表']);
  ws.addRow(['序号', '项目名称', '建设单位', '建设地点', '总投资（亿元）', '建设期限']);
  for (let i = 1; i <= rows; i++)
    ws.addRow([i, `风电装备项目${i}`, `白城某能源有限公司${i}`, '白城市洮北区', 0.5 * i, '2021-2023年']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('spreadsheets', () => {
  it('reads an xlsx project table (亿元 converted to 万元) and an xlsx named .xls', async () => {
    const xlsx = await projectWorkbook(12);
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: 白城市新能源产业集群申报'],
      [
        textPart('x'),
        filePart(xlsx, XLSX_TYPE, rawFilename('附件2重点项目汇总表.xlsx', 'gbk')),
        filePart(xlsx, 'application/vnd.ms-excel', 'filename="copy.xls"'),
      ],
    );
    const m = await parser.parse(raw, { profile: loadCampaignProfile() });
    expect(m.attachments.map((a) => [a.kind, a.copy, a.error ?? null])).toEqual([
      ['spreadsheet', 'electronic', null],
      ['spreadsheet', 'electronic', null],
    ]);
    expect(m.attachments[1]?.notes?.join()).toMatch(/扩展名为 \.xls/);
    // the copy duplicates the original: counted once
    expect(m.metrics).toMatchObject({ projectCount: 12, largeProjects: 12, totalInvestment: 390000 });
    expect(m.applicant?.name).toBe('白城市');
  });

  it('records a broken xlsx as unreadable', async () => {
    const broken = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(200, 7)]);
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: x'],
      [textPart('x'), filePart(broken, XLSX_TYPE, 'filename="附件2.xlsx"')],
    );
    const m = await parser.parse(raw, { profile: loadCampaignProfile() });
    expect(m.attachments[0]).toMatchObject({ kind: 'spreadsheet', error: expect.any(String) });
    expect(m.metrics.projectCount).toBeNull();
    expect(m.flags.map((f) => f.code)).toEqual(['UNREADABLE_ATTACHMENT']);
  });
});
