import { NO_ROLE_LABEL, copyLabel, roleLabel } from '@intake/domain';

/** The words for corrected fields and their values, the same on the page, in the exports and in the zip. */
export const CORRECTION_FIELD_LABELS: Readonly<Record<string, string>> = {
  applicant: '申报单位',
  cluster: '产业集群',
  field: '产业领域',
  totalOutput2019: '2019年集群总产值（亿元）',
  largeEnterprises: '产值亿元以上企业（户）',
  dataYear: '数据年份',
  name: '项目名称',
  owner: '建设单位',
  location: '建设地点',
  totalInvestment: '总投资（万元）',
  period: '建设期限',
  notProject: '是否项目',
  copy: '副本类型',
  roles: '用途',
  row: '补录项目',
};

export const CORRECTION_STATUS_LABELS: Readonly<Record<string, string>> = {
  applied: '生效',
  agrees: '新读取结果已与校正一致',
  'not-found': '重新读取后未找到对应内容',
  'not-current': '所在项目表已被后来的版本取代',
  removed: '已撤销',
};

export function correctionFieldLabel(field: string): string {
  return CORRECTION_FIELD_LABELS[field] ?? field;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A stored value in words: 长春市（220100）, 扫描版, 正式申报文件、申报材料（附件1）, 不是项目, （未知）. */
export function formatCorrectionValue(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '（未知）';
  if (field === 'applicant' && isRecord(v)) return `${String(v.name)}（${String(v.code)}）`;
  if (field === 'copy' && typeof v === 'string') return copyLabel(v);
  if (field === 'roles' && Array.isArray(v))
    return v.length ? v.map((r) => roleLabel(String(r))).join('、') : NO_ROLE_LABEL;
  if (field === 'notProject') return v === true ? '不是项目' : '是项目';
  if (field === 'row' && isRecord(v)) {
    const amount = typeof v.totalInvestment === 'number' ? `${v.totalInvestment}万元` : null;
    const parts = [v.name, v.owner, v.location, amount, v.period];
    return parts.filter((p): p is string => typeof p === 'string' && p !== '').join('；');
  }
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
