import {
  COPY_LABELS,
  NO_ROLE_LABEL,
  ROLE_LABELS,
  formatInZone,
  requiredDocumentsPhrase,
  type TFlag,
} from '@intake/domain';
import type { TAckApplication, TAckAttachment, TAckContext } from './ack-context.js';
import { neutraliseLinks, quoteSubject, toSingleLine } from './header-safety.js';

/**
 * The data the templates render: every string already one clean line of
 * text. HTML escaping is the HTML renderer's job (mustache's default), so the
 * same view serves both parts without double escaping.
 */

/** flags the state lists already show as ✓/✗ lines, or that an applicant should not read about */
const NOT_A_WARNING = new Set([
  'MISSING_SCAN',
  'MISSING_ELECTRONIC',
  'MISSING_FORMAL_DOCUMENT',
  'MISSING_MATERIALS',
  'MISSING_PROJECT_TABLE',
  'LATE',
  'UNVERIFIED_SENDER',
]);
/** the detail names the other application: not for this applicant's eyes */
const LABEL_ONLY = new Set(['DUPLICATE_PROJECT']);

export interface ApplicationStateView {
  messageCount: number;
  completeItems: string[];
  missingItems: string[];
  hasMissing: boolean;
  isComplete: boolean;
  warnings: Array<{ label: string; detail: string }>;
  hasWarnings: boolean;
  late: boolean;
  metrics: Array<{ label: string; value: string }>;
}

/** how the zone is named to readers: 北京时间 is what a Chinese office expects to read */
export function zoneLabel(timezone: string): string {
  return ['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'PRC'].includes(timezone) ? '北京时间' : timezone;
}

const clean = (s: string | null | undefined): string => (s ? toSingleLine(s) : '');

export function buildAttachmentViews(attachments: TAckAttachment[]): Array<Record<string, string | number>> {
  return attachments.map((a, idx) => ({
    index: idx + 1,
    filename: neutraliseLinks(clean(a.path || a.filename)) || '（无文件名）',
    roleLabel: a.roles.length ? a.roles.map((r) => ROLE_LABELS[r]).join('、') : NO_ROLE_LABEL,
    copyLabel: COPY_LABELS[a.copy],
    error: clean(a.error),
    // a scan whose pages were still being OCR'd when the reply went out (two-phase processing)
    ocrPending: a.ocrPending ? '扫描页仍在识别中，识别结果将登记在册，无需重新发送' : '',
  }));
}

function warningsOf(flags: TFlag[]): Array<{ label: string; detail: string }> {
  return flags
    .filter((f) => !NOT_A_WARNING.has(f.code))
    .map((f) => ({ label: clean(f.label), detail: LABEL_ONLY.has(f.code) ? '' : clean(f.detail) }));
}

function metricViews(app: TAckApplication): Array<{ label: string; value: string }> {
  const m = app.metrics;
  const show = (v: number | null | undefined, unit: string): string =>
    v === null || v === undefined ? '未识别' : `${v}${unit}`;
  return [
    { label: '2019年集群总产值', value: show(m.totalOutput2019, '亿元') },
    { label: '产值亿元以上企业', value: show(m.largeEnterprises, '户') },
    { label: '重点项目', value: show(m.projectCount, '个') },
    { label: '其中总投资3000万元以上项目', value: show(m.largeProjects, '个') },
  ];
}

export function buildApplicationStateView(app: TAckApplication): ApplicationStateView {
  const items: Array<[boolean, string]> = [
    [app.documents.formalDocument, ROLE_LABELS['formal-document']],
    [app.documents.materials, ROLE_LABELS.materials],
    [app.documents.projectTable, ROLE_LABELS['project-table']],
    [app.copies.scan, COPY_LABELS.scan],
    [app.copies.electronic, COPY_LABELS.electronic],
  ];
  const completeItems = items.filter(([ok]) => ok).map(([, l]) => l);
  const missingItems = items.filter(([ok]) => !ok).map(([, l]) => `缺少${l}`);
  const warnings = warningsOf(app.flags);
  return {
    messageCount: app.messageCount,
    completeItems,
    missingItems,
    hasMissing: missingItems.length > 0,
    isComplete: missingItems.length === 0,
    warnings,
    hasWarnings: warnings.length > 0,
    late: app.late,
    metrics: metricViews(app),
  };
}

/** The notice's items in the labels' one wording, for the templates' fixed sentences. */
export function requiredWordings(): Record<'requiredDocuments' | 'requiredDocumentsList' | 'bothCopies', string> {
  return {
    requiredDocuments: requiredDocumentsPhrase('和'),
    requiredDocumentsList: requiredDocumentsPhrase('、'),
    bothCopies: `${COPY_LABELS.scan}和${COPY_LABELS.electronic}各1份`,
  };
}

export function buildAckView(ctx: TAckContext, replyAddress: string, timezone: string): Record<string, unknown> {
  const app = ctx.application;
  return {
    receiptNo: clean(ctx.receiptNo),
    applicationReceiptNo: clean(ctx.applicationReceiptNo),
    receivedAtLocal: formatInZone(ctx.receivedAt, timezone),
    deadlineLocal: formatInZone(ctx.deadline, timezone),
    timezone: zoneLabel(timezone),
    subject: quoteSubject(ctx.original.subject) || '（无主题）',
    applicantName: clean(app.applicantName),
    cluster: clean(app.cluster),
    attachments: buildAttachmentViews(ctx.attachments),
    attachmentCount: ctx.attachments.length,
    hasAttachments: ctx.attachments.length > 0,
    state: buildApplicationStateView(app),
    receivedLate: Date.parse(ctx.receivedAt) > Date.parse(ctx.deadline),
    // the desk's own address, which the applicant's "reply to this mail" reaches
    replyAddress,
    submitTo: clean(ctx.submitTo),
    contact: clean(ctx.contact),
    ...requiredWordings(),
    resend: ctx.resend
      ? { changes: ctx.resend.changes.map(clean).filter(Boolean), hasChanges: ctx.resend.changes.length > 0 }
      : null,
  };
}
