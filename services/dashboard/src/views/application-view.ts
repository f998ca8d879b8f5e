import {
  NO_ROLE_LABEL,
  copyLabel,
  kindLabel,
  roleLabel,
  type ApplicantDirectory,
  type TAttachment,
  type TCampaignProfile,
  type TEvidence,
  type TFlag,
} from '@intake/domain';
import type { ApplicationDetail, AuditEntry, RegisteredMessage } from '@intake/register-store';
import { html, type SafeHtml } from '../html.js';
import {
  ACK_LABELS,
  AUDIT_LABELS,
  REVIEW_ACTIONS,
  flagLabel,
  formatBytes,
  formatNumber,
  formatTime,
  reviewLabel,
} from '../labels.js';
import type { AckText } from '@intake/register-store';
import { canReview, type StaffUser } from '../users.js';
import { yesNo } from './table-view.js';

export interface ApplicationPageData {
  app: ApplicationDetail;
  audit: AuditEntry[];
  evidence: Map<number, TEvidence[]>;
  ackTexts: Map<string, AckText>;
  profile: TCampaignProfile;
  directory: ApplicantDirectory;
  user: StaffUser;
  csrf: string;
  canTrigger: boolean;
  notice?: string | null;
}

const EVIDENCE_LABELS: Record<string, string> = {
  totalOutput2019: '2019年集群总产值（亿元）',
  largeEnterprises: '产值亿元以上企业（户）',
  dataYear: '数据年份',
  applicant: '申报单位',
  cluster: '产业集群',
  field: '产业领域',
};

export function fileUrl(kind: 'files' | 'preview', messageSha256: string, path: string): string {
  return `/${kind}/${messageSha256}?path=${encodeURIComponent(path)}`;
}

function isPreviewable(a: TAttachment): 'pdf' | 'image' | null {
  if (a.error) return null;
  if (a.kind === 'pdf') return 'pdf';
  // SVG is an image that runs script: never previewed
  if (a.kind === 'image' && /\.(png|jpe?g|gif|bmp|webp|tiff?)$/i.test(a.filename)) return 'image';
  return null;
}

function renderAttachment(m: RegisteredMessage, a: TAttachment): SafeHtml {
  const preview = isPreviewable(a);
  const src = fileUrl('preview', m.sha256, a.path);
  return html`<div class="att">
<div class="name">${a.filename}</div>
<div class="sub">${kindLabel(a.kind)} · ${copyLabel(a.copy)} · ${formatBytes(a.bytes)}
${a.roles.length ? html` · 识别为：<b>${a.roles.map(roleLabel).join('、')}</b>` : ` · ${NO_ROLE_LABEL}`}
${a.path !== a.filename ? html` · 位置：${a.path}` : ''}</div>
${a.error ? html`<div class="err">无法读取：${a.error}</div>` : ''}
<div class="actions"><a href="${fileUrl('files', m.sha256, a.path)}" download>下载原件</a>
${
  preview
    ? html`<details><summary>预览</summary>${
        preview === 'pdf'
          ? html`<iframe src="${src}" title="${a.filename}" loading="lazy"></iframe>`
          : html`<img class="preview" src="${src}" alt="${a.filename}" loading="lazy">`
      }</details>`
    : ''
}</div>
</div>`;
}

function renderAck(m: RegisteredMessage, text: AckText | undefined, tz: string): SafeHtml {
  const ack = m.ack;
  const status = ack
    ? html`<span class="status ${ack.status === 'sent' ? 'preliminary-passed' : ack.status === 'skipped' ? 'preliminary-failed' : ''}">${ACK_LABELS[ack.status] ?? ack.status}</span>
${ack.at ? html` ${formatTime(ack.at, tz)}` : ''}${ack.reason ? html` <span class="muted">（${ack.reason}）</span>` : ''}`
    : html`<span class="muted">回执待生成</span>`;
  return html`<div>回执：${status}
${text?.text ? html`<details><summary>查看回执内容${text.toAddress ? html`（发往 ${text.toAddress}）` : ''}</summary><pre class="reply">${text.subject ? `主题：${text.subject}\n\n` : ''}${text.text}</pre></details>` : ''}</div>`;
}

