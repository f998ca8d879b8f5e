import { createHash } from 'node:crypto';
import type { TAttachment, TCampaignProfile, TParsedMessage, TProject } from '@intake/domain';
import type { Db } from '../db.js';
import { registerMessage, type RegisterMessageInput, type RegisterMessageResult } from '../register-message.js';
import { revalidateApplications } from '../revalidate-applications.js';

/** Small builders of parsed messages for tests (no fixture generator needed). */
export function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function attachment(path: string, over: Partial<TAttachment> = {}): TAttachment {
  return {
    path,
    filename: path.split('/').pop() ?? path,
    sha256: sha(`att:${path}`),
    bytes: 1000,
    kind: 'pdf',
    copy: 'electronic',
    roles: [],
    ...over,
  };
}

export const scanFormal = (path = '请示扫描.pdf'): TAttachment =>
  attachment(path, { kind: 'pdf', copy: 'scan', roles: ['formal-document'] });
export const electronicMaterials = (path = '附件1申报材料.docx'): TAttachment =>
  attachment(path, { kind: 'document', copy: 'electronic', roles: ['materials'] });
export const projectTable = (path = '附件2项目汇总表.xlsx'): TAttachment =>
  attachment(path, { kind: 'spreadsheet', copy: 'electronic', roles: ['project-table'] });

export function project(name: string, over: Partial<TProject> = {}): TProject {
  return {
    name,
    owner: `${name}有限公司`,
    location: '长春市',
    totalInvestment: 5000,
    period: '2021-2023',
    row: 2,
    sheet: 'Sheet1',
    ...over,
  };
}

export function projects(prefix: string, n: number, investment = 5000): TProject[] {
  return Array.from({ length: n }, (_, i) =>
    project(`${prefix}项目${i + 1}`, { row: i + 2, totalInvestment: investment }),
  );
}

export function parsedMessage(over: Partial<TParsedMessage> = {}): TParsedMessage {
  return {
    messageId: null,
    from: '长春市发改委 <fgw@changchun.gov.cn>',
    subject: '长春市生物医药产业集群申报材料',
    receivedAt: '2020-05-10T02:00:00.000Z',
    receivedAtSource: 'server',
    applicant: { code: '220100', name: '长春市' },
    cluster: '长春市生物医药产业集群',
    field: '生物医药',
    attachments: [],
    projects: [],
    metrics: {
      totalOutput2019: 80,
      largeEnterprises: 7,
      projectCount: null,
      largeProjects: null,
      totalInvestment: null,
      dataYear: 2019,
    },
    flags: [],
    ...over,
  };
}

/** A complete, on-time application in one mail. */
export function completeMessage(over: Partial<TParsedMessage> = {}): TParsedMessage {
  return parsedMessage({
    attachments: [scanFormal(), electronicMaterials(), projectTable()],
    projects: projects('长春', 12),
    ...over,
  });
}

/** registerMessage's input for a parsed message; the sha256 follows the content unless given. */
export function registerInput(
  parsed: TParsedMessage,
  profile: TCampaignProfile,
  over: Partial<RegisterMessageInput> = {},
): RegisterMessageInput {
  return {
    parsed,
    sha256: sha(JSON.stringify(parsed)),
    receivedAt: new Date(parsed.receivedAt ?? '2020-05-10T02:00:00Z'),
    receivedAtSource: 'server',
    profile,
    parserVersion: 'p1',
    ...over,
  };
}

/** Register a message and validate every application it touched, as the pipeline's jobs do. */
export async function registerAndValidate(db: Db, input: RegisterMessageInput): Promise<RegisterMessageResult> {
  const r = await registerMessage(db, input);
  await revalidateApplications(db, r.affectedApplicationIds, input.profile);
  return r;
}
