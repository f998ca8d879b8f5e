import { createRequire } from 'node:module';
import type { AttachmentData, FieldsData } from '@kenjiuno/msgreader';

/**
 * Outlook .msg files (an OLE compound file of MAPI properties) unpacked into
 * their attachments and body with @kenjiuno/msgreader. An attached message
 * comes back as a .msg of its own (msgreader rebuilds it), which the walk
 * opens in turn, under the same nesting limit.
 */

export interface UnpackedMessage {
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  body: string;
  attachments: Array<{ filename: string; data: Buffer }>;
}

const require = createRequire(import.meta.url);
interface MsgReaderApi {
  getFileData(): FieldsData;
  getAttachment(attach: FieldsData): AttachmentData;
}
// CommonJS with `exports.default`: loaded through require (the package's ES-style typings do not
// describe what Node hands an ES module importing it)
const MsgReader = (require('@kenjiuno/msgreader') as { default: new (data: ArrayBuffer) => MsgReaderApi }).default;

/** Throws an Error saying why when the file cannot be read. */
export function unpackOutlookMsg(data: Buffer): UnpackedMessage {
  const reader = new MsgReader(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
  const info = reader.getFileData();
  if (info.error) throw new Error(info.error);
  const attachments = (info.attachments ?? []).map((a, i) => {
    const got = reader.getAttachment(a);
    const filename = got.fileName || a.fileName || a.name || `attachment-${i + 1}${a.innerMsgContent ? '.msg' : ''}`;
    return { filename, data: Buffer.from(got.content.buffer, got.content.byteOffset, got.content.byteLength) };
  });
  return {
    subject: info.subject ?? '',
    fromName: info.senderName ?? null,
    fromAddress: info.senderEmail?.toLowerCase() ?? null,
    body: info.body ?? '',
    attachments,
  };
}
