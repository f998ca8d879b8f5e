import PDFDocument from 'pdfkit';
import type { TCopyType, TDocumentRole } from '@intake/domain';
import {
  composeMail,
  makeProjectTableXlsx,
  makeScanPdf,
  makeTextPdf,
  type ProjectSpec,
} from '@intake/fixture-generator';

/**
 * Three submissions written for the corrections test (issue 11), with the
 * misreadings staff meet in real tables:
 *  - 长春市's 附件2 lists nine real projects, one whose 总投资 was typed 2800
 *    (the sealed original says 28000), and a section heading row that carries
 *    its section's subtotal in the amount column. No keyword marks it (no
 *    小计/合计/一、): a reader cannot tell it from a project, staff can.
 *  - 吉林市's sealed request is a PDF the scanner software exported as vector
 *    drawing (no text layer, no image), so its copy type reads as unknown and
 *    the application lacks a scan.
 *  - a second mail of 长春市 whose cluster wording (医药健康) makes a second
 *    application of what is one: staff merge it.
 */
export const CC_REAL = Array.from({ length: 9 }, (_, i) => `长春生物医药项目${'甲乙丙丁戊己庚辛壬'[i]}`);
export const CC_MISREAD = '长春疫苗产业基地扩建项目';
export const CC_SECTION = '生物医药产业化重点项目（5项）';
export const JL_SHARED = { name: '吉林碳纤维复材产业园项目', owner: '吉林化纤集团有限责任公司' };

const DATE = new Date('2020-05-11T02:00:00Z');

function spec(name: string, owner: string, wan: number): ProjectSpec {
  return {
    name,
    owner,
    location: '长春新区',
    content: '厂房及配套设施建设',
    investmentWan: wan,
    period: '2021-2023',
    plan2020Wan: Math.round(wan / 5),
    progress: '前期',
  };
}

/** A one-page PDF of vector drawing only: a red seal and ruled lines, no text, no image. */
function vectorOnlyPdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { CreationDate: DATE, ModDate: DATE }, autoFirstPage: true });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.lineWidth(3).strokeColor('#d2141e').circle(420, 620, 60).stroke();
    for (let y = 160; y < 560; y += 28) doc.lineWidth(0.8).strokeColor('#222').moveTo(90, y).lineTo(505, y).stroke();
    doc.end();
  });
}

function materials(office: string, cluster: string, outputYi: number, enterprises: number): Promise<Buffer> {
  return makeTextPdf(`${cluster}申报材料`, [
    { text: `${cluster}申报材料`, style: 'title' },
    { text: '一、集群基本情况', style: 'heading' },
    {
      text: `2019年，集群实现总产值${outputYi}亿元，同比增长8.5%，产值亿元以上企业${enterprises}户，实现利税9.6亿元。`,
    },
    { text: office, style: 'right' },
  ]);
}

type MailFile = Parameters<typeof composeMail>[0]['files'][number];

export interface CorrectionMail {
  raw: Buffer;
  internalDate: Date;
}

async function mail(o: {
  from: { name: string; address: string };
  subject: string;
  text: string;
  id: string;
  files: MailFile[];
  at: string;
}): Promise<CorrectionMail> {
  const raw = await composeMail({
    from: o.from,
    subject: o.subject,
    text: o.text,
    date: new Date(o.at),
    messageId: `<${o.id}@corrections.test>`,
    boundary: `b-${o.id}`,
    files: o.files,
  });
  return { raw, internalDate: new Date(o.at) };
}

/** A file of the mail, with what the notice would call it (the reader may well say otherwise: that is the point). */
function pdf(filename: string, content: Buffer, copy: TCopyType, roles: TDocumentRole[]): MailFile {
  return { filename, content, contentType: 'application/pdf', kind: 'pdf', copy, roles };
}

function xlsx(filename: string, content: Buffer): MailFile {
  return {
    filename,
    content,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    kind: 'spreadsheet',
    copy: 'electronic',
    roles: ['project-table'],
  };
}

