import type { RegisteredMessage, SenderBookLine, SenderStatus } from '@intake/register-store';
import { html, type SafeHtml } from '../html.js';
import { formatTime } from '../labels.js';
import { canReview, type StaffUser } from '../users.js';

/**
 * Who may file for whom, on the dashboard (issue 12.1 and 12.3): each
 * message's sender address against the applicant's address book, with the
 * confirm / reject forms for reviewers, and what our own receiving server
 * (AUTHSERV_ID) said about the sender.
 */

export const SENDER_STATUS_LABELS: Record<SenderStatus, string> = {
  confirmed: '已确认',
  proposed: '待确认（首封按时来件的邮箱，暂按已确认处理）',
  unconfirmed: '未确认',
  rejected: '已否认',
};

const SOURCE_LABELS: Record<string, string> = {
  profile: '申报通知配置',
  'first-mail': '首封按时来件',
  staff: '工作人员',
};

const STATUS_CLASS: Record<SenderStatus, string> = {
  confirmed: 'preliminary-passed',
  proposed: 'expert-review',
  unconfirmed: 'preliminary-failed',
  rejected: 'rejected',
};

function decisionForms(
  csrf: string,
  applicantCode: string,
  address: string,
  status: SenderStatus,
  next: string,
): SafeHtml {
  const form = (decision: 'confirmed' | 'rejected', label: string, cls: string) =>
    html`<form class="inline-form" method="post" action="/senders/decide"><input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="applicantCode" value="${applicantCode}"><input type="hidden" name="address" value="${address}">
<input type="hidden" name="decision" value="${decision}"><input type="hidden" name="next" value="${next}">
<button type="submit" class="${cls}">${label}</button></form>`;
  return html`${status !== 'confirmed' ? form('confirmed', '确认为该单位邮箱', 'light') : ''}${status !== 'rejected' ? form('rejected', '否认', 'light') : ''}`;
}

/** The sender line of a message on the application page. */
export function renderSenderLine(
  m: RegisteredMessage,
  opts: { applicantCode: string | null; user: StaffUser; csrf: string; next: string },
): SafeHtml {
  const status = m.senderStatus;
  const sender =
    status === null || opts.applicantCode === null
      ? ''
      : html`<div class="sender">发件邮箱 ${m.fromAddress ?? '（无）'}：<span class="status ${STATUS_CLASS[status]}">${SENDER_STATUS_LABELS[status]}</span>
${canReview(opts.user) && m.fromAddress ? decisionForms(opts.csrf, opts.applicantCode, m.fromAddress, status, opts.next) : ''}</div>`;
  return html`${sender}${renderAuthentication(m)}`;
}

/** 12.3: only our own receiving server's results are believed; say so when there is none. */
export function renderAuthentication(m: RegisteredMessage): SafeHtml {
  const a = m.authentication;
  if (!a) return html``;
  const ignored =
    a.ignoredHeaders > 0 ? html`；已忽略 ${String(a.ignoredHeaders)} 个其他服务器或发件人写入的认证头` : '';
  if (!a.trusted)
    return html`<div class="auth muted">收件服务器认证：无可信结果（${a.configured ? '邮件中没有本机收件服务器（AUTHSERV_ID）写入的认证结果' : '未配置 AUTHSERV_ID，不采信任何认证头'}）${ignored}</div>`;
  return html`<div class="auth">收件服务器认证：${a.results.map((r) => `${r.method}=${r.result}`).join('，')}（${[...new Set(a.results.map((r) => r.authservId))].join('、')}）${ignored}</div>`;
}

/** The address book page. */
export function renderSenderBookBody(
  lines: readonly SenderBookLine[],
  opts: { user: StaffUser; csrf: string; timezone: string; notice: string | null },
): SafeHtml {
  const review = canReview(opts.user);
  const rows = lines.map(
    (l) => html`<tr><td>${l.applicantName ?? l.applicantCode}（${l.applicantCode}）</td><td>${l.address}</td>
<td><span class="status ${STATUS_CLASS[l.status]}">${SENDER_STATUS_LABELS[l.status]}</span></td>
<td>${l.source ? (SOURCE_LABELS[l.source] ?? l.source) : '仅见于来件'}${l.decidedBy ? html`（${l.decidedBy}，${formatTime(l.decidedAt, opts.timezone)}）` : ''}</td>
<td class="num">${String(l.messageCount)}</td><td class="nowrap">${formatTime(l.lastReceivedAt, opts.timezone)}</td>
<td>${review && l.source !== 'profile' && !l.address.startsWith('@') ? decisionForms(opts.csrf, l.applicantCode, l.address, l.status, '/senders') : ''}</td></tr>`,
  );
  return html`<h1>发件邮箱</h1>
${opts.notice ? html`<div class="notice">${opts.notice}</div>` : ''}
<section class="panel"><p class="sub">邮件按内容归入申报；发件邮箱未确认为该申报单位邮箱的来件仍计入申报，但标记“发件人邮箱未确认”，不替换已确认发件人的文件，其回执只确认收到该邮件。
申报通知配置中的邮箱（CAMPAIGN 的 senders）始终视为已确认；各单位首封按时来件的邮箱为“待确认”，工作人员否认前按已确认处理。</p>
${
  lines.length === 0
    ? html`<p class="muted">尚无发件邮箱记录。</p>`
    : html`<table><thead><tr><th>申报单位</th><th>邮箱</th><th>状态</th><th>来源</th><th>来件</th><th>最近来件</th><th>${review ? '操作' : ''}</th></tr></thead><tbody>${rows}</tbody></table>`
}</section>`;
}
