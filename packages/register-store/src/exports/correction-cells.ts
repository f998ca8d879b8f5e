import type { TCampaignProfile } from '@intake/domain';
import {
  CORRECTION_STATUS_LABELS,
  correctionFieldLabel,
  formatCorrectionValue,
} from '../corrections/correction-labels.js';
import type { TCorrectionNote, TRegisterApplication } from './register-schema.js';
import { formatTime, type Cell } from './register-table.js';

/**
 * Which cells of the xlsx (and the HTML page) hold a corrected value, and the
 * note that goes with each: the reading, the correction, who and why. Column
 * numbers are 0-based into the rows of register-table.ts.
 */
export interface CorrectedCell {
  col: number;
  note: string;
}

/** main sheet columns of the facts staff can correct */
const MAIN_FACT_COLUMNS: Record<string, number> = {
  applicant: 1,
  cluster: 3,
  field: 4,
  'metrics.totalOutput2019': 14,
  'metrics.largeEnterprises': 15,
};

/** project sheet columns of the project fields */
const PROJECT_COLUMNS: Record<string, number> = { name: 3, owner: 4, location: 5, totalInvestment: 6, period: 7 };

export function correctionNoteText(n: TCorrectionNote, profile: TCampaignProfile): string {
  return [
    `已人工校正：${correctionFieldLabel(n.field)}`,
    `原读取值：${formatCorrectionValue(n.field, n.original)}`,
    `校正为：${formatCorrectionValue(n.field, n.value)}`,
    `校正人：${n.by}（${formatTime(n.at, profile)}）`,
    `理由：${n.reason}`,
  ].join('\n');
}

export function mainCorrectedCells(a: TRegisterApplication, profile: TCampaignProfile): CorrectedCell[] {
  const out: CorrectedCell[] = [];
  for (const [path, fact] of Object.entries(a.correctedFacts)) {
    const col = MAIN_FACT_COLUMNS[path];
    if (col === undefined) continue;
    out.push({ col, note: correctionNoteText(fact, profile) });
    if (path === 'applicant') out.push({ col: 2, note: correctionNoteText(fact, profile) });
  }
  // a corrected project table moves the counts: mark them, pointing at the 重点项目 sheet
  if (a.projects.some((p) => p.corrected) || a.excludedProjects.length > 0) {
    const n = `项目表有人工校正（见“重点项目”与“校正记录”）`;
    out.push({ col: 12, note: n }, { col: 13, note: n });
  }
  return out;
}

export function projectCorrectedCells(
  p: TRegisterApplication['projects'][number],
  profile: TCampaignProfile,
): CorrectedCell[] {
  if (!p.corrected) return [];
  if (p.added)
    return [
      {
        col: 3,
        note: `人工补录的项目\n${(p.corrections ?? []).map((c) => `校正人：${c.by}；理由：${c.reason}`).join('\n')}`,
      },
    ];
  return (p.corrections ?? []).flatMap((c) => {
    const col = PROJECT_COLUMNS[c.field];
    return col === undefined ? [] : [{ col, note: correctionNoteText(c, profile) }];
  });
}

export const CORRECTION_HEADERS = [
  '受理编号',
  '申报单位',
  '校正内容',
  '原读取值',
  '校正前',
  '校正为',
  '校正理由',
  '校正人',
  '校正时间',
  '状态',
  '撤销人',
  '撤销时间',
  '撤销理由',
];

/** The 校正记录 sheet: every correction, removed ones included, oldest first per application. */
export function correctionRows(a: TRegisterApplication, profile: TCampaignProfile): Cell[][] {
  return a.correctionLog.map((c) => [
    a.receiptNo,
    a.applicant?.name ?? '（未识别）',
    c.target,
    c.scope === 'project-added' ? '（表中没有）' : formatCorrectionValue(c.field, c.original),
    c.scope === 'project-added' ? '' : formatCorrectionValue(c.field, c.before),
    formatCorrectionValue(c.field, c.value),
    c.reason,
    c.by,
    formatTime(c.at, profile),
    CORRECTION_STATUS_LABELS[c.status] ?? c.status,
    c.removedBy ?? '',
    c.removedAt ? formatTime(c.removedAt, profile) : '',
    c.removedReason ?? '',
  ]);
}
