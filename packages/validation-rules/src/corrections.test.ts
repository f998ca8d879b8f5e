// Guards issue 11's rules on effective values: a corrected project amount or a
// row marked "not a project" moves the count, the total and
// FEW_LARGE_PROJECTS; an added row counts; a copy type corrected from unknown
// to scan clears MISSING_SCAN; figures and the field are overridden; fixes find
// their rows again after a re-read by provenance, then by name + owner.
import { describe, expect, it } from 'vitest';
import { loadCampaignProfile, type TAttachment, type TProject } from '@intake/domain';
import {
  correctAttachments,
  correctProjectRows,
  evaluateApplication,
  projectKey,
  projectRefKey,
  type CorrectionSet,
  type MessageView,
  type ProjectFix,
} from '@intake/validation-rules';

const profile = loadCampaignProfile();
const AT = new Date('2020-05-12T02:00:00Z');
const S = (n: number) => String(n).padStart(64, '0');

function row(name: string, wan: number | null, r: number): TProject {
  return {
    name,
    owner: `${name}公司`,
    location: '长春',
    totalInvestment: wan,
    period: '2021-2023',
    row: r,
    sheet: 'Sheet1',
    source: '附件2.xlsx',
  };
}

// 9 real large projects, one misread 2800 (really 28000), and a section row with its 52000 subtotal
const TABLE: TProject[] = [
  ...Array.from({ length: 9 }, (_, i) => row(`项目${i + 1}`, 5000, i + 5)),
  row('项目10', 2800, 14),
  row('生物医药产业化项目（5项）', 52000, 4),
];

const atts = (copyOfFormal: TAttachment['copy']): TAttachment[] => [
  {
    path: '请示.pdf',
    filename: '请示.pdf',
    sha256: S(1),
    bytes: 1,
    kind: 'pdf',
    copy: copyOfFormal,
    roles: ['formal-document'],
  },
  {
    path: '附件1.docx',
    filename: '附件1.docx',
    sha256: S(2),
    bytes: 1,
    kind: 'document',
    copy: 'electronic',
    roles: ['materials'],
  },
  {
    path: '附件2.xlsx',
    filename: '附件2.xlsx',
    sha256: S(3),
    bytes: 1,
    kind: 'spreadsheet',
    copy: 'electronic',
    roles: ['project-table'],
  },
];

function message(copyOfFormal: TAttachment['copy'] = 'scan', projects = TABLE): MessageView {
  return {
    key: 'm1',
    receivedAt: AT,
    attachments: atts(copyOfFormal),
    projects,
    messageFlags: [],
    metrics: {
      totalOutput2019: 62.5,
      largeEnterprises: 7,
      dataYear: 2019,
      projectCount: null,
      largeProjects: null,
      totalInvestment: null,
    },
  };
}

const none: CorrectionSet = { figures: {}, attachments: [], projects: [], added: [] };
const fix = (id: number, p: TProject, field: ProjectFix['field'], value: ProjectFix['value']): ProjectFix => ({
  id,
  messageKey: 'm1',
  refKey: projectRefKey(p),
  projectKey: projectKey(p),
  field,
  value,
});

const evaluate = (m: MessageView, corrections: CorrectionSet = none, field = '生物医药') =>
  evaluateApplication(
    {
      applicant: { code: '220100', name: '长春市' },
      cluster: '长春市生物医药产业集群',
      field,
      messages: [m],
      corrections,
    },
    profile,
  );
const codes = (e: ReturnType<typeof evaluate>) => e.flags.map((f) => f.code).sort();

