import type { TAttachmentKind, TDocumentRole } from '@intake/domain';
import { meaningfulChars } from './pdf-text.js';
import { toMatchable } from './text-normalize.js';

export interface ClassifyRolesInput {
  filename: string;
  /** path inside the message (archives and forwarded mails joined with "/") */
  path: string;
  text?: string | null;
  hasProjectTable: boolean;
  kind: TAttachmentKind;
}

export interface RolesDecision {
  roles: TDocumentRole[];
  reasons: string[];
}

const FORMAL_NAME = /请示|申报文件|申请文件|正式文件|红头|呈报|报送.{0,30}函|的函/;
/** "关于申报…" is the request, unless the name goes on to say it is the materials or the table */
const ABOUT_NAME = /关于.{0,60}(申报|推荐|报送)/;
const MATERIALS_NAME = /附件1|附件一|申报材料|申报书|申报报告|实施方案|发展情况|发展报告|集群发展|集群材料|基本情况/;
const TABLE_NAME = /附件2|附件二|项目汇总表|重点项目表|项目表|项目清单|项目库|汇总表/;
const EVERYTHING_NAME = /全套|全部材料|及附件|含附件|和附件|材料汇编|合订/;
/** How a request to a superior ends; any one marks the covering document. */
const REQUEST_CLOSING =
  /妥否[,，]?请批示|当否[,，]?请批示|特此请示|请予批准|请予审定|请审定|请批复|妥否[,，]?请批复|特此报告|特此函告|请予支持/;
const SUBMITTER_HEAD = /(发展和改革委员会|发展和改革局|发展改革委|发展改革局|发改委|发改局|人民政府)/;
const MATERIAL_SECTIONS = [
  '基本情况',
  '产业规模',
  '创新能力',
  '重点项目',
  '发展规划',
  '协作配套',
  '发展目标',
  '保障措施',
  '发展环境',
  '产业基础',
  '主要任务',
  '龙头企业',
];
const TABLE_HEADER_WORDS = [
  /项目名称/,
  /建设单位|项目单位|承担单位|业主单位|实施单位/,
  /总投资|投资额/,
  /建设(地点|期限|年限)|起止年限/,
];

/** Which of the notice's items a file is: the covering request, the 附件1 materials, the 附件2 table. */
export function classifyRoles(input: ClassifyRolesInput): RolesDecision {
  const roles = new Set<TDocumentRole>();
  const reasons: string[] = [];
  const name = toMatchable(input.filename);
  const path = toMatchable(input.path);
  const text = input.text ?? '';
  const flat = toMatchable(text);
  const scanned = (input.kind === 'pdf' || input.kind === 'image') && meaningfulChars(text) < 50;
  const add = (role: TDocumentRole, reason: string): void => {
    roles.add(role);
    reasons.push(reason);
  };

  const notAttachment = !/附件[12一二]/.test(name.replace(/及附件|含附件|和附件/, ''));
  if (FORMAL_NAME.test(name) && notAttachment) add('formal-document', `文件名含“${FORMAL_NAME.exec(name)?.[0]}”`);
  else if (ABOUT_NAME.test(name) && notAttachment && !MATERIALS_NAME.test(name) && !TABLE_NAME.test(name))
    add('formal-document', '文件名是“关于申报……”');
  if (isFormalText(flat)) add('formal-document', '正文是请示/申报文件（发文单位、请示事项、“妥否，请批示”等）');
  if (MATERIALS_NAME.test(name) && !TABLE_NAME.test(name))
    add('materials', `文件名含“${MATERIALS_NAME.exec(name)?.[0]}”`);
  const sections = MATERIAL_SECTIONS.filter((s) => flat.includes(s));
  if (sections.length >= 2 && flat.length > 800)
    add('materials', `正文含申报材料章节：${sections.slice(0, 4).join('、')}`);

  if (input.hasProjectTable) add('project-table', '识别出项目汇总表（项目名称、建设单位、总投资等列）');
  else if (TABLE_HEADER_WORDS.filter((re) => re.test(flat)).length >= 3)
    add('project-table', '正文中有项目汇总表的表头');
  else if (TABLE_NAME.test(name) && scanned) add('project-table', '文件名是附件2/项目汇总表，且为扫描件');
  else if (TABLE_NAME.test(name)) reasons.push('文件名像附件2，但未识别出项目表');

  if (EVERYTHING_NAME.test(name) && scanned) {
    for (const role of ['formal-document', 'materials', 'project-table'] as const) roles.add(role);
    reasons.push('文件名表明是申报文件与附件的合订扫描件');
  }
  if (roles.size === 0 && path !== name && TABLE_NAME.test(path) && scanned)
    add('project-table', '所在文件夹名是附件2');
  const ordered = (['formal-document', 'materials', 'project-table'] as const).filter((r) => roles.has(r));
  return { roles: ordered, reasons };
}

function isFormalText(flat: string): boolean {
  if (!flat) return false;
  const head = flat.slice(0, 400);
  const hasRequestTitle = /关于.{0,80}(的请示|的报告|的函)/.test(head) || /请示/.test(head);
  const closing = REQUEST_CLOSING.test(flat.slice(0, 6000));
  return (
    (hasRequestTitle && (closing || SUBMITTER_HEAD.test(head))) || (closing && SUBMITTER_HEAD.test(flat.slice(0, 6000)))
  );
}

/** What the file name says about the copy type; evidence only, the content decides. */
export function copyHintFromName(filename: string): 'scan' | 'electronic' | null {
  const s = toMatchable(filename).toLowerCase();
  const scan = /扫描|盖章|签章|印章|scan/.test(s);
  const electronic = /电子版|电子文档|电子稿|可编辑|word版|文字版/.test(s);
  if (scan === electronic) return null;
  return scan ? 'scan' : 'electronic';
}
