import type { AckRow } from './outbox-store.js';

/**
 * `messages[].ack` of the register JSON (CONTRACT.md): sent | stored | skipped,
 * extended with failed and pending so staff see a reply that did not go out.
 */
export interface RegisterAck {
  status: 'sent' | 'stored' | 'skipped' | 'failed' | 'pending';
  at: string;
  reason: string | null;
}

const iso = (d: Date | string | null): string => (d ? new Date(d).toISOString() : new Date(0).toISOString());

export function toRegisterAck(row: AckRow): RegisterAck {
  switch (row.status) {
    case 'sent':
      return { status: 'sent', at: iso(row.sent_at), reason: null };
    case 'stored':
      return { status: 'stored', at: iso(row.created_at), reason: '未配置 SMTP_URL：回执已生成并保存，未发送' };
    case 'skipped':
      return { status: 'skipped', at: iso(row.created_at), reason: row.skip_detail ?? row.skip_reason };
    case 'failed':
      return { status: 'failed', at: iso(row.updated_at), reason: row.last_error };
    default:
      return { status: 'pending', at: iso(row.updated_at), reason: row.last_error };
  }
}
