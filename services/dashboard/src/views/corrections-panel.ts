import {
  CORRECTION_STATUS_LABELS,
  formatCorrectionValue,
  type ApplicationDetail,
  type CorrectionInfo,
} from '@intake/register-store';
import type { ApplicantDirectory } from '@intake/domain';
import { html, type SafeHtml } from '../html.js';
import { formatTime } from '../labels.js';
import { applicantSelect, type CorrectionUi } from './correction-forms.js';

/**
 * 校正记录: every correction with what the mail says now, and — for the
 * active ones — a way to remove it. Where the reading now agrees with a
 * correction (a reprocess read it right), the page says so; the correction
 * stays until a person removes it.
 */
function removeForm(ui: CorrectionUi, c: CorrectionInfo): SafeHtml {
  if (!ui.canCorrect || c.removedAt) return html``;
  const id = `fix-remove-${c.id}`;
  const err = ui.formError?.form === id ? ui.formError.message : null;
  return html`<details class="fix" id="${id}"${err ? html` open` : ''}><summary>撤销</summary>
<form method="post" action="/applications/${ui.applicationId}/corrections/${c.id}/remove#${id}" class="fix-form">
<input type="hidden" name="_csrf" value="${ui.csrf}"><input type="hidden" name="form" value="${id}">
${err ? html`<div class="notice error" role="alert">${err}</div>` : ''}
<label class="reason">撤销理由（必填）<input type="text" name="reason" required></label>
<button type="submit" class="light">撤销此校正</button></form></details>`;
}

function statusCell(c: CorrectionInfo): SafeHtml {
  const label = CORRECTION_STATUS_LABELS[c.status] ?? c.status;
  if (c.status === 'removed')
    return html`<span class="status">${label}</span><div class="sub">${c.removedBy ?? ''}${c.removedReason ? `：${c.removedReason}` : ''}</div>`;
  if (c.status === 'agrees')
    return html`<span class="status agrees">${label}</span><div class="sub">校正保留，确认无误后可撤销</div>`;
  return html`<span class="status ${c.status === 'applied' ? 'applied' : 'stale'}">${label}</span>`;
}

export function renderCorrectionLog(ui: CorrectionUi, app: ApplicationDetail): SafeHtml {
  if (app.corrections.length === 0)
    return html`<p class="muted">暂无人工校正。${ui.canCorrect ? '在上方各项旁点“校正”即可修改读取结果，原读取值保留。' : ''}</p>`;
  const rows = [...app.corrections].reverse();
  return html`<table class="corrections"><thead><tr><th>时间</th><th>校正人</th><th>内容</th><th>原读取值</th><th>校正为</th><th>理由</th><th>状态</th><th></th></tr></thead><tbody>
${rows.map(
  (
    c,
  ) => html`<tr class="${c.removedAt ? 'removed' : ''}"><td class="nowrap">${formatTime(c.at, ui.timezone)}</td><td>${c.actor}</td><td>${c.targetLabel}</td>
<td>${c.scope === 'project-added' ? '（表中没有）' : formatCorrectionValue(c.field, c.readingNow)}</td><td>${formatCorrectionValue(c.field, c.newValue)}</td>
<td>${c.reason}</td><td>${statusCell(c)}</td><td class="fix-cell">${removeForm(ui, c)}</td></tr>`,
)}
</tbody></table>`;
}

/** Merge this application into another of the same applicant, or move chosen mails into a new application. */
export function renderGrouping(ui: CorrectionUi, app: ApplicationDetail, directory: ApplicantDirectory): SafeHtml {
  const retired = app.retiredReceiptNos.length
    ? html`<p>已并入本申报的受理编号：${app.retiredReceiptNos.join('、')}（仍可用于查找，自动转到本页）</p>`
    : html``;
  if (!ui.canCorrect) return retired;
  const err = (id: string) =>
    ui.formError?.form === id ? html`<div class="notice error" role="alert">${ui.formError.message}</div>` : html``;
  const open = (id: string) => (ui.formError?.form === id ? html` open` : '');
  return html`${retired}
<details class="fix" id="fix-merge"${open('fix-merge')}><summary>合并申报（把本申报并入同一单位的另一份申报）</summary>
<form method="post" action="/applications/${app.id}/merge#fix-merge" class="fix-form"><input type="hidden" name="_csrf" value="${ui.csrf}"><input type="hidden" name="form" value="fix-merge">
${err('fix-merge')}
<label>并入受理编号<input type="text" name="intoReceiptNo" placeholder="2020-0003"></label>
<label class="reason">理由（必填）<input type="text" name="reason" required></label>
<p class="sub">本申报的邮件全部移入目标申报；受理编号 ${app.receiptNo} 保留，打开时自动转到目标申报。</p>
<button type="submit">合并</button></form></details>
<details class="fix" id="fix-split"${open('fix-split')}><summary>拆分申报（把选中的邮件移入一份新申报）</summary>
<form method="post" action="/applications/${app.id}/split#fix-split" class="fix-form"><input type="hidden" name="_csrf" value="${ui.csrf}"><input type="hidden" name="form" value="fix-split">
${err('fix-split')}
<fieldset><legend>要移出的邮件</legend>${app.messages.map(
    (m) =>
      html`<label class="check"><input type="checkbox" name="messageRowIds" value="${m.id}"> ${m.receiptNo} ${m.subject}</label>`,
  )}</fieldset>
${applicantSelect(ui, 'fix-split', directory, app.applicant?.code ?? null)}
<label>新申报的产业集群名称<input type="text" name="cluster" placeholder="如：长春市光电信息产业集群"></label>
<label class="reason">理由（必填）<input type="text" name="reason" required></label>
<button type="submit">拆分</button></form></details>`;
}
