import {
  NO_ROLE_LABEL,
  copyLabel,
  kindLabel,
  roleLabel,
  type ApplicantDirectory,
  type TCampaignProfile,
  type TEvidence,
  type TFlag,
} from '@intake/domain';
import type {
  AckText,
  ApplicationDetail,
  AuditEntry,
  RegisteredAttachment,
  RegisteredMessage,
} from '@intake/register-store';
import { correctionFieldLabel, formatCorrectionValue } from '@intake/register-store';
import { html, type SafeHtml } from '../html.js';
import {
  ACK_LABELS,
  AUDIT_LABELS,
  REVIEW_ACTIONS,
  flagLabel,
  formatBytes,
  formatTime,
  reviewLabel,
} from '../labels.js';
import { canReview, type StaffUser } from '../users.js';
import { NO_EXTENSIONS, type ApplicationPageExtensions } from './application-extensions.js';
import { renderFigures, renderProjects } from './application-projects.js';
import {
  applicantSelect,
  attachmentFixForm,
  correctedMark,
  fixForm,
  textInput,
  type CorrectionUi,
  type FormError,
} from './correction-forms.js';
import { renderCorrectionLog, renderGrouping } from './corrections-panel.js';
import { renderSenderLine } from './sender-views.js';
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
  /** a resent 回执 can be previewed (the deployment wired previewAck) */
  canPreviewAck?: boolean;
  notice?: string | null;
  /** a refused correction form, shown open with its message */
  formError?: FormError | null;
  extensions?: ApplicationPageExtensions;
}

export function fileUrl(kind: 'files' | 'preview', messageSha256: string, path: string): string {
  return `/${kind}/${messageSha256}?path=${encodeURIComponent(path)}`;
}

function isPreviewable(a: RegisteredAttachment): 'pdf' | 'image' | null {
  if (a.error) return null;
  if (a.kind === 'pdf') return 'pdf';
  // SVG is an image that runs script: never previewed
  if (a.kind === 'image' && /\.(png|jpe?g|gif|bmp|webp|tiff?)$/i.test(a.filename)) return 'image';
  return null;
}

function uiOf(d: ApplicationPageData): CorrectionUi {
  return {
    applicationId: d.app.id,
    csrf: d.csrf,
    canCorrect: canReview(d.user),
    formError: d.formError ?? null,
    timezone: d.profile.timezone,
  };
}

function renderAttachment(d: ApplicationPageData, m: RegisteredMessage, a: RegisteredAttachment): SafeHtml {
  const preview = isPreviewable(a);
  const src = fileUrl('preview', m.sha256, a.path);
  const fixed = a.corrections?.length
    ? html` <span class="corrected-mark" title="${a.corrections.map((c) => `${c.actor}：${c.reason}`).join('；')}">已校正</span><span class="reading">（原读取值：${formatCorrectionValue('roles', a.reading?.roles ?? [])}；${formatCorrectionValue('copy', a.reading?.copy)}）</span>`
    : '';
  return html`<div class="att">
<div class="name">${a.filename}</div>
<div class="sub">${kindLabel(a.kind)} · ${copyLabel(a.copy)} · ${formatBytes(a.bytes)}
${a.roles.length ? html` · 识别为：<b>${a.roles.map(roleLabel).join('、')}</b>` : ` · ${NO_ROLE_LABEL}`}${fixed}
${a.path !== a.filename ? html` · 位置：${a.path}` : ''}</div>
${(a.reading?.error ?? a.error) ? html`<div class="err">无法读取：${a.reading?.error ?? a.error}</div>` : ''}
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
${attachmentFixForm(uiOf(d), m.sha256, a)}
${(d.extensions ?? NO_EXTENSIONS).attachment(m, a)}
</div>`;
}

