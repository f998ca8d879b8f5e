import { domainOf, extractAddress } from './header-safety.js';
import { OUR_MESSAGE_ID_PREFIX } from './loop-guard.js';

const KIND = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** 'ack' | 'resend-<n>' | 'reminder-<yyyy-mm-dd>-<applicant code>' — also part of our Message-ID. */
export function isValidAckKind(kind: string): boolean {
  return KIND.test(kind);
}

/**
 * Deterministic: the same source message and kind always give the same
 * Message-ID, so a retried send after an unknown outcome reaches the recipient
 * as the same message (clients thread and most de-duplicate on it).
 */
export function buildOurMessageId(sourceSha256: string, kind: string, fromAddress: string): string {
  if (!/^[0-9a-f]{16,64}$/.test(sourceSha256)) throw new TypeError('sourceSha256 must be a lower-case hex digest');
  if (!isValidAckKind(kind)) throw new TypeError(`invalid ack kind ${JSON.stringify(kind)}`);
  const addr = extractAddress(fromAddress);
  if (!addr) throw new TypeError(`ACK_FROM is not an address: ${JSON.stringify(fromAddress)}`);
  return `<${OUR_MESSAGE_ID_PREFIX}${sourceSha256.slice(0, 32)}.${kind}@${domainOf(addr)}>`;
}

/** true for a Message-ID that buildOurMessageId could have made for `ourAddress` */
export function isOurMessageId(messageId: string | null | undefined, ourAddress: string): boolean {
  const addr = extractAddress(ourAddress);
  if (!messageId || !addr) return false;
  const m = /^<?([^<>@\s]+)@([^<>@\s]+)>?$/.exec(messageId.trim().toLowerCase());
  return !!m && m[1]!.startsWith(OUR_MESSAGE_ID_PREFIX) && m[2] === domainOf(addr);
}
