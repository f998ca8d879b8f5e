import { createHash } from 'node:crypto';
import {
  makeFlag,
  type TAttachment,
  type TCampaignProfile,
  type TEvidence,
  type TParsedMessage,
  type TProject,
} from '@intake/domain';
import { findAttachment, type Db } from '@intake/register-store';
import { registerAndValidate } from '@intake/register-store/testing';
import type { LoadAttachment, LoadedAttachment } from '../load-attachment.js';

/**
 * A small, realistic register for demos, screenshots and the dashboard's
 * tests: what the pipeline would have written for a few typical mails. The
 * attachment bytes are kept in memory and served by `demoAttachmentLoader`.
 */

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** The smallest PDF viewers accept: enough to test preview and download. */
function tinyPdf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%${text}\n%%EOF\n`,
    'latin1',
  );
}

const files = new Map<string, LoadedAttachment>();

function file(
  name: string,
  kind: TAttachment['kind'],
  copy: TAttachment['copy'],
  roles: TAttachment['roles'],
  data: Buffer,
  extra: Partial<TAttachment> = {},
): TAttachment {
  const contentType = kind === 'pdf' ? 'application/pdf' : 'application/octet-stream';
  const s = sha(data);
  files.set(s, { filename: name, contentType, data });
  return { path: extra.path ?? name, filename: name, sha256: s, bytes: data.length, kind, copy, roles, ...extra };
}

function projects(n: number, big: number, prefix: string): TProject[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${prefix}项目${i + 1}`,
    owner: `${prefix}有限公司${(i % 4) + 1}`,
    location: `${prefix}经济开发区`,
    totalInvestment: i < big ? 5000 + i * 1250 : 1200 + i * 10,
    period: '2021-2023',
    row: i + 4,
    sheet: 'Sheet1',
    source: '附件2.xlsx',
  }));
}

interface DemoMessage {
  parsed: TParsedMessage;
  receivedAt: string;
}

function message(
  p: Partial<TParsedMessage> & Pick<TParsedMessage, 'from' | 'subject' | 'attachments'>,
  receivedAt: string,
): DemoMessage {
  const parsed: TParsedMessage = {
    messageId: `<${sha(p.subject + receivedAt).slice(0, 16)}@demo.example>`,
    receivedAt,
    receivedAtSource: 'server',
    applicant: null,
    cluster: null,
    field: null,
    projects: [],
    flags: [],
    metrics: {
      totalOutput2019: null,
      largeEnterprises: null,
      projectCount: null,
      largeProjects: null,
      totalInvestment: null,
    },
    ...p,
  };
  parsed.sha256 = sha(JSON.stringify(parsed));
  return { parsed, receivedAt };
}

function evidence(field: TEvidence['field'], value: number | string, text: string, source: string): TEvidence {
  return { field, value, text, source };
}

