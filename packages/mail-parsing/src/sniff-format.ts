import { headerBlockText, type TAttachmentKind } from '@intake/domain';
import { extensionOf } from './safe-path.js';
import { oleStreamNames } from './ole-directory.js';
import { tryListZip, type ZipEntryInfo } from './zip-listing.js';

/**
 * What a file really is, from its bytes first and its name second: senders
 * rename files (a phone photo saved as 申报书.pdf), and the name is only
 * trusted where the bytes cannot tell (CSV, plain text).
 */

export const FILE_FORMATS = [
  'pdf',
  'xlsx',
  'xls',
  'et',
  'csv',
  'docx',
  'doc',
  'wps',
  'txt',
  'rtf',
  'pptx',
  'ppt',
  'odf',
  'ofd',
  'office-encrypted',
  'outlook-msg',
  'png',
  'jpeg',
  'gif',
  'tiff',
  'bmp',
  'webp',
  'heic',
  'zip',
  'rar',
  '7z',
  'gzip',
  'tar',
  'bzip2',
  'eml',
  'tnef',
  'html',
  'unknown',
] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

const KIND_OF: Record<FileFormat, TAttachmentKind> = {
  pdf: 'pdf',
  xlsx: 'spreadsheet',
  xls: 'spreadsheet',
  et: 'spreadsheet',
  csv: 'spreadsheet',
  docx: 'document',
  doc: 'document',
  wps: 'document',
  txt: 'document',
  rtf: 'document',
  pptx: 'document',
  ppt: 'document',
  odf: 'document',
  // fixed layout like PDF, but not a PDF: its copy is decided from its pages the same way
  ofd: 'document',
  'office-encrypted': 'other',
  'outlook-msg': 'email',
  png: 'image',
  jpeg: 'image',
  gif: 'image',
  tiff: 'image',
  bmp: 'image',
  webp: 'image',
  heic: 'image',
  zip: 'archive',
  rar: 'archive',
  '7z': 'archive',
  gzip: 'archive',
  tar: 'archive',
  bzip2: 'archive',
  eml: 'email',
  tnef: 'other',
  html: 'other',
  unknown: 'other',
};

const FORMAT_OF_EXTENSION: Record<string, FileFormat> = {
  pdf: 'pdf',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
  xls: 'xls',
  et: 'et',
  ett: 'et',
  csv: 'csv',
  docx: 'docx',
  docm: 'docx',
  doc: 'doc',
  wps: 'wps',
  wpt: 'wps',
  txt: 'txt',
  rtf: 'rtf',
  pptx: 'pptx',
  ppt: 'ppt',
  dps: 'ppt',
  odt: 'odf',
  ods: 'odf',
  ofd: 'ofd',
  msg: 'outlook-msg',
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  gif: 'gif',
  tif: 'tiff',
  tiff: 'tiff',
  bmp: 'bmp',
  webp: 'webp',
  heic: 'heic',
  heif: 'heic',
  zip: 'zip',
  rar: 'rar',
  '7z': '7z',
  gz: 'gzip',
  tgz: 'gzip',
  tar: 'tar',
  bz2: 'bzip2',
  eml: 'eml',
  htm: 'html',
  html: 'html',
  mht: 'html',
};

export function kindOfFormat(format: FileFormat): TAttachmentKind {
  return KIND_OF[format];
}

export function formatFromExtension(filename: string): FileFormat | null {
  return FORMAT_OF_EXTENSION[extensionOf(filename)] ?? null;
}

export interface SniffResult {
  format: FileFormat;
  kind: TAttachmentKind;
  notes: string[];
  /** the zip listing when the file is a zip container (xlsx, docx, zip), for bomb checks */
  zipEntries?: ZipEntryInfo[];
  zipEntryCount?: number;
  /** set when a zip container's directory could not be read */
  containerError?: string;
}

const startsWith = (buf: Buffer, sig: number[], at = 0): boolean => sig.every((b, i) => buf[at + i] === b);

/**
 * Signatures at offset 0 decide first: a zip whose first member is a stored
 * PDF (or a stored zip of PDFs) has "%PDF-" within its first bytes too.
 * Only PDF tolerates leading junk (readers accept it within 1024 bytes, and
 * some scanners and mail gateways prepend a line), so it is looked for last.
 */
function sniffMagic(buf: Buffer): FileFormat | 'pk' | 'ole' | null {
  return sniffAtStart(buf) ?? (buf.subarray(0, 1024).includes('%PDF-') ? 'pdf' : null);
}

