import { COPY_LABELS, ROLE_LABELS, copyLabel, formatInZone, roleLabel, type TCampaignProfile } from '@intake/domain';
import type { ReviewStatus } from '../review.js';
import type { TRegisterApplication, TRegisterExport, TRegisterMessage } from './register-schema.js';

/** What staff see in WPS/Excel and in the CSV: one row per application, Chinese headers. */
export type Cell = string | number | null;

export const YES = '✓';
export const NO = '✗';

export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  received: '已接收',
  'preliminary-passed': '初审通过',
  'preliminary-failed': '初审未通过',
  'expert-review': '专家评审',
  selected: '入选',
  rejected: '未入选',
};

export function mainHeaders(profile: TCampaignProfile): string[] {
  return [
    '受理编号',
    '申报单位',
    '行政区划代码',
    '集群名称',
    '产业领域',
    '首次收到时间',
    '最后收到时间',
    COPY_LABELS.scan,
    COPY_LABELS.electronic,
    ROLE_LABELS['formal-document'],
    ROLE_LABELS.materials,
    ROLE_LABELS['project-table'],
    '项目数',
    `${profile.thresholds.largeProjectInvestmentWan}万元以上项目数`,
    `${profile.dataYear}年总产值（亿元）`,
    '亿元以上企业数',
    '问题',
    '初审状态',
    '备注',
  ];
}

/** Columns holding ✓/✗ (0-based), highlighted when ✗. */
export const CHECK_COLUMNS = [7, 8, 9, 10, 11];

const mark = (b: boolean): string => (b ? YES : NO);

export function formatTime(iso: string | null, profile: TCampaignProfile): string {
  return iso ? formatInZone(iso, profile.timezone) : '';
}

export function mainRow(a: TRegisterApplication, profile: TCampaignProfile): Cell[] {
  return [
    a.receiptNo,
    a.applicant?.name ?? '（未识别）',
    a.applicant?.code ?? '',
    a.cluster ?? '',
    a.field ?? '',
    formatTime(a.firstReceivedAt, profile),
    formatTime(a.lastReceivedAt, profile),
    mark(a.copies.scan),
    mark(a.copies.electronic),
    mark(a.documents.formalDocument),
    mark(a.documents.materials),
    mark(a.documents.projectTable),
    a.metrics.projectCount,
    a.metrics.largeProjects,
    a.metrics.totalOutput2019,
    a.metrics.largeEnterprises,
    [...new Set(a.flags.map((f) => f.label))].join('；'),
    REVIEW_STATUS_LABELS[a.review.status],
    a.review.note ?? '',
  ];
}

export function mainTable(exp: TRegisterExport, profile: TCampaignProfile): { headers: string[]; rows: Cell[][] } {
  return { headers: mainHeaders(profile), rows: exp.applications.map((a) => mainRow(a, profile)) };
}

export const MESSAGE_HEADERS = [
  '来件编号',
  '受理编号',
  '申报单位',
  '发件人',
  '主题',
  '服务器收件时间',
  '附件',
  '逾期',
  '回执',
];

export function attachmentSummary(m: TRegisterMessage): string {
  return m.attachments
    .map((t) => {
      const what = [...t.roles.map(roleLabel), copyLabel(t.copy)].join('/');
      return `${t.path}（${what}${t.error ? `；无法读取：${t.error}` : ''}）`;
    })
    .join('\n');
}

export function ackLabel(ack: TRegisterMessage['ack']): string {
  if (!ack) return '未生成';
  const base = { sent: '已发送', stored: '已生成未发送', skipped: '不回复' }[ack.status];
  return ack.reason ? `${base}（${ack.reason}）` : base;
}

export function messageRow(a: TRegisterApplication, m: TRegisterMessage, profile: TCampaignProfile): Cell[] {
  return [
    m.receiptNo,
    a.receiptNo,
    a.applicant?.name ?? '（未识别）',
    m.from,
    m.subject,
    formatTime(m.receivedAt, profile),
    attachmentSummary(m),
    m.late ? '是' : '',
    ackLabel(m.ack),
  ];
}

export const PROJECT_HEADERS = [
  '受理编号',
  '申报单位',
  '集群名称',
  '项目名称',
  '建设单位',
  '建设地点',
  '总投资（万元）',
  '建设期限',
  '来源工作表',
  '行号',
  '来源文件',
  '重复',
];

export function projectRows(a: TRegisterApplication): Cell[][] {
  return a.projects.map((p) => [
    a.receiptNo,
    a.applicant?.name ?? '（未识别）',
    a.cluster ?? '',
    p.name,
    p.owner ?? '',
    p.location ?? '',
    p.totalInvestment,
    p.period ?? '',
    p.sheet,
    p.row,
    p.source ?? '',
    p.duplicate ? '重复' : '',
  ]);
}
