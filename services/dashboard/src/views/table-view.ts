import { FLAG_LABELS, PROBLEM_FLAGS, type TCampaignProfile, type ApplicantDirectory } from '@intake/domain';
import type { ApplicationSummary } from '@intake/register-store';
import { html, type SafeHtml } from '../html.js';
import { flagLabel, formatNumber, formatTime, reviewLabel, REVIEW_LABELS } from '../labels.js';
import type { TableQuery } from '../table-query.js';
import { queryString } from '../table-query.js';

export function yesNo(v: boolean): SafeHtml {
  return v ? html`<span class="yes" title="有">✓</span>` : html`<span class="no" title="无">✗</span>`;
}

export function renderFlagChips(codes: readonly string[], labels: Record<string, string> = {}): SafeHtml {
  return html`${codes.map((c) => html`<span class="flag ${PROBLEM_FLAGS.has(c as never) || c === 'LATE' ? '' : 'info'}">${labels[c] ?? flagLabel(c)}</span>`)}`;
}

export function renderRow(
  r: ApplicationSummary,
  tz: string,
  opts: { links?: boolean; labels?: Record<string, string> } = {},
): SafeHtml {
  const no = opts.links === false ? html`${r.receiptNo}` : html`<a href="/applications/${r.id}">${r.receiptNo}</a>`;
  return html`<tr>
<td class="nowrap">${no}</td>
<td>${r.applicant?.name ?? html`<span class="no">未识别</span>`}</td>
<td>${r.cluster ?? '—'}</td><td class="nowrap">${r.field ?? '—'}</td>
<td class="nowrap">${formatTime(r.firstReceivedAt, tz)}</td><td class="nowrap">${formatTime(r.lastReceivedAt, tz)}</td>
<td>${yesNo(r.copies.scan)}</td><td>${yesNo(r.copies.electronic)}</td>
<td>${yesNo(r.documents.formalDocument)}</td><td>${yesNo(r.documents.materials)}</td><td>${yesNo(r.documents.projectTable)}</td>
<td class="num">${formatNumber(r.projectCount)}</td><td class="num">${formatNumber(r.largeProjects)}</td>
<td class="num">${formatNumber(r.totalOutput2019)}</td>
<td>${r.validated ? renderFlagChips(r.flagCodes, opts.labels) : html`<span class="muted">校验中…</span>`}</td>
<td><span class="status ${r.reviewStatus}">${reviewLabel(r.reviewStatus)}</span></td>
</tr>`;
}

export const TABLE_HEAD = html`<thead><tr>
<th>受理编号</th><th>申报单位</th><th>产业集群</th><th>领域</th><th>首次收件</th><th>最近收件</th>
<th title="扫描版">扫描</th><th title="电子版">电子</th><th title="正式申报文件">正式文件</th><th title="申报材料（附件1）">附件1</th><th title="重点项目汇总表（附件2）">附件2</th>
<th class="num">项目数</th><th class="num" title="总投资3000万元以上项目">≥3000万</th><th class="num" title="2019年集群总产值（亿元）">2019产值（亿元）</th>
<th>问题标记</th><th>审核状态</th></tr></thead>`;

export function renderTbody(
  rows: readonly ApplicationSummary[],
  tz: string,
  meta: { version: string; total: number },
  emptyText: string,
): SafeHtml {
  return html`<tbody data-version="${meta.version}" data-total="${meta.total}">${
    rows.length ? rows.map((r) => renderRow(r, tz)) : html`<tr><td colspan="16" class="empty">${emptyText}</td></tr>`
  }</tbody>`;
}

function option(value: string, label: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}

export function renderFilters(q: TableQuery, profile: TCampaignProfile, directory: ApplicantDirectory): SafeHtml {
  const units = [...directory.units].sort((a, b) => a.code.localeCompare(b.code));
  return html`<form class="filters" method="get" action="/applications">
<label>搜索<input type="search" name="q" value="${q.search ?? ''}" placeholder="编号、单位、集群、主题、发件人"></label>
<label>问题标记<select name="flag">${option('', '全部', q.flag)}${Object.entries(FLAG_LABELS).map(([c, l]) => option(c, profile.labels[c] ?? l, q.flag))}</select></label>
<label>申报单位<select name="applicant">${option('', '全部', q.applicantCode)}${units.map((u) => option(u.code, u.level === 'county' ? `\u3000${u.name}` : u.name, q.applicantCode))}</select></label>
<label>领域<select name="field">${option('', '全部', q.field)}${profile.fields.map((f) => option(f.name, f.name, q.field))}</select></label>
<label>审核状态<select name="status">${option('', '全部', q.reviewStatus)}${Object.keys(REVIEW_LABELS).map((k) => option(k, reviewLabel(k), q.reviewStatus))}</select></label>
<label>排序<select name="sort">${[
    ['-lastReceivedAt', '最近收件（新→旧）'],
    ['lastReceivedAt', '最近收件（旧→新）'],
    ['-firstReceivedAt', '首次收件（新→旧）'],
    ['firstReceivedAt', '首次收件（旧→新）'],
    ['receiptNo', '受理编号'],
    ['applicant', '申报单位'],
  ].map(([v, l]) => option(v!, l!, q.sort))}</select></label>
${q.problems ? html`<input type="hidden" name="problems" value="1">` : ''}
<button type="submit">筛选</button> <a class="btn light" href="/applications">清除</a>
</form>`;
}

export function renderPager(q: TableQuery, total: number): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / q.pageSize));
  const link = (p: number, label: string): SafeHtml =>
    html`<a class="btn light" href="/applications?${queryString({ ...q, page: p })}">${label}</a>`;
  return html`<div class="pager">共 <b data-total>${total}</b> 项 · 第 ${q.page} / ${pages} 页
${q.page > 1 ? link(q.page - 1, '上一页') : ''}${q.page < pages ? link(q.page + 1, '下一页') : ''}</div>`;
}

export function renderTableBody(data: {
  rows: readonly ApplicationSummary[];
  total: number;
  version: string;
  query: TableQuery;
  profile: TCampaignProfile;
  directory: ApplicantDirectory;
  registerEmpty: boolean;
}): SafeHtml {
  const { query: q } = data;
  const emptyText = data.registerEmpty
    ? '尚未收到申报邮件。收到的邮件登记后会自动出现在这里。'
    : '没有符合条件的申报。';
  return html`<h1>申报登记表 <span class="live" data-live-badge>实时更新</span></h1>
${renderFilters(q, data.profile, data.directory)}
<div class="table-wrap"><table class="register">${TABLE_HEAD}
<tbody data-live="/applications/rows?${queryString(q)}" data-version="${data.version}" data-total="${data.total}">${
    data.rows.length
      ? data.rows.map((r) => renderRow(r, data.profile.timezone, { labels: data.profile.labels }))
      : html`<tr><td colspan="16" class="empty">${emptyText}</td></tr>`
  }</tbody></table></div>
${renderPager(q, data.total)}`;
}
