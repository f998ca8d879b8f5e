import { describe, expect, it } from 'vitest';
import { loadCampaignProfile, type TAttachment, type TProject } from '@intake/domain';
import { evaluateApplication, projectKey, type MessageView } from '@intake/validation-rules';

// Guards the notice's checks (RULES.md §2) at application level: a later scan
// clears MISSING_SCAN, a late correction is late on its message only, and an
// unknown figure is never read as a low one.
const profile = loadCampaignProfile();
const BEFORE = new Date('2020-05-14T02:00:00Z');
const AFTER = new Date('2020-05-15T16:30:00Z'); // 00:30 on 16 May in Shanghai

let n = 0;
function att(copy: TAttachment['copy'], roles: TAttachment['roles'], extra: Partial<TAttachment> = {}): TAttachment {
  n += 1;
  return {
    path: `f${n}`,
    filename: `f${n}`,
    sha256: String(n).padStart(64, '0'),
    bytes: 1,
    kind: 'pdf',
    copy,
    roles,
    ...extra,
  };
}
function projects(count: number, wan: number): TProject[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `项目${i}`,
    owner: '某公司',
    location: null,
    totalInvestment: wan,
    period: null,
    row: i + 4,
    sheet: 'Sheet1',
  }));
}
function msg(key: string, receivedAt: Date, attachments: TAttachment[], extra: Partial<MessageView> = {}): MessageView {
  return {
    key,
    receivedAt,
    attachments,
    projects: [],
    messageFlags: [],
    metrics: {
      totalOutput2019: null,
      largeEnterprises: null,
      projectCount: null,
      largeProjects: null,
      totalInvestment: null,
    },
    ...extra,
  };
}
const complete = [
  att('electronic', ['materials']),
  att('electronic', ['project-table']),
  att('scan', ['formal-document', 'materials', 'project-table']),
];
const applicant = { code: '220100', name: '长春市' };
const codes = (v: MessageView[], field: string | null = '生物医药') =>
  evaluateApplication({ applicant, cluster: '长春市生物医药产业集群', field, messages: v }, profile)
    .flags.map((f) => f.code)
    .sort();