function renderMessage(d: ApplicationPageData, m: RegisteredMessage): SafeHtml {
  const tz = d.profile.timezone;
  const review = canReview(d.user);
  return html`<li class="${m.late ? 'late' : ''}" id="m${m.id}">
<div><b>${m.subject || '（无主题）'}</b></div>
<div class="meta">${m.receiptNo} · 发件人：${m.from} · 服务器收件时间：${formatTime(m.receivedAt, tz)}${m.late ? html` · <span class="no">逾期</span>` : ''}${m.assignedManually ? ' · 人工归属' : ''}</div>
${m.flags.length ? html`<div>${m.flags.map((f) => html`<span class="flag info" title="${f.detail}">${flagLabel(f.code, f.label)}</span>`)}</div>` : ''}
${renderAck(m, d.ackTexts.get(m.sha256), tz)}
${m.bodyExcerpt ? html`<details><summary>正文摘录</summary><pre class="reply">${m.bodyExcerpt}</pre></details>` : ''}
${m.attachments.length ? m.attachments.map((a) => renderAttachment(m, a)) : html`<div class="muted">无附件</div>`}
${
  review
    ? html`<details><summary>改归属 / 重发回执</summary>
<form class="inline-form" method="post" action="/messages/${m.id}/reassign"><input type="hidden" name="_csrf" value="${d.csrf}">
<label>转到受理编号 <input type="text" name="receiptNo" size="12" placeholder="2020-0001"></label> 或单位
<select name="applicantCode"><option value="">—</option>${d.directory.units.map((u) => html`<option value="${u.code}">${u.name}</option>`)}</select>
<input type="text" name="cluster" placeholder="产业集群名称（可选）"><button type="submit" class="light">改归属</button></form>
${d.canTrigger ? html`<form class="inline-form" method="post" action="/messages/${m.sha256}/resend-reply"><input type="hidden" name="_csrf" value="${d.csrf}"><button type="submit" class="light">重发回执</button></form>` : ''}
</details>`
    : ''
}
</li>`;
}

function renderFlags(flags: readonly TFlag[]): SafeHtml {
  if (flags.length === 0) return html`<p class="yes">未发现问题</p>`;
  return html`<table><thead><tr><th>标记</th><th>说明</th></tr></thead><tbody>${flags.map((f) => html`<tr><td class="nowrap"><span class="flag">${flagLabel(f.code, f.label)}</span></td><td>${f.detail}</td></tr>`)}</tbody></table>`;
}

function renderFigures(d: ApplicationPageData): SafeHtml {
  const m = d.app.evaluation?.metrics;
  const all = [...d.evidence.values()].flat();
  const figure = (label: string, value: string, field: string): SafeHtml => {
    const ev = all.filter((e) => e.field === field);
    return html`<tr><td>${label}</td><td class="num">${value}</td><td>${ev.length ? ev.map((e) => html`<div class="evidence">“${e.text}” <span class="muted">— ${e.source}</span></div>`) : html`<span class="muted">无原文依据</span>`}</td></tr>`;
  };
  return html`<table><thead><tr><th>指标</th><th class="num">数值</th><th>原文依据</th></tr></thead><tbody>
${figure('2019年集群总产值（亿元）', formatNumber(m?.totalOutput2019 ?? null), 'totalOutput2019')}
${figure('产值亿元以上企业（户）', formatNumber(m?.largeEnterprises ?? null), 'largeEnterprises')}
${figure('数据年份', m?.dataYear ? String(m.dataYear) : '—', 'dataYear')}
<tr><td>重点项目（个）</td><td class="num">${formatNumber(m?.projectCount ?? null)}</td><td class="muted">附件2</td></tr>
<tr><td>3000万元以上项目（个）</td><td class="num">${formatNumber(m?.largeProjects ?? null)}</td><td class="muted">附件2</td></tr>
<tr><td>项目总投资（万元）</td><td class="num">${formatNumber(m?.totalInvestment ?? null)}</td><td class="muted">附件2</td></tr>
${all.filter((e) => !['totalOutput2019', 'largeEnterprises', 'dataYear'].includes(e.field)).map((e) => html`<tr><td>${EVIDENCE_LABELS[e.field] ?? e.field}</td><td class="num">${e.value === null ? '—' : String(e.value)}</td><td><div class="evidence">“${e.text}” <span class="muted">— ${e.source}</span></div></td></tr>`)}
</tbody></table>`;
}

function renderProjects(d: ApplicationPageData): SafeHtml {
  const ps = d.app.projects;
  if (ps.length === 0) return html`<p class="muted">未读取到重点项目汇总表。</p>`;
  const big = d.profile.thresholds.largeProjectInvestmentWan;
  return html`<div class="table-wrap"><table><thead><tr><th>#</th><th>项目名称</th><th>建设单位</th><th>建设地点</th><th class="num">总投资（万元）</th><th>建设期限</th><th>来源</th></tr></thead><tbody>
${ps.map(
  (
    p,
    i,
  ) => html`<tr><td class="num">${i + 1}</td><td>${p.name}</td><td>${p.owner ?? '—'}</td><td>${p.location ?? '—'}</td>
<td class="num ${p.totalInvestment !== null && p.totalInvestment >= big ? 'yes' : ''}">${formatNumber(p.totalInvestment)}</td><td class="nowrap">${p.period ?? '—'}</td>
<td class="sub">${p.source ? `${p.source} · ` : ''}${p.sheet} 第${p.row}行</td></tr>`,
)}
</tbody></table></div>`;
}