export function demoMessages(): DemoMessage[] {
  const cc = { code: '220100', name: '长春市' };
  const jl = { code: '220200', name: '吉林市' };
  const yb = { code: '222400', name: '延边朝鲜族自治州' };
  const ccProjects = projects(12, 11, '长春');
  return [
    message(
      {
        from: '长春市发展改革委 <gjc@changchun.example>',
        subject: '长春市生物医药产业集群申报材料（正式文件+附件1+附件2）',
        applicant: cc,
        cluster: '长春市生物医药产业集群',
        field: '生物医药',
        attachments: [
          file('关于申报长春市生物医药产业集群的请示.pdf', 'pdf', 'scan', ['formal-document'], tinyPdf('cc-request')),
          file(
            '附件1：长春市生物医药产业集群申报材料.docx',
            'document',
            'electronic',
            ['materials'],
            Buffer.from('docx-cc'),
          ),
          file('附件2：重点项目汇总表.xlsx', 'spreadsheet', 'electronic', ['project-table'], Buffer.from('xlsx-cc')),
        ],
        projects: ccProjects,
        metrics: {
          totalOutput2019: 62.5,
          largeEnterprises: 7,
          projectCount: 12,
          largeProjects: 11,
          totalInvestment: 150000,
          dataYear: 2019,
        },
        evidence: [
          evidence(
            'totalOutput2019',
            62.5,
            '2019年，集群实现总产值62.5亿元，同比增长8.3%。',
            '附件1：长春市生物医药产业集群申报材料.docx',
          ),
          evidence('largeEnterprises', 7, '产值亿元以上企业7户。', '附件1：长春市生物医药产业集群申报材料.docx'),
        ],
      },
      '2020-05-08T02:15:00Z',
    ),
    message(
      {
        from: '吉林市发改委高技术科 <jlgjk@jilin.example>',
        subject: '吉林市化工新材料产业集群申报',
        applicant: jl,
        cluster: '吉林市化工新材料产业集群',
        field: '新材料',
        attachments: [
          file(
            '吉林市化工新材料产业集群申报材料.docx',
            'document',
            'electronic',
            ['materials'],
            Buffer.from('docx-jl'),
          ),
          file('重点项目汇总表.xlsx', 'spreadsheet', 'electronic', ['project-table'], Buffer.from('xlsx-jl')),
        ],
        projects: projects(8, 6, '吉林'),
        metrics: {
          totalOutput2019: 41.2,
          largeEnterprises: 4,
          projectCount: 8,
          largeProjects: 6,
          totalInvestment: 52000,
          dataYear: 2019,
        },
        evidence: [
          evidence('totalOutput2019', 41.2, '2019年集群总产值达到41.2亿元。', '吉林市化工新材料产业集群申报材料.docx'),
          evidence('largeEnterprises', 4, '其中产值超亿元企业4户', '吉林市化工新材料产业集群申报材料.docx'),
        ],
      },
      '2020-05-12T07:40:00Z',
    ),
    message(
      {
        from: '延边州发改委 <ybfgw@yanbian.example>',
        subject: '延边州光电子产业集群申报（补报）',
        applicant: yb,
        cluster: '延边州光电子产业集群',
        field: '光电子',
        attachments: [
          file('延边州光电子产业集群申报文件.pdf', 'pdf', 'scan', ['formal-document', 'materials'], tinyPdf('yb-scan')),
          file('附件2.xlsx', 'spreadsheet', 'electronic', ['project-table'], Buffer.from('xlsx-yb')),
        ],
        projects: projects(11, 10, '延边'),
        metrics: {
          totalOutput2019: 55,
          largeEnterprises: 6,
          projectCount: 11,
          largeProjects: 10,
          totalInvestment: 90000,
          dataYear: 2019,
        },
      },
      '2020-05-16T01:30:00Z',
    ),
    message(
      {
        from: '"<b>某单位</b>" <unknown@example.org>',
        subject: '<script>alert("subject")</script>申报材料',
        attachments: [
          file('<script>alert("file")</script>.pdf', 'pdf', 'unknown', [], tinyPdf('unknown')),
          file('损坏的表格.xlsx', 'spreadsheet', 'unknown', [], Buffer.from('not-a-zip'), {
            error: '文件已损坏，无法打开 (corrupt zip)',
          }),
        ],
        flags: [makeFlag('UNREADABLE_ATTACHMENT', '损坏的表格.xlsx：文件已损坏，无法打开')],
      },
      '2020-05-10T09:05:00Z',
    ),
  ];
}

export const DEMO_PARSER_VERSION = 'demo-1';

/** Register one demo message and run the checks on what it touched, as the pipeline does; its application's id. */
export async function registerDemoMessage(db: Db, profile: TCampaignProfile, m: DemoMessage): Promise<number> {
  const r = await registerAndValidate(db, {
    parsed: m.parsed,
    sha256: m.parsed.sha256!,
    receivedAt: new Date(m.receivedAt),
    receivedAtSource: 'server',
    profile,
    parserVersion: DEMO_PARSER_VERSION,
  });
  return r.applicationId;
}

export async function seedDemoRegister(db: Db, profile: TCampaignProfile): Promise<number[]> {
  const ids: number[] = [];
  for (const m of demoMessages()) ids.push(await registerDemoMessage(db, profile, m));
  return ids;
}

/** Serves the demo attachments' bytes (by the sha256 the register recorded). */
export function demoAttachmentLoader(db: Db): LoadAttachment {
  return async (messageSha256, path) => {
    const att = await findAttachment(db, messageSha256, path);
    return (att ? files.get(att.sha256) : undefined) ?? null;
  };
}

export { message as demoMessage, file as demoFile };
