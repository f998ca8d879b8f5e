// Guards issue 11 in the register: corrections are rows of their own (the
// reading is never overwritten), flags follow at once, a reprocess keeps every
// correction and says where the new reading agrees, a corrected project raises
// DUPLICATE_PROJECT on the other application too, refused input gets a Chinese
// message, and merged applications keep both receipt numbers reachable.
import { describe, expect, it } from 'vitest';
import { buildApplicantDirectory, isAppError, loadCampaignProfile, type TProject } from '@intake/domain';
import { projectRefKey } from '@intake/validation-rules';
import type { Db } from '../db.js';
import { getApplication } from '../applications.js';
import { listAuditLog } from '../audit-log.js';
import { mergeApplications, splitMessages } from '../application-merge.js';
import { registerMessage } from '../register-message.js';
import { revalidateApplications } from '../revalidate-applications.js';
import {
  completeMessage,
  electronicMaterials,
  project,
  projectTable,
  registerAndValidate,
  registerInput,
  scanFormal,
} from '../testing/factories.js';
import { TEST_ENGINES, useTestDb } from '../testing/register-suite.js';
import { correctApplication } from './correct-application.js';
import { removeCorrection } from './remove-correction.js';

const profile = loadCampaignProfile();
const directory = buildApplicantDirectory(profile);
const ctx = { actor: 'chen', profile, directory };

// nine real projects of 5000万, one typed 2800 that is really 28000, and a section row carrying its subtotal
const REAL = Array.from({ length: 9 }, (_, i) => project(`长春项目${i + 1}`, { row: i + 6, totalInvestment: 5000 }));
const MISREAD = project('长春项目10', { row: 15, totalInvestment: 2800 });
const SECTION = project('生物医药产业化项目（5项）', { owner: '长春新区', row: 5, totalInvestment: 52000 });
const TABLE: TProject[] = [SECTION, ...REAL, MISREAD];
const tableMail = (rows: TProject[] = TABLE) => completeMessage({ projects: rows, messageId: '<t@cc>' });

const codes = async (db: Db, id: number) => (await getApplication(db, id))!.flags.map((f) => f.code).sort();

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isAppError(err, 'INVALID_INPUT')) return err.message;
    throw err;
  }
  throw new Error('expected the request to be refused');
}

