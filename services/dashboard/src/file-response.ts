/**
 * How original files leave the dashboard: always as downloads with a safe
 * name, except PDFs and raster images whose bytes really are what they claim,
 * which may be shown inline from a sandboxed response. HTML and SVG are never
 * served inline: a sender could put script in them.
 */

const TYPE_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
  eml: 'message/rfc822',
  wps: 'application/vnd.ms-works',
  et: 'application/vnd.ms-excel',
  ofd: 'application/ofd',
  rtf: 'application/rtf',
};

export function extensionOf(filename: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(filename);
  return m ? m[1]!.toLowerCase() : '';
}

/** The download's Content-Type: by extension, else the sender's declared type if harmless, else octet-stream. */
export function downloadContentType(filename: string, declared?: string | null): string {
  const byExt = TYPE_BY_EXT[extensionOf(filename)];
  if (byExt) return byExt;
  const d = (declared ?? '').toLowerCase().split(';')[0]!.trim();
  if (/^[a-z]+\/[a-z0-9.+-]+$/.test(d) && !/html|xml|javascript|svg/.test(d)) return d;
  return 'application/octet-stream';
}

/** RFC 6266: an ASCII fallback name plus the UTF-8 name as RFC 5987 filename*. */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const clean = filename.replace(/[\u0000-\u001f\u007f"\\/]/g, '_').trim() || 'file';
  const ext = extensionOf(clean);
  let ascii = clean.replace(/[^\x20-\x7e]/g, '_').replace(/_+/g, '_');
  if (!/[A-Za-z0-9]/.test(ascii.replace(/\.[A-Za-z0-9]+$/, ''))) ascii = ext ? `file.${ext}` : 'file';
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Checks the magic bytes, so a renamed HTML file is never shown inline as a "PDF". */
export function previewType(data: Buffer): string | null {
  const head = data.subarray(0, 16);
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head[0] === 0x89 && head.subarray(1, 4).toString('latin1') === 'PNG') return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (head.subarray(0, 2).toString('latin1') === 'BM') return 'image/bmp';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  return null;
}

/** Headers every served file carries. */
export const FILE_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, no-store',
} as const;

/** The preview response runs in a sandbox: no script, no same-origin access, even if a viewer had a hole. */
export const PREVIEW_CSP =
  "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'";
