import { headerBlockText } from '@intake/domain';

/**
 * The Message-ID from the raw header block, without a MIME parser: the poller
 * only needs it for the ledger and de-duplication, and must not choke on
 * anything a full parse might.
 */
export function readMessageId(raw: Buffer): string | null {
  const head = headerBlockText(raw).replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:\s*(<[^>\r\n]+>|\S+)/im.exec(head);
  return m?.[1]?.trim() ?? null;
}