function sniffAtStart(buf: Buffer): FileFormat | 'pk' | 'ole' | null {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) || startsWith(buf, [0x50, 0x4b, 0x05, 0x06])) return 'pk';
  if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(buf, [0x42, 0x4d]) && buf.length > 26 && buf.readUInt32LE(2) === buf.length) return 'bmp';
  if (buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'webp';
  if (
    buf.subarray(4, 8).toString('latin1') === 'ftyp' &&
    /^(heic|heix|mif1|heif)/.test(buf.subarray(8, 12).toString('latin1'))
  )
    return 'heic';
  if (buf.subarray(0, 6).toString('latin1') === 'Rar!\u001a\u0007') return 'rar';
  if (startsWith(buf, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(buf, [0x1f, 0x8b])) return 'gzip';
  if (buf.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (buf.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  if (startsWith(buf, [0x78, 0x9f, 0x3e, 0x22])) return 'tnef';
  if (buf.subarray(0, 5).toString('latin1') === '{\\rtf') return 'rtf';
  return null;
}

/** Does the start of the file read like an RFC 822 header block? */
export function looksLikeRfc822(buf: Buffer): boolean {
  const block = headerBlockText(buf, 4096, 4096);
  const lines = block.split(/\r?\n/).filter((l) => !/^[ \t]/.test(l));
  if (lines.length < 2 || !lines.every((l) => /^[!-9;-~]+:/.test(l) || /^From /.test(l))) return false;
  return lines.some((l) => /^(from|subject|message-id|received|mime-version|date):/i.test(l));
}

function looksLikeHtml(buf: Buffer): boolean {
  return /^\s*(<!doctype html|<html|<table|<\?xml[^>]*>\s*<html)/i.test(buf.subarray(0, 512).toString('latin1'));
}

function oleFormat(buf: Buffer, byExt: FileFormat | null): FileFormat {
  // the directory's stream names decide; a damaged directory falls back to searching the bytes
  const names = oleStreamNames(buf);
  const has = names
    ? (name: string): boolean =>
        names.includes(name) || (name === '__substg1.0_' && names.some((n) => n.startsWith(name)))
    : (name: string): boolean => buf.includes(Buffer.from(name, 'utf16le'));
  if (has('EncryptedPackage')) return 'office-encrypted';
  if (has('__substg1.0_')) return 'outlook-msg';
  if (has('Workbook')) return byExt === 'et' ? 'et' : 'xls';
  if (has('WordDocument')) return byExt === 'wps' ? 'wps' : 'doc';
  // Excel 5/95 names its stream "Book"; checked after WordDocument since the word can occur in text
  if (has('Book')) return byExt === 'et' ? 'et' : 'xls';
  if (has('PowerPoint Document')) return 'ppt';
  if (byExt === 'xls' || byExt === 'et' || byExt === 'doc' || byExt === 'wps' || byExt === 'ppt') return byExt;
  return 'unknown';
}

function zipContainerFormat(names: string[]): FileFormat {
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  if (names.some((n) => n.startsWith('ppt/'))) return 'pptx';
  if (names.some((n) => n.toLowerCase() === 'ofd.xml')) return 'ofd';
  if (names.includes('mimetype') && names.some((n) => n === 'content.xml')) return 'odf';
  return 'zip';
}

function fallbackFormat(buf: Buffer, byExt: FileFormat | null): FileFormat {
  if (byExt === 'csv' || byExt === 'txt') return byExt;
  if (looksLikeRfc822(buf)) return 'eml';
  if (looksLikeHtml(buf)) return byExt === 'xls' ? 'xls' : 'html';
  return byExt ?? 'unknown';
}

export async function sniffFormat(data: Buffer, filename: string, maxListedEntries = 10_000): Promise<SniffResult> {
  const byExt = formatFromExtension(filename);
  const magic = sniffMagic(data);
  const out: SniffResult = { format: 'unknown', kind: 'other', notes: [] };
  if (magic === 'pk') {
    const listing = await tryListZip(data, maxListedEntries);
    if (listing.error !== undefined) {
      out.format = byExt ?? 'zip';
      out.containerError = listing.error;
    } else {
      out.zipEntries = listing.entries;
      out.zipEntryCount = listing.entryCount;
      out.format =
        listing.entries.length > 0
          ? zipContainerFormat(listing.entries.map((e) => e.name))
          : byExt === 'xlsx' || byExt === 'docx'
            ? byExt
            : 'zip';
    }
  } else if (magic === 'ole') {
    out.format = oleFormat(data, byExt);
  } else {
    out.format = magic ?? fallbackFormat(data, byExt);
  }
  out.kind = kindOfFormat(out.format);
  // a password-protected workbook or document is still the spreadsheet/document its name says
  if (out.format === 'office-encrypted' && byExt) out.kind = kindOfFormat(byExt);
  else if (byExt && byExt !== out.format && !isCompatibleLabel(byExt, out.format)) {
    out.notes.push(
      `文件扩展名为 .${extensionOf(filename)}，实际内容为 ${out.format.toUpperCase()}，按实际内容处理 (extension says ${byExt}, content is ${out.format})`,
    );
  }
  return out;
}

/** Labels that differ from the content without being a mislabelling worth a note. */
function isCompatibleLabel(byExt: FileFormat, actual: FileFormat): boolean {
  const pairs: Array<[FileFormat, FileFormat]> = [
    ['et', 'xls'],
    ['xls', 'et'],
    ['wps', 'doc'],
    ['doc', 'wps'],
    ['txt', 'csv'],
    ['csv', 'txt'],
    ['html', 'xls'],
    ['ppt', 'doc'],
  ];
  return pairs.some(([a, b]) => a === byExt && b === actual);
}
