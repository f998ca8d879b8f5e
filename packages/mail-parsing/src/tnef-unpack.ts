import { createRequire } from 'node:module';
import { rtfToText } from '@intake/content-extraction';
import iconv from 'iconv-lite';
import type { UnpackedMessage } from './outlook-msg.js';

/**
 * Outlook's TNEF (winmail.dat, application/ms-tnef): a signature, then
 * attributes (level, id, type, length, data, checksum). Chinese Outlook in
 * RTF mode sends everything inside one: the attachments (attAttachData, the
 * long name in the attachment's MAPI properties, else the 8.3 title in the
 * OEM code page) and the body (PR_BODY, else the compressed RTF). Read here
 * directly: the npm readers turn the file into a JS array of numbers and
 * log to stdout.
 */

const SIGNATURE = 0x223e9f78;
const LVL_MESSAGE = 1;
const ATT_SUBJECT = 0x8004;
const ATT_FROM = 0x8000;
const ATT_BODY = 0x800c;
const ATT_ATTACH_DATA = 0x800f;
const ATT_ATTACH_TITLE = 0x8010;
const ATT_ATTACH_REND_DATA = 0x9002;
const ATT_MAPI_PROPS = 0x9003;
const ATT_ATTACHMENT = 0x9005;
const ATT_OEM_CODEPAGE = 0x9007;

const PR_DISPLAY_NAME = 0x3001;
const PR_ATTACH_LONG_FILENAME = 0x3707;
const PR_ATTACH_DATA_OBJ = 0x3701;
const PR_BODY = 0x1000;
const PR_RTF_COMPRESSED = 0x1009;

const require = createRequire(import.meta.url);
const { decompressRTF } = require('@kenjiuno/decompressrtf') as { decompressRTF: (input: number[]) => number[] };

interface Attribute {
  level: number;
  id: number;
  data: Buffer;
}

function* attributes(data: Buffer): Generator<Attribute> {
  for (let p = 6; p + 9 <= data.length;) {
    const level = data[p]!;
    const id = data.readUInt16LE(p + 1);
    const length = data.readUInt32LE(p + 5);
    const start = p + 9;
    if (start + length > data.length) throw new Error(`attribute 0x${id.toString(16)} runs past the end`);
    yield { level, id, data: data.subarray(start, start + length) };
    p = start + length + 2;
  }
}

type MapiValue = Buffer | number;

const FIXED_SIZES: Record<number, number> = {
  0x1: 4,
  0x2: 4,
  0x3: 4,
  0x4: 4,
  0x5: 8,
  0x6: 8,
  0x7: 8,
  0xa: 4,
  0xb: 4,
  0x14: 8,
  0x40: 8,
  0x48: 16,
};
const pad4 = (n: number): number => (n + 3) & ~3;

/** MAPI properties: id → first value (strings and binaries as bytes). Unknown types end the reading. */
export function readMapiProps(buf: Buffer): Map<number, { type: number; value: MapiValue }> {
  const out = new Map<number, { type: number; value: MapiValue }>();
  if (buf.length < 4) return out;
  const count = buf.readUInt32LE(0);
  let p = 4;
  for (let i = 0; i < count && p + 4 <= buf.length; i++) {
    const type = buf.readUInt16LE(p);
    const id = buf.readUInt16LE(p + 2);
    p += 4;
    if (id >= 0x8000) {
      // named property: GUID, then a kind (0 = numeric id, 1 = UTF-16 name with its length)
      const kind = buf.readUInt32LE(p + 16);
      p += 20;
      p += kind === 0 ? 4 : 4 + pad4(buf.readUInt32LE(p));
    }
    const base = type & 0x0fff;
    const multi = (type & 0x1000) !== 0;
    const variable = base === 0x1e || base === 0x1f || base === 0x102 || base === 0x0d;
    const values = multi || variable ? buf.readUInt32LE(p) : 1;
    if (multi || variable) p += 4;
    let first: MapiValue | undefined;
    for (let v = 0; v < values; v++) {
      if (variable) {
        const len = buf.readUInt32LE(p);
        first ??= buf.subarray(p + 4, p + 4 + len);
        p += 4 + pad4(len);
      } else {
        const size = FIXED_SIZES[base];
        if (size === undefined) return out;
        first ??= size >= 4 ? buf.readUInt32LE(p) : 0;
        p += size;
      }
    }
    if (first !== undefined) out.set(id, { type: base, value: first });
  }
  return out;
}

