// Guards cluster/field naming and the role of each file (request, 附件1, 附件2).
import { loadCampaignProfile } from '@intake/domain';
import { describe, expect, it } from 'vitest';
import { detectCluster, detectField } from './cluster.js';
import { classifyRoles, copyHintFromName } from './roles.js';

const fields = loadCampaignProfile().fields;

describe('detectCluster', () => {
  it('finds the name in titles, subjects and file names, without lead-ins', () => {
    expect(
      detectCluster([{ text: '2020年长春市生物医药产业集群重点项目汇总表', source: 'title:a.xlsx' }]).cluster,
    ).toBe('长春市生物医药产业集群');
    expect(detectCluster([{ text: '关于申报长春市生物医药产业集群的请示', source: 'subject' }]).cluster).toBe(
      '长春市生物医药产业集群',
    );
    expect(
      detectCluster([{ text: '《吉林市碳纤维及复合材料产业集群》申报材料', source: 'filename:x.docx' }]).cluster,
    ).toBe('吉林市碳纤维及复合材料产业集群');
    expect(
      detectCluster([{ text: '附件1-延边州医药健康产业集群申报材料.docx', source: 'filename:附件1.docx' }]).cluster,
    ).toBe('延边州医药健康产业集群');
  });

  it('ignores the notice template and generic mentions; keeps a name without prefix as found', () => {
    const r = detectCluster([
      { text: '吉林省发展改革委关于启动2020年省级战略性新兴产业集群发展工程的通知', source: 'text:a' },
      { text: '2020年XX市（州、县）XX产业集群重点项目汇总表', source: 'title:b' },
    ]);
    expect(r.cluster).toBeNull();
    const s = detectCluster([{ text: '生物医药产业集群申报', source: 'subject' }], '长春市');
    expect(s.cluster).toBe('生物医药产业集群');
    expect(s.evidence).toMatchObject({ field: 'cluster', source: 'subject' });
  });

  it('prefers the subject over text and merges spellings', () => {
    const r = detectCluster(
      [
        { text: '长春市生物医药产业集群申报', source: 'subject' },
        { text: '我市将打造光电子产业集群。', source: 'text:附件1.docx' },
        { text: '生物医药产业集群', source: 'filename:a.pdf' },
      ],
      '长春市',
    );
    expect(r.cluster).toBe('长春市生物医药产业集群');
  });
});

describe('detectField', () => {
  it('reads the field from the cluster name, longest keyword first', () => {
    expect(detectField('长春市生物医药产业集群', [], fields)).toMatchObject({ field: '生物医药', focus: true });
    expect(detectField('吉林市碳纤维及复合材料产业集群', [], fields)).toMatchObject({ field: '新材料', focus: true });
    expect(detectField('松原市新能源产业集群', [], fields)).toMatchObject({ field: '新能源', focus: false });
  });
  it('falls back to text frequency', () => {
    const r = detectField(null, ['集群以卫星研发为主。遥感数据服务加快发展。全市有医药企业3家。'], fields);
    expect(r).toMatchObject({ field: '卫星及应用', focus: true });
    expect(detectField(null, ['无关内容'], fields)).toEqual({ field: null, focus: false, evidence: null });
  });
});

describe('classifyRoles', () => {
  const base = { hasProjectTable: false, kind: 'document' as const };
  it('recognises the request by name and by text', () => {
    expect(
      classifyRoles({ ...base, filename: '关于申报长春市生物医药产业集群的请示.pdf', path: 'a.pdf', kind: 'pdf' })
        .roles,
    ).toEqual(['formal-document']);
    const text =
      '梅河口市发展和改革局\n关于申报梅河口市医药产业集群的请示\n省发展改革委：\n……现将申报材料报上。\n妥否，请批示。';
    expect(classifyRoles({ ...base, filename: '文件.docx', path: '文件.docx', text }).roles).toEqual([
      'formal-document',
    ]);
  });
  it('recognises 附件1 materials by name and by sections', () => {
    expect(classifyRoles({ ...base, filename: '附件1：长春市生物医药产业集群申报材料.docx', path: 'x' }).roles).toEqual(
      ['materials'],
    );
    const text = `一、基本情况\n${'集群概况。'.repeat(200)}\n二、产业规模\n…\n三、创新能力\n…\n四、重点项目\n…`;
    const r = classifyRoles({ ...base, filename: 'report.docx', path: 'report.docx', text });
    expect(r.roles).toEqual(['materials']);
    expect(r.reasons.join()).toMatch(/基本情况/);
  });
  it('gives project-table only to a recognised table or a scanned 附件2', () => {
    expect(
      classifyRoles({ filename: '附件2.xlsx', path: '附件2.xlsx', hasProjectTable: true, kind: 'spreadsheet' }).roles,
    ).toEqual(['project-table']);
    const noTable = classifyRoles({
      filename: '附件2.xlsx',
      path: '附件2.xlsx',
      hasProjectTable: false,
      kind: 'spreadsheet',
    });
    expect(noTable.roles).toEqual([]);
    expect(noTable.reasons.join()).toMatch(/未识别出项目表/);
    expect(
      classifyRoles({
        filename: '附件2项目汇总表（盖章）.pdf',
        path: 'a',
        hasProjectTable: false,
        kind: 'pdf',
        text: '',
      }).roles,
    ).toEqual(['project-table']);
  });
  it('reads traditional-character file names (Big5 clients)', () => {
    expect(
      classifyRoles({
        ...base,
        filename: '關於申報延吉市生物醫藥產業集群的請示（掃描件）.pdf',
        path: 'a.pdf',
        kind: 'pdf',
        text: '',
      }).roles,
    ).toEqual(['formal-document']);
    expect(
      classifyRoles({ ...base, filename: '附件2：項目匯總表（掃描件）.pdf', path: 'b.pdf', kind: 'pdf', text: '' })
        .roles,
    ).toEqual(['project-table']);
  });
  it('lets one file hold several roles', () => {
    const text =
      '长春市发展和改革委员会关于申报长春市生物医药产业集群的请示……妥否，请批示。附件1 一、基本情况 二、产业规模 三、创新能力 ' +
      '内容'.repeat(400) +
      ' 附件2 序号 项目名称 建设单位 总投资 建设起止年限';
    expect(classifyRoles({ ...base, filename: '全部材料.pdf', path: 'x', kind: 'pdf', text }).roles).toEqual([
      'formal-document',
      'materials',
      'project-table',
    ]);
    expect(
      classifyRoles({ ...base, filename: '申报文件及附件（盖章扫描件）.pdf', path: 'x', kind: 'pdf', text: '' }).roles,
    ).toEqual(['formal-document', 'materials', 'project-table']);
  });
});

describe('copyHintFromName', () => {
  it('reads scan/electronic hints', () => {
    expect(copyHintFromName('申报材料（扫描件）.pdf')).toBe('scan');
    expect(copyHintFromName('请示-盖章.pdf')).toBe('scan');
    expect(copyHintFromName('附件1电子版.docx')).toBe('electronic');
    expect(copyHintFromName('附件1.docx')).toBeNull();
    expect(copyHintFromName('扫描版和电子版.zip')).toBeNull();
    expect(copyHintFromName('附件1申報材料（掃描件）.pdf')).toBe('scan');
  });
});
