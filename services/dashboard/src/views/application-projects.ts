import type { TEvidence, TMetrics } from '@intake/domain';
import { formatCorrectionValue, type ApplicationDetail, type RegisterProject } from '@intake/register-store';
import { html, type SafeHtml } from '../html.js';
import { formatNumber, formatTime } from '../labels.js';
import {
  addedRowForm,
  correctedMark,
  fixForm,
  projectFixForm,
  textInput,
  type CorrectionUi,
} from './correction-forms.js';

type ProjectCell = 'name' | 'owner' | 'location' | 'totalInvestment' | 'period';

/** A cell staff corrected: the value that counts, marked, with the reading beneath. */
function cell(p: RegisterProject, field: ProjectCell, shown: string, tz: string): SafeHtml {
  const c = p.corrections.find((x) => x.field === field);
  if (!c || !p.reading) return html`${shown}`;
  const title = `校正人：${c.actor}（${formatTime(c.at, tz)}）；理由：${c.reason}`;
  return html`<span class="corrected" title="${title}">${shown}</span><div class="reading">原读取值：${formatCorrectionValue(field, p.reading[field])}</div>`;
}

function source(p: RegisterProject): string {
  if (!p.reading) return '人工补录';
  return `${p.source ? `${p.source} · ` : ''}${p.sheet} 第${p.row}行`;
}

function projectRow(ui: CorrectionUi, p: RegisterProject, i: number, big: number): SafeHtml {
  const tz = ui.timezone;
  const inv = p.totalInvestment;
  return html`<tr class="${p.corrections.length ? 'has-fix' : ''}"><td class="num">${i + 1}</td><td>${cell(p, 'name', p.name, tz)}</td>
<td>${cell(p, 'owner', p.owner ?? '—', tz)}</td><td>${cell(p, 'location', p.location ?? '—', tz)}</td>
<td class="num ${inv !== null && inv >= big ? 'yes' : ''}">${cell(p, 'totalInvestment', formatNumber(inv), tz)}</td>
<td class="nowrap">${cell(p, 'period', p.period ?? '—', tz)}</td>
<td class="sub">${source(p)}${p.reading ? '' : html` <span class="corrected-mark">补录</span>`}</td>
<td class="fix-cell">${projectFixForm(ui, p)}</td></tr>`;
}

/** Rows of the table the reader did not count (sections, subtotals, notes …), with why: staff may add one back. */
function renderSkipped(evidence: readonly TEvidence[]): SafeHtml {
  const rows = evidence.filter((e) => e.field === 'skippedRow');
  if (rows.length === 0) return html``;
  return html`<details class="skipped"><summary>读取时未计入的行（${rows.length}）</summary><table><thead><tr><th>内容</th><th>判断</th><th>位置</th></tr></thead><tbody>
${rows.map((e) => html`<tr><td>${e.text}</td><td>${e.reason ?? (e.value === null ? '' : String(e.value))}</td><td class="sub">${e.range ?? e.source}</td></tr>`)}
</tbody></table><p class="sub">如有项目被误判未计入，请用“补录遗漏的项目”补录。</p></details>`;
}

/** The current project table as it counts, rows marked "not a project" apart, and the form to add a row. */
export function renderProjects(
  ui: CorrectionUi,
  app: ApplicationDetail,
  bigWan: number,
  evidence: readonly TEvidence[] = [],
): SafeHtml {
  const ps = app.projects;
  const table =
    ps.length === 0
      ? html`<p class="muted">未读取到重点项目汇总表。</p>`
      : html`<div class="table-wrap"><table class="projects"><thead><tr><th>#</th><th>项目名称</th><th>建设单位</th><th>建设地点</th><th class="num">总投资（万元）</th><th>建设期限</th><th>来源</th><th></th></tr></thead><tbody>
${ps.map((p, i) => projectRow(ui, p, i, bigWan))}
</tbody></table></div>`;
  const excluded = app.excludedProjects.length
    ? html`<h3>已标记为“不是项目”的行（不计入项目数和总投资）</h3><table class="excluded"><thead><tr><th>读取的内容</th><th class="num">总投资（万元）</th><th>来源</th><th>标记</th><th></th></tr></thead><tbody>
${app.excludedProjects.map((p) => {
  const c = p.corrections.find((x) => x.field === 'notProject');
  return html`<tr><td>${p.name}${p.owner ? html`<div class="sub">${p.owner}</div>` : ''}</td><td class="num">${formatNumber(p.totalInvestment)}</td><td class="sub">${source(p)}</td>
<td class="sub">${c ? `${c.actor}：${c.reason}` : ''}</td><td class="fix-cell">${projectFixForm(ui, p)}</td></tr>`;
})}</tbody></table>`
    : html``;
  return html`${table}${excluded}${renderSkipped(evidence)}${addedRowForm(ui, null)}`;
}

