// Guards (issue 10): .rar and .7z were listed as unreadable. They are opened with the zip limits:
// GBK-only RAR4 names decoded, encrypted files reported one by one, encrypted headers refused
// with a clear reason, bombs refused within limits (declared ratio up front, real bytes while
// extracting). Real samples from libarchive's test suite; synthetic ones are named so (see
// test/fixtures/real/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeStoredRar4 } from '@intake/fixture-generator';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { ArchiveContents } from './archive-expand.js';
import { expandArchive } from './expand-archive.js';
import { resolveLimits, type ParseLimits } from './limits.js';
import { decodeUnrarName } from './rar-expand.js';
import { sniffFormat } from './sniff-format.js';

const REAL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/real');
const real = (p: string): Buffer => fs.readFileSync(path.join(REAL, p));
const listed = (c: ArchiveContents): Record<string, string> =>
  Object.fromEntries(c.members.map((m) => [m.path, m.data ? m.data.toString('utf8') : `error: ${m.error}`]));

async function open(p: string, data = real(p), limits: Partial<ParseLimits> = {}): Promise<ArchiveContents> {
  const format = (await sniffFormat(data, path.basename(p))).format;
  return expandArchive(format, data, resolveLimits(limits), { usedBytes: 0 });
}

describe('RAR', () => {
  it('decodes GBK-only RAR4 names (WinRAR on Chinese Windows)', async () => {
    const rar = makeStoredRar4([
      { nameBytes: iconv.encode('附件2 重点项目汇总表.csv', 'gbk'), data: Buffer.from('项目名称,总投资\n') },
      { nameBytes: iconv.encode('材料\\关于申报的请示.txt', 'gbk'), data: Buffer.from('请示正文') },
    ]);
    const out = await open('申报材料.rar', rar);
    expect(out.error).toBeUndefined();
    expect(listed(out)).toEqual({
      '附件2 重点项目汇总表.csv': '项目名称,总投资\n',
      '材料/关于申报的请示.txt': '请示正文',
    });
  });

  it('reads RAR4 Unicode names and skips links with a reason (libarchive rar_unicode)', async () => {
    const out = await open('rar/test_read_format_rar_unicode.rar');
    expect(Object.keys(listed(out))).toEqual([
      '表だよ/新しいフォルダ/新規テキスト ドキュメント.txt',
      '表だよ/漢字長いファイル名long-filename-in-漢字.txt',
      '表だよ/ファイル',
      'abcdefghijklmnopqrsテスト.txt',
    ]);
    expect(listed(out)['表だよ/ファイル']).toMatch(/链接/);
  });

  it('reads a solid RAR5 archive (libarchive rar5_multiple_files_solid)', async () => {
    const out = await open('rar/test_read_format_rar5_multiple_files_solid.rar');
    expect(out.members.map((m) => [m.path, m.data?.length])).toEqual([
      ['test1.bin', 4096],
      ['test2.bin', 4096],
      ['test3.bin', 4096],
      ['test4.bin', 4096],
    ]);
  });

  it('reports encrypted files one by one and reads the others (libarchive rar_encryption_partially)', async () => {
    const out = listed(await open('rar/test_read_format_rar_encryption_partially.rar'));
    expect(out['foo.txt']).toMatch(/已加密/);
    expect(out['bar.txt']).not.toMatch(/^error/);
  });

  it('refuses an archive whose names are encrypted, saying so (libarchive rar_encryption_header)', async () => {
    expect((await open('rar/test_read_format_rar_encryption_header.rar')).error).toMatch(/文件名也加密/);
  });

  it('refuses a RAR bomb before extracting: 19 KB → 20 MB (libarchive multi_lzss_blocks)', async () => {
    const out = await open('rar/test_read_format_rar_multi_lzss_blocks.rar');
    expect(out.error).toMatch(/解压炸弹.*1019:1/);
    expect(out.members).toEqual([]);
  });

  it('refuses it on the message budget when the ratio limit is lifted', async () => {
    const out = await open('rar/test_read_format_rar_multi_lzss_blocks.rar', undefined, {
      maxCompressionRatio: 1e6,
      maxTotalUnpackedBytes: 4 * 1024 * 1024,
    });
    expect(out.error).toMatch(/超过上限/);
  });

  it("turns unrar's mapped bytes back into the name's bytes", () => {
    const bytes = iconv.encode('附件', 'gbk');
    const mapped = '\uFFFE' + [...bytes].map((b) => String.fromCharCode(0xe000 + b)).join('');
    expect(decodeUnrarName(mapped)).toBe('附件');
    expect(decodeUnrarName('plain.txt')).toBe('plain.txt');
  });
});

describe('7z and friends', () => {
  it('reads Chinese names (synthetic, made with 7-Zip)', async () => {
    expect(listed(await open('7z/synthetic-chinese-names.7z'))).toEqual({
      '申报材料/附件2 重点项目汇总表.csv': '项目名称,总投资（万元）\n长春光电子产业园,35000\n',
      '申报材料/关于申报的请示.txt': '关于申报长春市光电子信息产业集群的请示',
    });
  });

  it('reads an LZMA2 archive (libarchive 7zip_lzma2)', async () => {
    const out = await open('7z/test_read_format_7zip_lzma2.7z');
    expect(out.members.map((m) => [m.path, m.data?.length])).toEqual([['file1', 2844]]);
  });

  it('reports the encrypted file and reads the other (libarchive 7zip_encryption_partially)', async () => {
    const out = listed(await open('7z/test_read_format_7zip_encryption_partially.7z'));
    expect(out['bar_encrypted.txt']).toMatch(/已加密/);
    expect(out['bar_unencrypted.txt']).toBe('foo\n');
  });

  it('refuses encrypted headers without waiting for a password (libarchive 7zip_encryption_header)', async () => {
    expect((await open('7z/test_read_format_7zip_encryption_header.7z')).error).toMatch(/文件名也加密/);
  });

  it('refuses a 7z bomb before extracting: 10 KB → 64 MB of zeros (synthetic)', async () => {
    const out = await open('7z/synthetic-bomb-zeros.7z');
    expect(out.error).toMatch(/解压炸弹/);
  });

  it('stops a gzip that lies about its size at the cap, counting real bytes (synthetic)', async () => {
    // the trailer says 100 bytes; the stream inflates to 5 MiB
    const out = await open('7z/synthetic-lying-size.gz', undefined, { maxAttachmentBytes: 1024 * 1024 });
    expect(out.error).toBeUndefined();
    expect(out.members).toHaveLength(1);
    expect(out.members[0]?.data).toBeUndefined();
    expect(out.members[0]?.error).toMatch(/过大|上限/);
  });
});