function renderReview(d: ApplicationPageData): SafeHtml {
  const a = d.app;
  const current = html`<p>当前状态：<span class="status ${a.reviewStatus}">${reviewLabel(a.reviewStatus)}</span>${a.reviewNote ? html` — ${a.reviewNote}` : ''}</p>`;
  if (!canReview(d.user)) return html`${current}<p class="muted">只读账号不能修改审核状态。</p>`;
  return html`${current}<form method="post" action="/applications/${a.id}/review" class="review-form">
<input type="hidden" name="_csrf" value="${d.csrf}">
<div class="inline-form"><label for="review-status">审核结论</label><select id="review-status" name="status">${REVIEW_ACTIONS.map((s) => html`<option value="${s}"${s === a.reviewStatus ? html` selected` : ''}>${reviewLabel(s)}</option>`)}</select></div>
<textarea name="note" placeholder="审核意见（初审不通过时必填）" maxlength="2000">${a.reviewNote ?? ''}</textarea>
<div class="inline-form"><button type="submit">保存审核结论</button></div></form>`;
}

/** An audit detail as text: details are our own JSON, but older rows may lack a field. */
function detail(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

function describeAudit(e: AuditEntry): string {
  const det = e.details;
  if (e.action === 'review-status')
    return `${reviewLabel(detail(det.from))} → ${reviewLabel(detail(det.to))}${det.note ? `；意见：${detail(det.note)}` : ''}`;
  if (e.action === 'message-registered') return `来件 ${detail(det.receiptNo)}`;
  if (e.action === 'message-regrouped') return `重新处理后归入 ${detail(det.to)}（原 ${detail(det.from)}）`;
  if (e.action === 'message-reprocessed') return `解析版本 ${detail(det.parserVersion)}`;
  if (e.action.startsWith('message-reassigned'))
    return `邮件 ${detail(det.messageReceiptNo)}：申报 #${detail(det.fromApplicationId)} → #${detail(det.toApplicationId)}`;
  return JSON.stringify(det);
}

function renderAudit(d: ApplicationPageData): SafeHtml {
  if (d.audit.length === 0) return html`<p class="muted">暂无记录</p>`;
  return html`<table class="audit"><thead><tr><th>时间</th><th>操作人</th><th>操作</th><th>内容</th></tr></thead><tbody>
${d.audit.map((e) => html`<tr><td class="nowrap">${formatTime(e.at, d.profile.timezone)}</td><td>${e.actor}</td><td>${AUDIT_LABELS[e.action] ?? e.action}</td><td>${describeAudit(e)}</td></tr>`)}
</tbody></table>`;
}

export function renderApplicationBody(d: ApplicationPageData): SafeHtml {
  const a = d.app;
  const tz = d.profile.timezone;
  return html`<p class="sub"><a href="/applications">← 申报登记表</a></p>
${d.notice ? html`<div class="notice">${d.notice}</div>` : ''}
<h1>${a.receiptNo} · ${a.applicant?.name ?? '未识别申报单位'} · ${a.cluster ?? '未识别集群'}</h1>
<div class="grid two">
<section class="panel"><h2>基本情况</h2><dl class="facts">
<dt>受理编号</dt><dd>${a.receiptNo}</dd><dt>申报单位</dt><dd>${a.applicant ? `${a.applicant.name}（${a.applicant.code}）` : '未识别'}</dd>
<dt>产业集群</dt><dd>${a.cluster ?? '—'}</dd><dt>产业领域</dt><dd>${a.field ?? '—'}</dd>
<dt>首次收件</dt><dd>${formatTime(a.firstReceivedAt, tz)}</dd><dt>最近收件</dt><dd>${formatTime(a.lastReceivedAt, tz)}</dd>
<dt>来件</dt><dd>${a.messageCount} 封</dd>
<dt>扫描版 / 电子版</dt><dd>${yesNo(a.copies.scan)} / ${yesNo(a.copies.electronic)}</dd>
<dt>正式文件 / 附件1 / 附件2</dt><dd>${yesNo(a.documents.formalDocument)} / ${yesNo(a.documents.materials)} / ${yesNo(a.documents.projectTable)}</dd>
</dl>
<p class="inline-form"><a class="btn light" href="/applications/${a.id}/documents.zip">下载当前材料（zip，供专家评审）</a>
${d.canTrigger && canReview(d.user) ? html`<form method="post" action="/applications/${a.id}/reprocess"><input type="hidden" name="_csrf" value="${d.csrf}"><button type="submit" class="light">重新处理</button></form>` : ''}</p></section>
<section class="panel"><h2>审核</h2>${renderReview(d)}</section>
</div>
<section class="panel"><h2>问题标记</h2>${a.validated ? renderFlags(a.flags) : html`<p class="muted">校验尚未完成</p>`}</section>
<section class="panel"><h2>读取的数据与原文依据</h2>${renderFigures(d)}</section>
<section class="panel"><h2>来件记录（${a.messages.length}）</h2><ul class="timeline">${a.messages.map((m) => renderMessage(d, m))}</ul></section>
<section class="panel"><h2>重点项目汇总表（${a.projects.length}）</h2>${renderProjects(d)}</section>
<section class="panel"><h2>操作记录</h2>${renderAudit(d)}</section>`;
}
