// Guards (issue 9, real-world files): zips that common tools open were refused whole — bytes
// appended after the end record, bytes prepended (also to a zip64), a wrong directory size, one
// entry whose own record is bad — and an entry named only in its Unicode Path extra field was
// dropped without a trace. Samples from yauzl's and Go's archive/zip test suites (see
// test/fixtures/real/README.md); the rest are those files altered by hand, as noted.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandZip, type ArchiveContents } from './archive-expand.js';
import { resolveLimits } from './limits.js';
import { buildZip } from './test-helpers/zip-writer.js';

const REAL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/real/zip');
const real = (name: string): Buffer => fs.readFileSync(path.join(REAL, name));
const expand = (data: Buffer): ArchiveContents => expandZip(data, resolveLimits(), { usedBytes: 0 });
const read = (c: ArchiveContents): Record<string, string> =>
  Object.fromEntries(c.members.map((m) => [m.path, m.data ? `${m.data.length} bytes` : `error: ${m.error}`]));

describe('zips other tools open', () => {
  it('reads a zip with bytes appended after the end record (yauzl)', () => {
    const out = expand(real('yauzl-extra-bytes-at-end.zip'));
    expect(out.error).toBeUndefined();
    expect(read(out)).toEqual({ 'a.txt': '5 bytes', 'b.txt': '5 bytes' });
    expect(out.notes.join()).toMatch(/末尾有多余数据/);
  });

  it("reads Go's test-prefix.zip and test-trailing-junk.zip", () => {
    for (const name of ['go-test-prefix.zip', 'go-test-trailing-junk.zip']) {
      const out = expand(real(name));
      expect(read(out), name).toEqual({ 'test.txt': '26 bytes', 'gophercolor16x16.png': '785 bytes' });
    }
    expect(expand(real('go-test-prefix.zip')).notes.join()).toMatch(/前有 43 字节/);
  });

  it("reads Go's zips whose end record gives a wrong directory size", () => {
    for (const name of ['go-test-baddirsz.zip', 'go-test-badbase.zip']) {
      expect(read(expand(real(name))), name).toEqual({
        'test.txt': '26 bytes',
        'gophercolor16x16.png': '785 bytes',
      });
    }
  });

  it("reads a zip64 with a shell-script stub prepended (Go's zip64.zip, prefixed here)", () => {
    const stub = Buffer.from('#!/bin/sh\nexec unzip "$0"\n' + '#'.repeat(100) + '\n');
    const out = expand(Buffer.concat([stub, real('go-zip64.zip')]));
    expect(read(out)).toEqual({ README: '36 bytes' });
    expect(out.members[0]?.data?.toString()).toBe('This small file is in ZIP64 format.\n');
  });

  it('reads entries whose directory sizes are wrong but whose data checks out (yauzl wrong-entry-sizes)', () => {
    expect(read(expand(real('yauzl-wrong-entry-sizes.zip')))).toEqual({
      'a.txt': '39 bytes',
      'b.txt': '76 bytes',
    });
  });

  it('marks only the entry whose record is bad, and reads the rest', () => {
    const zip = buildZip([
      { name: 'good-1.txt', data: Buffer.from('first file') },
      { name: 'bad.txt', data: Buffer.from('second file, to be damaged') },
      { name: 'good-2.txt', data: Buffer.from('third file') },
    ]);
    // the central record of bad.txt is the second "PK\1\2"; give it a compressed size past the end
    let cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), cd + 4);
    zip.writeUInt32LE(0x7fffffff, cd + 20);
    const out = expand(zip);
    expect(out.error).toBeUndefined();
    expect(read(out)['good-1.txt']).toBe('10 bytes');
    expect(read(out)['good-2.txt']).toBe('10 bytes');
    expect(read(out)['bad.txt']).toMatch(/^error: 压缩包条目损坏/);
  });

  it('names an entry from its CRC-valid Unicode Path field when the name is control bytes (yauzl)', () => {
    const out = expand(real('yauzl-unicode-path-extra-field.zip'));
    expect(out.members.map((m) => m.path)).toEqual(['七个房间.txt']);
    expect(out.notes.join()).toMatch(/Unicode 路径扩展字段/);
  });

  it('never drops an entry without a name: a fallback name and a note', () => {
    const out = expand(buildZip([{ name: Buffer.from([0x01, 0x02, 0x03]), data: Buffer.from('x'), utf8Flag: true }]));
    expect(out.members.map((m) => [m.path, m.data?.toString()])).toEqual([['未命名条目-1', 'x']]);
    expect(out.notes.join()).toMatch(/名称无法读取/);
  });

  it('reports an encrypted entry per entry (yauzl traditional-encryption)', () => {
    expect(read(expand(real('yauzl-traditional-encryption.zip')))).toEqual({
      'a.txt': 'error: 压缩包条目已加密，无法读取 (encrypted entry)',
    });
  });
});