function renderAck(d: ApplicationPageData, m: RegisteredMessage, text: AckText | undefined): SafeHtml {
  const tz = d.profile.timezone;
  const ack = m.ack;
  const status = ack
    ? html`<span class="status ${ack.status === 'sent' ? 'preliminary-passed' : ack.status === 'skipped' ? 'preliminary-failed' : ''}">${ACK_LABELS[ack.status] ?? ack.status}</span>
${ack.at ? html` ${formatTime(ack.at, tz)}` : ''}${ack.reason ? html` <span class="muted">（${ack.reason}）</span>` : ''}`
    : html`<span class="muted">回执待生成</span>`;
  const preview = d.canPreviewAck
    ? html` · <a href="/messages/${m.sha256}/ack-preview">预览按当前登记信息重发的回执</a>`
    : '';
  return html`<div>回执：${status}${preview}
${text?.text ? html`<details><summary>查看已发回执内容${text.toAddress ? html`（发往 ${text.toAddress}）` : ''}</summary><pre class="reply">${text.subject ? `主题：${text.subject}\n\n` : ''}${text.text}</pre></details>` : ''}</div>`;
}

function renderMessage(d: ApplicationPageData, m: RegisteredMessage): SafeHtml {
  const tz = d.profile.timezone;
  const review = canReview(d.user);
  return html`<li class="${m.late ? 'late' : ''}" id="m${m.id}">
<div><b>${m.subject || '（无主题）'}</b></div>
<div class="meta">${m.receiptNo} · 发件人：${m.from} · 服务器收件时间：${formatTime(m.receivedAt, tz)}${m.late ? html` · <span class="no">逾期</span>` : ''}${m.assignedManually ? ' · 人工归属' : ''}</div>
${m.flags.length ? html`<div>${m.flags.map((f) => html`<span class="flag info" title="${f.detail}">${flagLabel(f.code, f.label)}</span>`)}</div>` : ''}
${renderSenderLine(m, { applicantCode: d.app.applicant?.code ?? null, user: d.user, csrf: d.csrf, next: `/applications/${d.app.id}` })}
${renderAck(d, m, d.ackTexts.get(m.sha256))}
${m.bodyExcerpt ? html`<details><summary>正文摘录</summary><pre class="reply">${m.bodyExcerpt}</pre></details>` : ''}
${m.attachments.length ? m.attachments.map((a) => renderAttachment(d, m, a)) : html`<div class="muted">无附件</div>`}
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

function renderReview(d: ApplicationPageData): SafeHtml {
  const a = d.app;
  const current = html`<p>当前状态：<span class="status ${a.reviewStatus}">${reviewLabel(a.reviewStatus)}</span>${a.reviewNote ? html` — ${a.reviewNote}` : ''}</p>`;
  if (!canReview(d.user)) return html`${current}<p class="muted">只读账号不能修改审核状态，也不能校正读取结果。</p>`;
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
  if (e.action === 'correction' || e.action === 'correction-removed') {
    const field = detail(det.field);
    const what = `${formatCorrectionValue(field, det.from)} → ${formatCorrectionValue(field, det.to ?? det.value)}`;
    return `#${detail(det.correctionId)} ${correctionFieldLabel(field)}：${what}；理由：${detail(det.reason)}`;
  }
  if (e.action === 'applications-merged' || e.action === 'application-split')
    return `${detail(det.from)} → ${detail(det.into)}（${detail(det.messages)} 封）；理由：${detail(det.reason)}`;
  if (e.action.startsWith('sender-')) return `${detail(det.address)}（单位代码 ${detail(det.applicantCode)}）`;
  if (e.action === 'application-retired' || e.action === 'application-absorbed')
    return `${detail(det.retiredReceiptNo)} 并入 ${detail(det.intoReceiptNo)}`;
  return JSON.stringify(det);
}

function renderAudit(d: ApplicationPageData): SafeHtml {
  if (d.audit.length === 0) return html`<p class="muted">暂无记录</p>`;
  return html`<table class="audit"><thead><tr><th>时间</th><th>操作人</th><th>操作</th><th>内容</th></tr></thead><tbody>
${d.audit.map((e) => html`<tr><td class="nowrap">${formatTime(e.at, d.profile.timezone)}</td><td>${e.actor}</td><td>${AUDIT_LABELS[e.action] ?? e.action}</td><td>${describeAudit(e)}</td></tr>`)}
</tbody></table>`;
}

