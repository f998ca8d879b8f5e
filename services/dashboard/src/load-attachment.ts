import { findAttachmentBytes } from '@intake/mail-parsing';
import type { Queryable } from '@intake/register-store';
import { findAttachment } from '@intake/register-store';

export interface LoadedAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Gives an attachment's original bytes, by the raw message's sha256 and the attachment's register path. */
export type LoadAttachment = (messageSha256: string, path: string) => Promise<LoadedAttachment | null>;

export interface RawSource {
  get(sha256: string): Promise<Buffer>;
}

/**
 * The default loader: the raw message from the archive, re-parsed with
 * mailparser; the attachment found by the sha256 the register recorded for
 * (message, path). Only registered attachments are ever served.
 */
export function createRawAttachmentLoader(deps: { db: Queryable; rawStore: RawSource }): LoadAttachment {
  return async (messageSha256, path) => {
    const att = await findAttachment(deps.db, messageSha256, path);
    if (!att) return null;
    const raw = await deps.rawStore.get(messageSha256);
    const found = await findAttachmentBytes(raw, att.sha256);
    return found ? { filename: att.filename, contentType: found.contentType, data: found.data } : null;
  };
}