function stringProp(props: ReturnType<typeof readMapiProps>, id: number, codepage: string): string | null {
  const p = props.get(id);
  if (!p || typeof p.value === 'number') return null;
  const text = p.type === 0x1f ? p.value.toString('utf16le') : iconv.decode(p.value, codepage);
  return text.replace(/\0+$/, '') || null;
}

function bodyFrom(props: ReturnType<typeof readMapiProps>, codepage: string): string {
  const plain = stringProp(props, PR_BODY, codepage);
  if (plain) return plain;
  const rtf = props.get(PR_RTF_COMPRESSED);
  if (!rtf || typeof rtf.value === 'number') return '';
  return rtfToText(Buffer.from(decompressRTF([...rtf.value])));
}

interface PendingAttachment {
  title: string | null;
  longName: string | null;
  data: Buffer | null;
}

/** Throws an Error saying why when the file is not TNEF or is damaged. */
export function unpackTnef(data: Buffer): UnpackedMessage {
  if (data.length < 6 || data.readUInt32LE(0) !== SIGNATURE) throw new Error('not a TNEF file');
  let codepage = 'gb18030';
  const out: UnpackedMessage = { subject: '', fromName: null, fromAddress: null, body: '', attachments: [] };
  const pending: PendingAttachment[] = [];
  for (const a of attributes(data)) {
    if (a.id === ATT_OEM_CODEPAGE && a.data.length >= 4) {
      const cp = a.data.readUInt32LE(0);
      codepage = cp === 936 ? 'gb18030' : iconv.encodingExists(`cp${cp}`) ? `cp${cp}` : codepage;
    } else if (a.level === LVL_MESSAGE && a.id === ATT_SUBJECT)
      out.subject = iconv.decode(a.data, codepage).replace(/\0+$/, '');
    else if (a.level === LVL_MESSAGE && a.id === ATT_BODY) out.body ||= iconv.decode(a.data, codepage);
    else if (a.level === LVL_MESSAGE && a.id === ATT_MAPI_PROPS)
      out.body = bodyFrom(readMapiProps(a.data), codepage) || out.body;
    else if (a.id === ATT_FROM) continue;
    else if (a.id === ATT_ATTACH_REND_DATA) pending.push({ title: null, longName: null, data: null });
    else if (a.id === ATT_ATTACH_TITLE && pending.length > 0)
      pending[pending.length - 1]!.title = iconv.decode(a.data, codepage).replace(/\0+$/, '');
    else if (a.id === ATT_ATTACH_DATA && pending.length > 0) pending[pending.length - 1]!.data = Buffer.from(a.data);
    else if (a.id === ATT_ATTACHMENT && pending.length > 0)
      attachmentProps(pending[pending.length - 1]!, a.data, codepage);
  }
  out.attachments = pending.flatMap((p, i) =>
    p.data ? [{ filename: p.longName ?? p.title ?? `attachment-${i + 1}`, data: p.data }] : [],
  );
  if (out.attachments.length === 0 && !out.body.trim())
    throw new Error('no attachments and no body (empty or truncated TNEF)');
  return out;
}

function attachmentProps(target: PendingAttachment, buf: Buffer, codepage: string): void {
  const props = readMapiProps(buf);
  target.longName =
    stringProp(props, PR_ATTACH_LONG_FILENAME, codepage) ?? stringProp(props, PR_DISPLAY_NAME, codepage);
  // an embedded message's data lives here instead of in attAttachData (its first 16 bytes are an IID)
  const obj = props.get(PR_ATTACH_DATA_OBJ);
  if (!target.data && obj && typeof obj.value !== 'number' && obj.value.length > 16)
    target.data = Buffer.from(obj.value.subarray(16));
}
