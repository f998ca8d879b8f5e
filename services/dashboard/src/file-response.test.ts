// Guards: header injection / mojibake in download names, and HTML served inline as a "preview".
import { describe, expect, it } from 'vitest';
import { contentDisposition, downloadContentType, previewType } from './file-response.js';

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    const v = contentDisposition('attachment', '附件2：重点项目汇总表.xlsx');
    expect(v).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(v.split("UTF-8''")[1]!)).toBe('附件2：重点项目汇总表.xlsx');
  });
  it('cannot be broken out of with quotes, CR/LF or slashes', () => {
    const v = contentDisposition('attachment', 'a"\r\nSet-Cookie: x=1/..\\b.pdf');
    expect(v).not.toMatch(/[\r\n]/);
    expect(v.split('filename="')[1]!.split('"')[0]).not.toContain('\\');
  });
});

describe('downloadContentType / previewType', () => {
  it('never labels sender-declared html or svg as such', () => {
    expect(downloadContentType('x', 'text/html')).toBe('application/octet-stream');
    expect(downloadContentType('x.svg', 'image/svg+xml')).toBe('application/octet-stream');
    expect(downloadContentType('a.pdf', 'text/html')).toBe('application/pdf');
  });
  it('previews only real PDFs and raster images', () => {
    expect(previewType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(previewType(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(previewType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });
});
