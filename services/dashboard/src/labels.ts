import { FLAG_LABELS, formatInZone } from '@intake/domain';

/** Chinese labels for the register's codes; the English switch (?lang=en) maps the same keys. */
export const REVIEW_LABELS: Record<string, string> = {
  received: '待初审',
  'preliminary-passed': '初审通过',
  'preliminary-failed': '初审不通过',
  'expert-review': '进入专家评审',
  selected: '入选',
  rejected: '未入选',
};

/** The changes staff can make, in workflow order (初审 → 专家评审 → 入选). */
export const REVIEW_ACTIONS = [
  'preliminary-passed',
  'preliminary-failed',
  'expert-review',
  'selected',
  'rejected',
  'received',
] as const;

export const ACK_LABELS: Record<string, string> = {
  sent: '回执已发送',
  stored: '回执已生成未发送',
  skipped: '未发回执',
};

export const USER_ROLE_LABELS: Record<string, string> = { viewer: '只读', reviewer: '审核员', admin: '管理员' };

export const AUDIT_LABELS: Record<string, string> = {
  'review-status': '审核状态变更',
  'message-reassigned': '邮件改归属（转入）',
  'message-reassigned-away': '邮件改归属（转出）',
  'message-registered': '收到邮件',
  'message-regrouped': '重新归组',
  'message-reprocessed': '重新解析',
  reprocess: '重新处理',
  'resend-reply': '重发回执',
  correction: '人工校正',
  'correction-removed': '撤销校正',
  'applications-merged': '合并申报',
  'application-split': '拆分申报',
  'application-retired': '并入其他申报',
  'application-absorbed': '并入本申报',
  'sender-proposed': '首封来件邮箱（待确认）',
  'sender-confirmed': '确认发件邮箱',
  'sender-rejected': '否认发件邮箱',
};

export function flagLabel(code: string, label?: string | null): string {
  return label || (FLAG_LABELS as Record<string, string>)[code] || code;
}

export function reviewLabel(status: string | null | undefined): string {
  return REVIEW_LABELS[status ?? 'received'] ?? String(status);
}

export function formatTime(value: Date | string | null | undefined, timeZone: string): string {
  if (!value) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? '—' : formatInZone(d, timeZone).slice(0, 16);
}

export function formatNumber(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Number.isInteger(v) ? v.toLocaleString('zh-CN') : v.toLocaleString('zh-CN', { maximumFractionDigits: digits });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "还有 3 天 4 小时" / "已截止 2 天" */
export function formatCountdown(deadlineIso: string, now = new Date()): { text: string; past: boolean } {
  const ms = Date.parse(deadlineIso) - now.getTime();
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const span = days > 0 ? `${days} 天 ${hours} 小时` : `${hours} 小时 ${minutes} 分`;
  return ms >= 0 ? { text: `距截止还有 ${span}`, past: false } : { text: `已截止 ${span}`, past: true };
}