const FIGURES = [
  { kind: 'totalOutput2019', label: '2019年集群总产值（亿元）' },
  { kind: 'largeEnterprises', label: '产值亿元以上企业（户）' },
  { kind: 'dataYear', label: '数据年份' },
] as const;

function evidenceCell(ev: readonly TEvidence[]): SafeHtml {
  return ev.length
    ? html`${ev.map((e) => html`<div class="evidence">“${e.text}” <span class="muted">— ${e.source}</span></div>`)}`
    : html`<span class="muted">无原文依据</span>`;
}

/** The 2019 figures (correctable, with the sentence each was read from) and the project table's totals. */
const EVIDENCE_LABELS: Record<string, string> = {
  applicant: '申报单位',
  cluster: '产业集群',
  field: '产业领域',
  totalOutput: '其他年份的总产值',
  projectTable: '项目表位置',
  investmentUnit: '金额单位',
  linkedAttachment: '以链接提供的附件',
};

export function renderFigures(
  ui: CorrectionUi,
  app: ApplicationDetail,
  evidence: readonly TEvidence[],
  bigWan: number,
): SafeHtml {
  const m: Partial<TMetrics> = app.evaluation?.metrics ?? {};
  const read: Partial<TMetrics> = app.evaluation?.reading?.metrics ?? m;
  const figure = (f: (typeof FIGURES)[number]): SafeHtml => {
    const value = m[f.kind] ?? null;
    const c = app.factCorrections[f.kind];
    const shown = f.kind === 'dataYear' ? (value === null ? '—' : String(value)) : formatNumber(value);
    const form = fixForm(ui, {
      id: `fix-${f.kind}`,
      kind: f.kind,
      summary: '校正',
      reading: formatCorrectionValue(f.kind, read[f.kind] ?? null),
      fields: textInput(ui, `fix-${f.kind}`, 'value', f.label, value === null ? '' : String(value)),
    });
    return html`<tr><td>${f.label}</td><td class="num">${shown}${correctedMark(c, read[f.kind] ?? null, ui.timezone)}</td>
<td>${evidenceCell(evidence.filter((e) => e.field === f.kind))}</td><td class="fix-cell">${form}</td></tr>`;
  };
  const total = (label: string, k: 'projectCount' | 'largeProjects' | 'totalInvestment'): SafeHtml =>
    html`<tr><td>${label}</td><td class="num">${formatNumber(m[k] ?? null)}${
      (read[k] ?? null) !== (m[k] ?? null)
        ? html`<span class="reading">（按读取：${formatNumber(read[k] ?? null)}）</span>`
        : ''
    }</td><td class="muted">附件2${app.projects.some((p) => p.corrections.length) || app.excludedProjects.length ? '（含人工校正）' : ''}</td><td></td></tr>`;
  // rows the reader left out are shown with the project table, where staff can add one back
  const others = evidence.filter((e) => !FIGURES.some((f) => f.kind === e.field) && e.field !== 'skippedRow');
  return html`<table class="figures"><thead><tr><th>指标</th><th class="num">数值</th><th>原文依据</th><th></th></tr></thead><tbody>
${FIGURES.map(figure)}
${total('重点项目（个）', 'projectCount')}
${total(`${bigWan}万元以上项目（个）`, 'largeProjects')}
${total('项目总投资（万元）', 'totalInvestment')}
${others.map((e) => html`<tr><td>${EVIDENCE_LABELS[e.field] ?? e.field}</td><td class="num">${e.value === null ? '—' : String(e.value)}</td><td>${evidenceCell([e])}</td><td></td></tr>`)}
</tbody></table>`;
}
