import type { TAttachmentKind, TCopyType, TDocumentRole } from './parsed-message.js';

/**
 * The one wording of each role, copy type and kind, in the reply (回执), the
 * dashboard, the exports and the experts' zip. An applicant who reads
 * "重点项目汇总表（附件2）" in the reply must find the same words on the
 * register a clerk reads out to them. Flag labels live beside these in flags.ts.
 */
export const ROLE_LABELS: Readonly<Record<TDocumentRole, string>> = {
  'formal-document': '正式申报文件',
  materials: '申报材料（附件1）',
  'project-table': '重点项目汇总表（附件2）',
};

export const COPY_LABELS: Readonly<Record<TCopyType, string>> = {
  scan: '扫描版',
  electronic: '电子版',
  unknown: '副本类型未识别',
};

export const KIND_LABELS: Readonly<Record<TAttachmentKind, string>> = {
  spreadsheet: '表格',
  pdf: 'PDF',
  document: '文档',
  image: '图片',
  archive: '压缩包',
  email: '邮件',
  other: '其他',
};

/** The three documents the notice asks for, in the notice's order, as one phrase: "A、B和C" (joiner "、" gives "A、B、C"). */
export function requiredDocumentsPhrase(lastJoiner: '和' | '、' = '和'): string {
  const [first, second, third] = [ROLE_LABELS['formal-document'], ROLE_LABELS.materials, ROLE_LABELS['project-table']];
  return `${first}、${second}${lastJoiner}${third}`;
}

/** An attachment none of the roles fits. */
export const NO_ROLE_LABEL = '用途未识别';

/** A role, copy type or kind by its code; an unknown code (from an older register row) is shown as itself. */
export function roleLabel(code: string): string {
  return (ROLE_LABELS as Record<string, string>)[code] ?? code;
}

export function copyLabel(code: string): string {
  return (COPY_LABELS as Record<string, string>)[code] ?? code;
}

export function kindLabel(code: string): string {
  return (KIND_LABELS as Record<string, string>)[code] ?? code;
}

/** Items the notice asks for: the three documents and the two copies, by their code. */
export function itemLabel(code: string): string {
  return (ROLE_LABELS as Record<string, string>)[code] ?? (COPY_LABELS as Record<string, string>)[code] ?? code;
}