export async function changchunMail(): Promise<CorrectionMail> {
  const cluster = '长春市生物医药产业集群';
  const rows = [
    spec(CC_SECTION, '长春新区管委会', 52000),
    ...CC_REAL.map((n, i) => spec(n, `长春${'甲乙丙丁戊己庚辛壬'[i]}生物科技有限公司`, 5000 + i * 100)),
    spec(CC_MISREAD, '长春疫苗研究所有限公司', 2800),
  ];
  return mail({
    from: { name: '长春市发展和改革委员会', address: 'gjc@changchun.gov.test' },
    subject: `${cluster}申报材料（正式文件、附件1、附件2）`,
    text: `省发展改革委高技术处：\n    现将${cluster}申报材料报上，请审阅。\n长春市发展和改革委员会`,
    id: 'cc-1',
    at: '2020-05-11T02:00:00Z',
    files: [
      pdf(`关于申报${cluster}的请示（盖章扫描件）.pdf`, await makeScanPdf({ pages: ['formal'], seed: 11 }), 'scan', [
        'formal-document',
      ]),
      pdf(`附件1：${cluster}申报材料.pdf`, await materials('长春市发展和改革委员会', cluster, 80, 7), 'electronic', [
        'materials',
      ]),
      xlsx(
        `附件2：2020年${cluster}重点项目汇总表.xlsx`,
        await makeProjectTableXlsx({
          title: `2020年${cluster}重点项目汇总表`,
          office: '长春市发展和改革委员会',
          projects: rows,
          variant: 'plain',
          totalRow: false,
        }),
      ),
    ],
  });
}

export async function jilinMail(): Promise<CorrectionMail> {
  const cluster = '吉林市化工新材料产业集群';
  const rows = [
    { ...spec(JL_SHARED.name, JL_SHARED.owner, 36000), location: '吉林经开区' },
    ...Array.from({ length: 10 }, (_, i) => ({
      ...spec(`吉林新材料项目${i + 1}号`, `吉林新材料${i + 1}有限公司`, 4000 + i * 100),
      location: '吉林化工园区',
    })),
  ];
  return mail({
    from: { name: '吉林市发展和改革委员会', address: 'gjk@jilin.gov.test' },
    subject: `${cluster}申报材料`,
    text: `省发展改革委高技术处：\n    现将${cluster}申报材料报上，请审阅。\n吉林市发展和改革委员会`,
    id: 'jl-1',
    at: '2020-05-12T03:00:00Z',
    files: [
      // a scan in fact (the sealed request), which the reader cannot tell
      pdf(`关于申报${cluster}的请示.pdf`, await vectorOnlyPdf(), 'scan', ['formal-document']),
      pdf(`附件1：${cluster}申报材料.pdf`, await materials('吉林市发展和改革委员会', cluster, 60, 6), 'electronic', [
        'materials',
      ]),
      xlsx(
        `附件2：2020年${cluster}重点项目汇总表.xlsx`,
        await makeProjectTableXlsx({
          title: `2020年${cluster}重点项目汇总表`,
          office: '吉林市发展和改革委员会',
          projects: rows,
          variant: 'plain',
          totalRow: false,
        }),
      ),
    ],
  });
}

export async function changchunSecondMail(): Promise<CorrectionMail> {
  const cluster = '长春市医药健康产业集群';
  return mail({
    from: { name: '长春市发展和改革委员会', address: 'gjc@changchun.gov.test' },
    subject: `${cluster}补充材料`,
    text: `省发展改革委高技术处：\n    现补报${cluster}申报材料电子版。\n长春市发展和改革委员会`,
    id: 'cc-2',
    at: '2020-05-13T04:00:00Z',
    files: [
      pdf(
        `附件1：${cluster}申报材料（电子版）.pdf`,
        await materials('长春市发展和改革委员会', cluster, 80, 7),
        'electronic',
        ['materials'],
      ),
    ],
  });
}
