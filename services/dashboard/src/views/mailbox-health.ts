import type { MailboxStateRow } from '@intake/register-store';
import { html, type SafeHtml } from '../html.js';
import { formatTime } from '../labels.js';

const STATE_LABELS: Record<MailboxStateRow['state'], string> = {
  connected: '已连接',
  retrying: '重试中',
  stopped: '已停止',
};

/** What `/healthz` says about each mailbox: the poller's last report (issue 12.11). */
export function mailboxHealthJson(rows: readonly MailboxStateRow[]) {
  return rows.map((r) => ({
    mailbox: r.mailbox,
    state: r.state,
    since: r.since.toISOString(),
    attempts: r.attempts,
    lastError: r.lastError,
    lastErrorAt: r.lastErrorAt?.toISOString() ?? null,
    nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** The mailbox panel of the admins' health page: connected, or retrying since … with the last error. */
export function mailboxHealthPanel(rows: readonly MailboxStateRow[], tz: string): SafeHtml {
  if (rows.length === 0)
    return html`<section class="panel"><h2>收件邮箱</h2><p class="muted">尚无收件程序报告状态。</p></section>`;
  return html`<section class="panel"><h2>收件邮箱</h2>
<table><thead><tr><th>邮箱</th><th>状态</th><th>自</th><th class="num">连续失败</th><th>最近错误</th><th>下次尝试</th></tr></thead><tbody>
${rows.map(
  (r) => html`<tr><td>${r.mailbox}</td><td class="${r.state === 'connected' ? '' : 'no'}">${STATE_LABELS[r.state]}</td>
<td class="nowrap">${formatTime(r.since, tz)}</td><td class="num">${r.attempts}</td>
<td>${r.lastError ?? '—'}${r.lastErrorAt ? html`<div class="sub">${formatTime(r.lastErrorAt, tz)}</div>` : ''}</td>
<td class="nowrap">${formatTime(r.nextAttemptAt, tz)}</td></tr>`,
)}
</tbody></table></section>`;
}
