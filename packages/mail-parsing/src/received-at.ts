import type { TParsedMessage } from '@intake/domain';
import type { RawHeaders } from './raw-headers.js';

export type ReceivedAtSource = NonNullable<TParsedMessage['receivedAtSource']>;

function validDate(d: Date | null | undefined): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** The date after the last `;` of a Received header (RFC 5321 §4.4). */
export function dateOfReceived(value: string): Date | null {
  const i = value.lastIndexOf(';');
  if (i < 0) return null;
  const d = new Date(
    value
      .slice(i + 1)
      .replace(/\([^)]*\)/g, '')
      .trim(),
  );
  return validDate(d) ? d : null;
}

/**
 * The server's receipt time when the caller knows it; otherwise the Date
 * header (the sender's clock), otherwise the newest Received header.
 */
export function resolveReceivedAt(
  given: Date | null | undefined,
  givenSource: ReceivedAtSource | undefined,
  dateHeader: Date | undefined,
  raw: RawHeaders,
): { receivedAt: string | null; source: ReceivedAtSource } {
  if (validDate(given)) return { receivedAt: given.toISOString(), source: givenSource ?? 'argument' };
  if (validDate(dateHeader)) return { receivedAt: dateHeader.toISOString(), source: 'date-header' };
  for (const r of raw.all('received')) {
    const d = dateOfReceived(r);
    if (d) return { receivedAt: d.toISOString(), source: 'received-header' };
  }
  return { receivedAt: null, source: 'unknown' };
}