describe.each(TEST_ENGINES)('corrections on %s', (engine) => {
  const t = useTestDb(engine);

  async function seedTable() {
    const r = await registerAndValidate(t.db, registerInput(tableMail(), profile));
    const app = (await getApplication(t.db, r.applicationId))!;
    return { id: r.applicationId, sha256: app.messages[0]!.sha256 };
  }

  const fixRow = (a: { id: number; sha256: string }, p: TProject, over: Record<string, unknown>, reason = '核对原件') =>
    correctApplication(
      t.db,
      a.id,
      {
        kind: 'project',
        messageSha256: a.sha256,
        refKey: projectRefKey(p),
        name: p.name,
        owner: p.owner ?? '',
        location: p.location ?? '',
        totalInvestment: String(p.totalInvestment ?? ''),
        period: p.period ?? '',
        notProject: false,
        reason,
        ...over,
      },
      ctx,
    );

  it('GIVEN a section row and a misread amount WHEN staff correct them THEN count, total and FEW_LARGE_PROJECTS follow, the reading stays', async () => {
    const a = await seedTable();
    let app = (await getApplication(t.db, a.id))!;
    expect(app.evaluation?.metrics).toMatchObject({ projectCount: 11, largeProjects: 10, totalInvestment: 99800 });
    expect(app.flags.map((f) => f.code)).toEqual([]);

    await fixRow(a, SECTION, { notProject: true }, '这是分类标题行，金额为小计');
    app = (await getApplication(t.db, a.id))!;
    expect(app.evaluation?.metrics).toMatchObject({ projectCount: 10, largeProjects: 9, totalInvestment: 47800 });
    expect(app.flags.map((f) => f.code)).toEqual(['FEW_LARGE_PROJECTS']);
    expect(app.excludedProjects.map((p) => p.name)).toEqual(['生物医药产业化项目（5项）']);

    await fixRow(a, MISREAD, { totalInvestment: '28,000' }, '原件为28000万元，表格漏一位');
    app = (await getApplication(t.db, a.id))!;
    expect(app.evaluation?.metrics).toMatchObject({ projectCount: 10, largeProjects: 10, totalInvestment: 73000 });
    expect(app.flags.map((f) => f.code)).toEqual([]);
    const fixed = app.projects.find((p) => p.name === '长春项目10')!;
    expect(fixed.totalInvestment).toBe(28000);
    expect(fixed.reading?.totalInvestment).toBe(2800);
    expect(fixed.corrections).toEqual([
      expect.objectContaining({ field: 'totalInvestment', oldValue: 2800, newValue: 28000, actor: 'chen' }),
    ]);
    expect(app.evaluation?.reading?.metrics).toMatchObject({ projectCount: 11, largeProjects: 10 });
    // what was read is untouched
    const stored = await t.db.query<{ total_investment: number }>(
      `select total_investment from projects where name = '长春项目10'`,
    );
    expect(stored.map((r) => r.total_investment)).toEqual([2800]);
    const audit = await listAuditLog(t.db, a.id);
    expect(audit.filter((e) => e.action === 'correction').map((e) => e.details.reason)).toEqual([
      '这是分类标题行，金额为小计',
      '原件为28000万元，表格漏一位',
    ]);
  });

  it('GIVEN corrections WHEN the mail is reprocessed THEN both stay, and one the new reading agrees with says so', async () => {
    const a = await seedTable();
    await fixRow(a, SECTION, { notProject: true });
    await fixRow(a, MISREAD, { totalInvestment: '28000' });
    // same code, same reading: the rows are deleted and written again, the corrections find them
    await registerMessage(t.db, registerInput(tableMail(), profile, { sha256: a.sha256, reprocess: true }));
    await revalidateApplications(t.db, [a.id], profile);
    let app = (await getApplication(t.db, a.id))!;
    expect(app.evaluation?.metrics).toMatchObject({ projectCount: 10, largeProjects: 10, totalInvestment: 73000 });
    expect(app.corrections.map((c) => c.status)).toEqual(['applied', 'applied']);
    // a better reader now reads 28000 (and the row moved down one line): the correction agrees and stays
    const reread = tableMail(TABLE.map((p) => (p === MISREAD ? { ...p, row: 16, totalInvestment: 28000 } : p)));
    await registerMessage(
      t.db,
      registerInput(reread, profile, { sha256: a.sha256, reprocess: true, parserVersion: 'p2' }),
    );
    await revalidateApplications(t.db, [a.id], profile);
    app = (await getApplication(t.db, a.id))!;
    expect(app.corrections.map((c) => [c.field, c.status])).toEqual([
      ['notProject', 'applied'],
      ['totalInvestment', 'agrees'],
    ]);
    expect(app.evaluation?.metrics).toMatchObject({ projectCount: 10, largeProjects: 10, totalInvestment: 73000 });
  });

  it('GIVEN a formal document read as unknown copy WHEN staff say it is a scan THEN MISSING_SCAN clears; removed THEN it returns', async () => {
    const formal = { ...scanFormal('请示.pdf'), copy: 'unknown' as const };
    const r = await registerAndValidate(
      t.db,
      registerInput(completeMessage({ attachments: [formal, electronicMaterials(), projectTable()] }), profile),
    );
    expect(await codes(t.db, r.applicationId)).toEqual(['MISSING_SCAN']);
    const msgSha = (await getApplication(t.db, r.applicationId))!.messages[0]!.sha256;
    const res = await correctApplication(
      t.db,
      r.applicationId,
      {
        kind: 'attachment',
        messageSha256: msgSha,
        sha256: formal.sha256,
        path: formal.path,
        copy: 'scan',
        roles: ['formal-document'],
        reason: '盖章扫描件，系扫描仪导出的矢量PDF',
      },
      ctx,
    );
    expect(await codes(t.db, r.applicationId)).toEqual([]);
    const att = (await getApplication(t.db, r.applicationId))!.messages[0]!.attachments[0]!;
    expect(att).toMatchObject({ copy: 'scan', reading: { copy: 'unknown', roles: ['formal-document'] } });
    await removeCorrection(t.db, r.applicationId, res.correctionIds[0]!, { reason: '核实后确认不是扫描件' }, ctx);
    expect(await codes(t.db, r.applicationId)).toEqual(['MISSING_SCAN']);
  });

  it('GIVEN a project corrected to equal another application’s THEN both get DUPLICATE_PROJECT; removed THEN both clear', async () => {
    const a = await seedTable();
    const other = project('吉林碳纤维产业园', { owner: '吉林化纤股份有限公司', row: 2 });
    const b = await registerAndValidate(
      t.db,
      registerInput(
        completeMessage({
          applicant: { code: '220200', name: '吉林市' },
          cluster: '吉林市碳纤维产业集群',
          field: '新材料',
          from: 'j <j@jl.gov.cn>',
          projects: [other, ...Array.from({ length: 10 }, (_, i) => project(`吉林项目${i}`, { row: i + 3 }))],
        }),
        profile,
      ),
    );
    expect(await codes(t.db, b.applicationId)).toEqual([]);
    const res = await fixRow(
      a,
      REAL[0]!,
      { name: '吉林碳纤维产业园项目', owner: '吉林化纤' },
      '同一项目，按原件更正名称',
    );
    expect(await codes(t.db, a.id)).toEqual(['DUPLICATE_PROJECT']);
    expect(await codes(t.db, b.applicationId)).toEqual(['DUPLICATE_PROJECT']);
    const bFlag = (await getApplication(t.db, b.applicationId))!.flags[0]!;
    expect(bFlag.detail).toContain('2020-0001');
    for (const id of res.correctionIds) await removeCorrection(t.db, a.id, id, { reason: '误改' }, ctx);
    expect(await codes(t.db, a.id)).toEqual([]);
    expect(await codes(t.db, b.applicationId)).toEqual([]);
  });

  it('GIVEN bad input THEN a clear Chinese message and nothing stored', async () => {
    const a = await seedTable();
    expect(await refusal(fixRow(a, MISREAD, { totalInvestment: '约两千八百' }))).toBe(
      '总投资（万元）须为数字，例如 3500 或 3500.5，不知道时留空',
    );
    expect(await refusal(fixRow(a, MISREAD, { totalInvestment: '28000' }, '理'.repeat(201)))).toBe(
      '校正理由不能超过200个字',
    );
    expect(await refusal(fixRow(a, MISREAD, { totalInvestment: '28000' }, '  '))).toBe('请填写校正理由（必填）');
    expect(await refusal(fixRow(a, MISREAD, {}))).toBe('与当前值相同，无需校正');
    expect(await refusal(fixRow(a, { ...MISREAD, row: 99 }, { totalInvestment: '1' }))).toBe(
      '找不到该项目行（可能已重新处理），请刷新页面后重试',
    );
    expect(
      await refusal(correctApplication(t.db, a.id, { kind: 'largeEnterprises', value: '7.5', reason: 'x' }, ctx)),
    ).toBe('产值亿元以上企业数须为整数，例如 7，不知道时留空');
    const n = await t.db.query<{ n: number }>('select count(*)::int as n from corrections');
    expect(n[0]?.n).toBe(0);
  });

  it('GIVEN figures, field and an added row THEN thresholds and counts use them; an unknown figure raises nothing', async () => {
    const a = await seedTable();
    await correctApplication(t.db, a.id, { kind: 'totalOutput2019', value: '41.2', reason: '统计公报' }, ctx);
    await correctApplication(t.db, a.id, { kind: 'field', value: '新能源汽车', reason: '按申报书' }, ctx);
    await correctApplication(
      t.db,
      a.id,
      {
        kind: 'project-added',
        name: '补录项目',
        owner: '某公司',
        location: '',
        totalInvestment: '3000',
        period: '',
        reason: '扫描件第3页有此项目',
      },
      ctx,
    );
    const app = (await getApplication(t.db, a.id))!;
    expect(app.field).toBe('新能源汽车');
    expect(app.flags.map((f) => f.code).sort()).toEqual(['LOW_TOTAL_OUTPUT', 'NOT_FOCUS_AREA']);
    expect(app.evaluation?.metrics).toMatchObject({ totalOutput2019: 41.2, projectCount: 12, largeProjects: 11 });
    expect(app.projects.at(-1)).toMatchObject({ name: '补录项目', sheet: '人工补录', reading: null });
    expect(app.factCorrections.totalOutput2019).toMatchObject({ oldValue: 80, newValue: 41.2 });
    await correctApplication(t.db, a.id, { kind: 'totalOutput2019', value: '', reason: '无法确认' }, ctx);
    const again = (await getApplication(t.db, a.id))!;
    expect(again.flags.map((f) => f.code)).toEqual(['NOT_FOCUS_AREA']);
    // the second correction supersedes the first, and still names the reading as its old value
    expect(
      again.corrections.filter((c) => c.field === 'totalOutput2019').map((c) => [c.status, c.oldValue, c.newValue]),
    ).toEqual([
      ['removed', 80, 41.2],
      ['applied', 80, null],
    ]);
  });

  it('GIVEN an unattributed mail WHEN staff correct its applicant THEN it becomes that unit’s application and a reprocess keeps it there', async () => {
    const stray = completeMessage({ applicant: null, cluster: '生物医药产业集群', from: 'x <x@qq.com>' });
    const r = await registerAndValidate(t.db, registerInput(stray, profile));
    expect(await codes(t.db, r.applicationId)).toEqual(['UNKNOWN_APPLICANT']);
    await correctApplication(
      t.db,
      r.applicationId,
      { kind: 'applicant', applicantCode: '220100', reason: '公文落款为长春市发改委' },
      ctx,
    );
    const app = (await getApplication(t.db, r.applicationId))!;
    expect(app.applicant).toEqual({ code: '220100', name: '长春市' });
    // naming the applicant does not vouch for x@qq.com: that is the address book's decision (issue 12.1)
    expect(app.flags.map((f) => f.code)).toEqual(['UNCONFIRMED_SENDER']);
    // the next mail of 长春市 for that cluster joins it
    const next = await registerAndValidate(
      t.db,
      registerInput(
        completeMessage({ subject: '补充', messageId: '<n@cc>', receivedAt: '2020-05-11T02:00:00.000Z' }),
        profile,
      ),
    );
    expect(next.applicationId).toBe(r.applicationId);
    // a reprocess that still cannot read the applicant leaves the corrected mail where staff put it
    const sha256 = app.messages[0]!.sha256;
    const re = await registerMessage(t.db, registerInput(stray, profile, { sha256, reprocess: true }));
    expect(re.applicationId).toBe(r.applicationId);
  });

  it('GIVEN two applications of one applicant WHEN merged THEN both receipt numbers lead to one; split THEN a new one', async () => {
    const first = await registerAndValidate(t.db, registerInput(completeMessage({ messageId: '<1@cc>' }), profile));
    const second = await registerAndValidate(
      t.db,
      registerInput(
        // a name that neither contains nor is contained in the first one's (those join it: issue 9.4)
        completeMessage({ cluster: '长春市汽车零部件产业集群', messageId: '<2@cc>', subject: '补充材料' }),
        profile,
      ),
    );
    expect(second.applicationId).not.toBe(first.applicationId);
    await correctApplication(
      t.db,
      second.applicationId,
      { kind: 'largeEnterprises', value: '9', reason: '按统计局数据' },
      ctx,
    );
    const refused = await refusal(
      mergeApplications(t.db, first.applicationId, { intoReceiptNo: '2020-0009', reason: 'x' }, ctx),
    );
    expect(refused).toBe('受理编号 2020-0009 不存在');
    const merged = await mergeApplications(
      t.db,
      second.applicationId,
      { intoReceiptNo: first.applicationReceiptNo, reason: '同一集群分两次报送' },
      ctx,
    );
    expect(merged.applicationId).toBe(first.applicationId);
    const byOld = await getApplication(t.db, second.applicationReceiptNo);
    const byNew = await getApplication(t.db, first.applicationReceiptNo);
    expect(byOld?.id).toBe(first.applicationId);
    expect(byNew?.retiredReceiptNos).toEqual([second.applicationReceiptNo]);
    expect(byNew?.messages.map((m) => m.receiptNo)).toEqual([first.messageReceiptNo, second.messageReceiptNo]);
    expect(byNew?.evaluation?.metrics.largeEnterprises).toBe(9);
    // and apart again: the second mail into a new application of its own
    const split = await splitMessages(
      t.db,
      first.applicationId,
      {
        messageRowIds: [byNew!.messages[1]!.id],
        applicantCode: '220100',
        cluster: '长春市光电信息产业集群',
        reason: '第二封是另一个集群',
      },
      ctx,
    );
    const created = (await getApplication(t.db, split.applicationId))!;
    expect(created.receiptNo).toBe('2020-0003');
    expect(created.messages.map((m) => m.receiptNo)).toEqual([second.messageReceiptNo]);
    expect((await getApplication(t.db, first.applicationId))!.messages).toHaveLength(1);
  });
});
