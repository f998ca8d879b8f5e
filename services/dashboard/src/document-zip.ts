import yazl from 'yazl';
import { ROLE_LABELS, type TAttachment, type TDocumentRole } from '@intake/domain';
import {
  CORRECTION_STATUS_LABELS,
  csvField,
  formatCorrectionValue,
  type ApplicationDetail,
} from '@intake/register-store';
import type { LoadAttachment } from './load-attachment.js';
import { flagLabel, reviewLabel } from './labels.js';

export interface ZipPlanEntry {
  messageSha256: string;
  path: string;
  /** name inside the zip */
  zipName: string;
}

/** Folders in the experts' zip: the role's one wording, numbered in the order the notice lists the items. */
const ROLE_DIRS: Record<TDocumentRole, string> = {
  'formal-document': `1-${ROLE_LABELS['formal-document']}`,
  materials: `2-${ROLE_LABELS.materials}`,
  'project-table': `3-${ROLE_LABELS['project-table']}`,
};

function safeSegment(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').trim() || '_';
}

/**
 * The application's current documents for the expert review: for each
 * required item, the attachments carrying it in the message that holds its
 * current version (so a scan and its editable twin travel together).
 */
export function planDocumentZip(app: ApplicationDetail): ZipPlanEntry[] {
  const current = app.evaluation?.currentByRole;
  if (!current) return [];
  const out: ZipPlanEntry[] = [];
  const used = new Set<string>();
  const taken = new Set<string>();
  for (const role of Object.keys(ROLE_DIRS) as TDocumentRole[]) {
    const ref = current[role];
    if (!ref) continue;
    const msg = app.messages.find((m) => m.sha256 === ref.messageKey || m.otherSha256.includes(ref.messageKey));
    if (!msg) continue;
    const atts: TAttachment[] = msg.attachments.filter((a) => !a.error && a.roles.includes(role));
    for (const a of atts) {
      const key = `${msg.sha256}|${a.path}`;
      if (taken.has(key)) continue;
      taken.add(key);
      let name = `${ROLE_DIRS[role]}/${safeSegment(a.filename)}`;
      for (let n = 2; used.has(name); n++) name = `${ROLE_DIRS[role]}/${n}-${safeSegment(a.filename)}`;
      used.add(name);
      out.push({ messageSha256: msg.sha256, path: a.path, zipName: name });
    }
  }
  return out;
}

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? '未知' : String(v));

/** The figures that count (corrections applied) and every active correction, for the experts. */
function figureLines(app: ApplicationDetail, bigWan: number): string[] {
  const m = app.evaluation?.metrics;
  const active = app.corrections.filter((c) => !c.removedAt);
  return [
    '',
    '主要数据（已含工作人员校正）：',
    `  2019年集群总产值（亿元）：${fmt(m?.totalOutput2019)}`,
    `  产值亿元以上企业（户）：${fmt(m?.largeEnterprises)}`,
    `  数据年份：${fmt(m?.dataYear)}`,
    `  重点项目（个）：${fmt(m?.projectCount)}`,
    `  ${bigWan}万元以上项目（个）：${fmt(m?.largeProjects)}`,
    `  项目总投资（万元）：${fmt(m?.totalInvestment)}`,
    ...(active.length
      ? [
          '',
          `人工校正（${active.length} 项，原读取值保留在登记系统中）：`,
          ...active.map(
            (c) =>
              `  - ${c.targetLabel}：${formatCorrectionValue(c.field, c.readingNow)} → ${formatCorrectionValue(c.field, c.newValue)}（${c.actor}；理由：${c.reason}；${CORRECTION_STATUS_LABELS[c.status] ?? c.status}）`,
          ),
        ]
      : []),
  ];
}

/** 重点项目 as they count (UTF-8 CSV with a BOM, so WPS and Excel read the Chinese). */
export function projectListCsv(app: ApplicationDetail): string {
  const head = ['序号', '项目名称', '建设单位', '建设地点', '总投资（万元）', '建设期限', '来源', '人工校正'];
  const rows = app.projects.map((p, i) => [
    i + 1,
    p.name,
    p.owner,
    p.location,
    p.totalInvestment,
    p.period,
    p.reading ? `${p.sheet} 第${p.row}行` : '人工补录',
    p.corrections
      .map(
        (c) =>
          `${c.field}：${formatCorrectionValue(c.field, c.oldValue)} → ${formatCorrectionValue(c.field, c.newValue)}（${c.reason}）`,
      )
      .join('；'),
  ]);
  return '\uFEFF' + [head, ...rows].map((r) => r.map((c) => csvField(c ?? null)).join(',')).join('\r\n') + '\r\n';
}

function summaryText(app: ApplicationDetail, missing: string[], bigWan: number): string {
  const lines = [
    `受理编号：${app.receiptNo}`,
    `申报单位：${app.applicant ? `${app.applicant.name}（${app.applicant.code}）` : '未识别'}`,
    `产业集群：${app.cluster ?? '未识别'}`,
    `产业领域：${app.field ?? '未识别'}`,
    `审核状态：${reviewLabel(app.reviewStatus)}${app.reviewNote ? `（${app.reviewNote}）` : ''}`,
    '',
    '问题标记：',
    ...(app.flags.length ? app.flags.map((f) => `  - ${flagLabel(f.code, f.label)}：${f.detail}`) : ['  无']),
    '',
    '材料：',
    ...Object.entries(ROLE_LABELS).map(
      ([role, label]) => `  ${label}：${app.evaluation?.currentByRole[role as TDocumentRole] ? '有' : '无'}`,
    ),
    ...figureLines(app, bigWan),
    ...(missing.length ? ['', '以下文件未能从原始邮件中取出：', ...missing.map((m) => `  - ${m}`)] : []),
  ];
  return lines.join('\r\n') + '\r\n';
}

/** Builds the zip in memory (an application's documents are tens of MB at most). Names are UTF-8 with the flag set (yazl). */
export async function buildDocumentZip(
  app: ApplicationDetail,
  load: LoadAttachment,
  opts: { largeProjectWan: number },
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const missing: string[] = [];
  for (const e of planDocumentZip(app)) {
    const file = await load(e.messageSha256, e.path);
    if (!file) {
      missing.push(e.zipName);
      continue;
    }
    zip.addBuffer(file.data, e.zipName, { compress: !/\.(zip|jpe?g|png|docx|xlsx)$/i.test(e.zipName) });
  }
  zip.addBuffer(Buffer.from('\ufeff' + summaryText(app, missing, opts.largeProjectWan), 'utf8'), '0-登记信息.txt');
  if (app.projects.length > 0) zip.addBuffer(Buffer.from(projectListCsv(app), 'utf8'), '0-重点项目清单（含校正）.csv');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
