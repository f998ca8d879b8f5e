import type { ImapFlow } from 'imapflow';

/**
 * What to do to a message once it is safely queued. The default leaves the
 * mailbox untouched (staff may read it in their own client).
 */
export type MailboxAction = { type: 'none' } | { type: 'seen' } | { type: 'move'; folder: string };

export function parseMailboxAction(value: string): MailboxAction {
  if (value === 'seen') return { type: 'seen' };
  if (value.startsWith('move:')) return { type: 'move', folder: value.slice(5) };
  return { type: 'none' };
}

export async function applyMailboxAction(client: ImapFlow, uid: number, action: MailboxAction): Promise<void> {
  if (action.type === 'seen') await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
  if (action.type === 'move') await client.messageMove(String(uid), action.folder, { uid: true });
}

/** Create the target folder once, so the first move does not fail. */
export async function prepareMailboxAction(client: ImapFlow, action: MailboxAction): Promise<void> {
  if (action.type !== 'move') return;
  const list = await client.list();
  if (!list.some((m) => m.path === action.folder)) await client.mailboxCreate(action.folder);
}
