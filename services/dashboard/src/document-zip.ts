import yazl from 'yazl';
import { ROLE_LABELS, type TAttachment, type TDocumentRole } from '@intake/domain';
import type { ApplicationDetail } from '@intake/register-store';
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

function summaryText(app: ApplicationDetail, missing: string[]): string {
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
    ...(missing.length ? ['', '以下文件未能从原始邮件中取出：', ...missing.map((m) => `  - ${m}`)] : []),
  ];
  return lines.join('\r\n') + '\r\n';
}

/** Builds the zip in memory (an application's documents are tens of MB at most). Names are UTF-8 with the flag set (yazl). */
export async function buildDocumentZip(app: ApplicationDetail, load: LoadAttachment): Promise<Buffer> {
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
  zip.addBuffer(Buffer.from('\ufeff' + summaryText(app, missing), 'utf8'), '0-登记信息.txt');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
