import type { Attachment } from 'mailparser';
import { repairMojibakeName, type NameOrigin } from './charset.js';

/**
 * mailparser reads a part's filename twice: once for `attachment.filename`
 * (undecodable 8-bit bytes kept one char per byte) and once into the header
 * map (the same bytes read as UTF-8, undecodable ones as U+FFFD). A U+FFFD in
 * the map's parameter therefore means the name came from raw 8-bit bytes; a
 * declared charset (RFC 2047 words, RFC 2231 `charset''…`) decodes cleanly in
 * both places and must not be "repaired".
 */

interface HeaderWithParams {
  params?: Record<string, unknown>;
}

function paramOf(a: Attachment, header: string, param: string): string | null {
  const value = a.headers.get(header) as HeaderWithParams | string | undefined;
  if (!value || typeof value === 'string') return null;
  const p = value.params?.[param];
  return typeof p === 'string' ? p : null;
}

/** Where `a.filename` came from, by mailparser's own rule: Content-Disposition filename first, else Content-Type name. */
export function attachmentNameOrigin(a: Attachment): NameOrigin {
  const source = paramOf(a, 'content-disposition', 'filename') ?? paramOf(a, 'content-type', 'name');
  return source?.includes('\uFFFD') ? 'raw-8bit' : 'decoded';
}

/** The attachment's filename as the sender meant it. */
export function attachmentDisplayName(a: Attachment): string | null {
  return a.filename ? repairMojibakeName(a.filename, attachmentNameOrigin(a)) : null;
}