describe('evaluation on effective values', () => {
  it('GIVEN the reading THEN the section row counts and the misread amount does not', () => {
    const e = evaluate(message());
    expect(e.metrics).toMatchObject({ projectCount: 11, largeProjects: 10, totalInvestment: 99800 });
    expect(codes(e)).toEqual([]);
    expect(e.reading).toBeUndefined();
  });

  it('GIVEN the section row marked "not a project" THEN count, total and FEW_LARGE_PROJECTS follow', () => {
    const e = evaluate(message(), { ...none, projects: [fix(1, TABLE[10]!, 'notProject', true)] });
    expect(e.metrics).toMatchObject({ projectCount: 10, largeProjects: 9, totalInvestment: 47800 });
    expect(codes(e)).toEqual(['FEW_LARGE_PROJECTS']);
    expect(e.projects.map((p) => p.name)).not.toContain('生物医药产业化项目（5项）');
    expect(e.reading).toEqual({
      metrics: expect.objectContaining({ projectCount: 11, largeProjects: 10 }),
      flagCodes: [],
    });
  });

  it('GIVEN also the misread amount corrected to 28000 THEN the flag clears again', () => {
    const e = evaluate(message(), {
      ...none,
      projects: [fix(1, TABLE[10]!, 'notProject', true), fix(2, TABLE[9]!, 'totalInvestment', 28000)],
    });
    expect(e.metrics).toMatchObject({ projectCount: 10, largeProjects: 10, totalInvestment: 73000 });
    expect(codes(e)).toEqual([]);
    expect(e.projects.find((p) => p.name === '项目10')?.totalInvestment).toBe(28000);
  });

  it('GIVEN a row staff added THEN it counts; once the reading lists it too it is not counted twice', () => {
    const added = {
      id: 3,
      project: { name: '新增项目', owner: '新增公司', location: null, totalInvestment: 4000, period: null },
    };
    const e = evaluate(message(), { ...none, projects: [fix(1, TABLE[10]!, 'notProject', true)], added: [added] });
    expect(e.metrics).toMatchObject({ projectCount: 11, largeProjects: 10 });
    expect(e.projects.at(-1)).toMatchObject({ name: '新增项目', sheet: '人工补录', row: 1 });
    const reread = message(
      'scan',
      [...TABLE, row('新增', 4000, 15)].map((p) =>
        p.name === '新增' ? { ...p, name: '新增项目', owner: '新增公司' } : p,
      ),
    );
    const again = evaluate(reread, { ...none, added: [added] });
    expect(again.metrics.projectCount).toBe(12);
  });

  it('GIVEN the formal document read as unknown copy THEN MISSING_SCAN, and corrected to scan THEN cleared', () => {
    expect(codes(evaluate(message('unknown')))).toEqual(['MISSING_SCAN']);
    const e = evaluate(message('unknown'), {
      ...none,
      attachments: [{ id: 4, messageKey: 'm1', sha256: S(1), path: '请示.pdf', field: 'copy', value: 'scan' }],
    });
    expect(codes(e)).toEqual([]);
    expect(e.copies.scan).toBe(true);
  });

  it('GIVEN an unreadable file corrected by staff THEN it counts (staff vouched for it)', () => {
    const m = message('unknown');
    m.attachments[0] = { ...m.attachments[0]!, error: '无法读取：损坏' };
    expect(codes(evaluate(m))).toEqual(['MISSING_FORMAL_DOCUMENT', 'MISSING_SCAN']);
    const e = evaluate(m, {
      ...none,
      attachments: [{ id: 5, messageKey: 'm1', sha256: S(1), path: '请示.pdf', field: 'copy', value: 'scan' }],
    });
    expect(codes(e)).toEqual([]);
  });

  it('GIVEN a role corrected off the table THEN the application has no project table', () => {
    const e = evaluate(message(), {
      ...none,
      attachments: [
        { id: 6, messageKey: 'm1', sha256: S(3), path: '附件2.xlsx', field: 'roles', value: ['materials'] },
      ],
    });
    expect(codes(e)).toEqual(['MISSING_PROJECT_TABLE']);
    expect(e.metrics.projectCount).toBeNull();
  });

  it('GIVEN corrected figures and field THEN thresholds use them', () => {
    const e = evaluate(message(), {
      ...none,
      figures: { totalOutput2019: 41.2, largeEnterprises: 3, dataYear: 2018 },
      field: '新能源汽车',
    });
    expect(e.metrics).toMatchObject({ totalOutput2019: 41.2, largeEnterprises: 3, dataYear: 2018 });
    expect(codes(e)).toEqual(['FEW_LARGE_ENTERPRISES', 'LOW_TOTAL_OUTPUT', 'NOT_FOCUS_AREA', 'WRONG_DATA_YEAR']);
    // a figure corrected to "unknown" is unknown, not low
    expect(codes(evaluate(message(), { ...none, figures: { totalOutput2019: null } }))).toEqual([]);
  });
});

describe('finding the target again after a re-read', () => {
  it('matches a row by provenance, else by normalized name + owner when it moved, else not at all', () => {
    const f = fix(7, TABLE[9]!, 'totalInvestment', 28000);
    const moved = TABLE.map((p) => (p.name === '项目10' ? { ...p, row: 20 } : p));
    expect(correctProjectRows('m1', moved, [f], []).find((l) => l.fixIds.includes(7))?.effective?.totalInvestment).toBe(
      28000,
    );
    const renamed = TABLE.map((p) => (p.name === '项目10' ? { ...p, row: 20, name: '别的项目' } : p));
    expect(correctProjectRows('m1', renamed, [f], []).some((l) => l.fixIds.length > 0)).toBe(false);
    expect(correctProjectRows('other', TABLE, [f], []).some((l) => l.fixIds.length > 0)).toBe(false);
  });

  it('matches an attachment by sha256 and path, else by a unique sha256', () => {
    const a = atts('unknown');
    const f = {
      id: 8,
      messageKey: 'm1',
      sha256: S(1),
      path: 'old/请示.pdf',
      field: 'copy' as const,
      value: 'scan' as const,
    };
    expect(correctAttachments('m1', a, [f])[0]?.effective.copy).toBe('scan');
    expect(correctAttachments('m1', a, [{ ...f, sha256: S(9) }])[0]?.effective.copy).toBe('unknown');
  });
});
