import type { TFlag } from './parsed-message.js';

/** Flag codes of ../shared/notice/RULES.md. Stable: users filter on them. */
export const FLAG_LABELS = {
  LATE: '逾期报送',
  MISSING_SCAN: '缺少扫描版',
  MISSING_ELECTRONIC: '缺少电子版',
  MISSING_FORMAL_DOCUMENT: '缺少正式申报文件',
  MISSING_MATERIALS: '缺少申报材料（附件1）',
  MISSING_PROJECT_TABLE: '缺少重点项目汇总表（附件2）',
  FEW_LARGE_ENTERPRISES: '亿元以上企业不足5户',
  LOW_TOTAL_OUTPUT: '2019年集群总产值不足50亿元',
  FEW_LARGE_PROJECTS: '3000万元以上项目不足10个',
  NOT_FOCUS_AREA: '非重点支持领域',
  UNKNOWN_APPLICANT: '无法识别申报单位',
  WRONG_DATA_YEAR: '数据年份不是2019年',
  DUPLICATE_PROJECT: '项目与其他申报重复',
  UNREADABLE_ATTACHMENT: '附件无法读取',
  UNVERIFIED_SENDER: '发件人未通过验证',
  SCAN_ELECTRONIC_MISMATCH: '扫描版与电子版不一致',
  LINKED_ATTACHMENT: '附件以链接方式提供',
  UNCONFIRMED_SENDER: '发件人邮箱未确认',
} as const;

export type FlagCode = keyof typeof FLAG_LABELS;
export const FLAG_CODES = Object.keys(FLAG_LABELS) as FlagCode[];

/** Flags that mean "something the applicant still has to send or fix". */
export const PROBLEM_FLAGS: ReadonlySet<FlagCode> = new Set<FlagCode>([
  'MISSING_SCAN',
  'MISSING_ELECTRONIC',
  'MISSING_FORMAL_DOCUMENT',
  'MISSING_MATERIALS',
  'MISSING_PROJECT_TABLE',
  'UNREADABLE_ATTACHMENT',
  'UNKNOWN_APPLICANT',
  'WRONG_DATA_YEAR',
]);

export function makeFlag(code: FlagCode, detail: string, labels: Partial<Record<string, string>> = {}): TFlag {
  return { code, label: labels[code] ?? FLAG_LABELS[code], detail };
}

export function isFlagCode(code: string): code is FlagCode {
  return Object.prototype.hasOwnProperty.call(FLAG_LABELS, code);
}