describe('evaluateApplication', () => {
  it('GIVEN a complete on-time application WHEN evaluated THEN no flags', () => {
    expect(codes([msg('a', BEFORE, complete)])).toEqual([]);
  });

  it('GIVEN electronic copies first and the scan in a second mail THEN MISSING_SCAN clears', () => {
    const first = msg(
      'a',
      BEFORE,
      complete.filter((a) => a.copy === 'electronic').concat(att('electronic', ['formal-document'])),
    );
    expect(codes([first])).toEqual(['MISSING_SCAN']);
    expect(codes([first, msg('b', BEFORE, [att('scan', ['formal-document'])])])).toEqual([]);
  });

  it('GIVEN a complete application in time and a late correction THEN not LATE, but the correction is late on its own', () => {
    const ev = evaluateApplication(
      {
        applicant,
        cluster: null,
        field: '生物医药',
        messages: [msg('a', BEFORE, complete), msg('b', AFTER, [att('electronic', ['materials'])])],
      },
      profile,
    );
    expect(ev.flags.map((f) => f.code)).not.toContain('LATE');
    expect(ev.lateMessageKeys).toEqual(['b']);
  });

  it('GIVEN the scan first arriving after the deadline THEN LATE with the server time in Shanghai', () => {
    const ev = evaluateApplication(
      {
        applicant,
        cluster: null,
        field: '生物医药',
        messages: [
          msg(
            'a',
            BEFORE,
            complete.filter((a) => a.copy === 'electronic').concat(att('electronic', ['formal-document'])),
          ),
          msg('b', AFTER, [att('scan', ['formal-document'])]),
        ],
      },
      profile,
    );
    const late = ev.flags.find((f) => f.code === 'LATE');
    expect(late?.detail).toContain('2020-05-16 00:30:00');
    expect(late?.detail).toContain('扫描版');
  });

  it('GIVEN 0.5亿 projects normalized to 5000万 THEN they count as ≥3000万; unknown figures raise nothing', () => {
    const ok = msg('a', BEFORE, complete, { projects: projects(10, 5000) });
    expect(codes([ok])).toEqual([]);
    const few = msg('a', BEFORE, complete, { projects: projects(10, 2999) });
    expect(codes([few])).toEqual(['FEW_LARGE_PROJECTS']);
  });

  it('GIVEN low output, few enterprises, a 2018 figure and a non-focus field THEN each is flagged', () => {
    const m = msg('a', BEFORE, complete, {
      metrics: {
        totalOutput2019: 49.9,
        largeEnterprises: 4,
        dataYear: 2018,
        projectCount: null,
        largeProjects: null,
        totalInvestment: null,
      },
    });
    expect(codes([m], '新能源汽车')).toEqual([
      'FEW_LARGE_ENTERPRISES',
      'LOW_TOTAL_OUTPUT',
      'NOT_FOCUS_AREA',
      'WRONG_DATA_YEAR',
    ]);
  });

  // issue 12.1: a stranger's mail naming 长春市 became the current formal document (the experts' zip)
  it('GIVEN a later formal document from an unconfirmed sender THEN it counts but the confirmed one stays current', () => {
    const own = att('scan', ['formal-document']);
    const stranger = att('scan', ['formal-document', 'project-table']);
    const flag = { code: 'UNCONFIRMED_SENDER', label: '发件人邮箱未确认', detail: 'x@freemail.example' };
    const view = (first: boolean) => ({
      applicant,
      cluster: '长春市生物医药产业集群',
      field: '生物医药',
      messages: [
        ...(first
          ? [
              msg('own', BEFORE, [own, att('electronic', ['materials'])], {
                metrics: { ...msg('x', BEFORE, []).metrics, totalOutput2019: 80, largeEnterprises: 7 },
              }),
            ]
          : []),
        msg('stranger', new Date('2020-05-14T05:00:00Z'), [stranger], {
          senderConfirmed: false,
          messageFlags: [flag],
          metrics: { ...msg('x', BEFORE, []).metrics, totalOutput2019: 999, largeEnterprises: 99 },
        }),
      ],
    });
    const both = evaluateApplication(view(true), profile);
    expect(both.currentByRole['formal-document']).toEqual({ messageKey: 'own', path: own.path });
    // a role only the stranger sent still counts: officials do resend from personal addresses
    expect(both.currentByRole['project-table']).toEqual({ messageKey: 'stranger', path: stranger.path });
    expect(both.metrics.totalOutput2019).toBe(80);
    expect(both.metrics.largeEnterprises).toBe(7);
    expect(both.flags.map((f) => f.code)).toContain('UNCONFIRMED_SENDER');
    const alone = evaluateApplication(view(false), profile);
    expect(alone.currentByRole['formal-document']).toEqual({ messageKey: 'stranger', path: stranger.path });
    expect(alone.documents.formalDocument).toBe(true);
    expect(alone.metrics.totalOutput2019).toBe(999);
  });

  it('GIVEN an unreadable attachment THEN it counts for nothing and the flag is carried', () => {
    const bad = att('electronic', ['project-table'], { error: 'corrupt' });
    const ev = evaluateApplication(
      {
        applicant: null,
        cluster: null,
        field: null,
        messages: [
          msg('a', BEFORE, [bad], {
            messageFlags: [{ code: 'UNREADABLE_ATTACHMENT', label: '附件无法读取', detail: 'f: corrupt' }],
          }),
        ],
      },
      profile,
    );
    expect(ev.flags.map((f) => f.code)).toEqual(
      expect.arrayContaining(['MISSING_PROJECT_TABLE', 'UNKNOWN_APPLICANT', 'UNREADABLE_ATTACHMENT']),
    );
    expect(ev.documents.projectTable).toBe(false);
  });
});

describe('projectKey', () => {
  it('treats spacing, brackets and 项目/有限公司 suffixes as the same project', () => {
    expect(projectKey({ name: '年产 5000 吨碳纤维（二期）项目', owner: '吉林化纤股份有限公司' })).toBe(
      projectKey({ name: '年产5000吨碳纤维(二期)', owner: '吉林化纤' }),
    );
  });
});