/** 申报单位, 产业集群, 产业领域: the value that counts, the reading beside it when corrected, and the forms. */
function renderFacts(d: ApplicationPageData): SafeHtml {
  const a = d.app;
  const ui = uiOf(d);
  const tz = d.profile.timezone;
  const read = a.readFacts;
  const fc = a.factCorrections;
  const applicant = fixForm(ui, {
    id: 'fix-applicant',
    kind: 'applicant',
    summary: '校正',
    reading: formatCorrectionValue('applicant', read.applicant),
    fields: applicantSelect(ui, 'fix-applicant', d.directory, a.applicant?.code ?? null),
  });
  const text = (kind: 'cluster' | 'field', label: string, value: string | null) =>
    fixForm(ui, {
      id: `fix-${kind}`,
      kind,
      summary: '校正',
      reading: formatCorrectionValue(kind, read[kind]),
      fields: textInput(ui, `fix-${kind}`, 'value', label, value ?? ''),
    });
  return html`<dt>申报单位</dt><dd>${a.applicant ? `${a.applicant.name}（${a.applicant.code}）` : '未识别'}${correctedMark(fc.applicant, read.applicant, tz)}${applicant}</dd>
<dt>产业集群</dt><dd>${a.cluster ?? '—'}${correctedMark(fc.cluster, read.cluster, tz)}${text('cluster', '产业集群名称', a.cluster)}</dd>
<dt>产业领域</dt><dd>${a.field ?? '—'}${correctedMark(fc.field, read.field, tz)}${text('field', '产业领域', a.field)}</dd>`;
}

/** Evidence of the message holding the current project table (its skipped rows belong beside that table). */
function currentTableEvidence(d: ApplicationPageData): TEvidence[] {
  const key = d.app.evaluation?.currentByRole['project-table']?.messageKey;
  const m = key ? d.app.messages.find((x) => x.sha256 === key) : undefined;
  return m ? (d.evidence.get(m.id) ?? []) : [];
}

export function renderApplicationBody(d: ApplicationPageData): SafeHtml {
  const a = d.app;
  const tz = d.profile.timezone;
  const ui = uiOf(d);
  const evidence = [...d.evidence.values()].flat();
  const big = d.profile.thresholds.largeProjectInvestmentWan;
  return html`<p class="sub"><a href="/applications">← 申报登记表</a></p>
${d.notice ? html`<div class="notice">${d.notice}</div>` : ''}
${d.formError ? html`<div class="notice error" role="alert">未保存：${d.formError.message}（见下方打开的表单）</div>` : ''}
<h1>${a.receiptNo} · ${a.applicant?.name ?? '未识别申报单位'} · ${a.cluster ?? '未识别集群'}</h1>
<div class="grid two">
<section class="panel"><h2>基本情况</h2><dl class="facts">
<dt>受理编号</dt><dd>${a.receiptNo}${a.retiredReceiptNos.length ? html` <span class="sub">（含已并入的 ${a.retiredReceiptNos.join('、')}）</span>` : ''}</dd>
${renderFacts(d)}
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
<section class="panel"><h2>读取的数据与原文依据</h2>${renderFigures(ui, a, evidence, big)}</section>
<section class="panel"><h2>来件记录（${a.messages.length}）</h2><ul class="timeline">${a.messages.map((m) => renderMessage(d, m))}</ul></section>
${(d.extensions ?? NO_EXTENSIONS).sections}
<section class="panel" id="projects"><h2>重点项目汇总表（${a.projects.length}）</h2>${renderProjects(ui, a, big, currentTableEvidence(d))}</section>
<section class="panel" id="corrections"><h2>校正记录（${a.corrections.filter((c) => !c.removedAt).length}）</h2>${renderCorrectionLog(ui, a)}</section>
<section class="panel" id="grouping"><h2>归属：合并与拆分</h2>${renderGrouping(ui, a, d.directory)}</section>
<section class="panel"><h2>操作记录</h2>${renderAudit(d)}</section>`;
}
