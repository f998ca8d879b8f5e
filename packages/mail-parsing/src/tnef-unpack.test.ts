// Guards (issue 10): winmail.dat (TNEF, sent by Outlook in RTF mode, common from Chinese offices)
// was listed as unreadable. It is unpacked into its attachments, which are walked like any other
// file. Real sample from node-tnef's test files; the GBK-name case is built by hand.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { unpackTnef } from './tnef-unpack.js';

const REAL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/real/tnef');

/** One TNEF attribute: level, id, type, length, data, checksum (sum of the data bytes). */
function attr(level: number, id: number, type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head[0] = level;
  head.writeUInt16LE(id, 1);
  head.writeUInt16LE(type, 3);
  head.writeUInt32LE(data.length, 5);
  const sum = Buffer.alloc(2);
  sum.writeUInt16LE([...data].reduce((a, b) => (a + b) & 0xffff, 0));
  return Buffer.concat([head, data, sum]);
}

describe('unpackTnef', () => {
  it('unpacks the attachments of a real winmail.dat (node-tnef attachments.dat)', () => {
    const t = unpackTnef(fs.readFileSync(path.join(REAL, 'node-tnef-attachments.dat')));
    expect(t.attachments.length).toBeGreaterThan(0);
    const jpg = t.attachments.find((a) => a.filename === 'zappa_av1.jpg');
    expect(jpg?.data.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('decodes an 8.3 attachment title in the OEM code page 936 (GBK)', () => {
    const cp = Buffer.alloc(8);
    cp.writeUInt32LE(936);
    const tnef = Buffer.concat([
      Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00]),
      attr(1, 0x9007, 0x0006, cp),
      attr(1, 0x8004, 0x0001, Buffer.concat([iconv.encode('申报材料', 'gbk'), Buffer.from([0])])),
      attr(2, 0x9002, 0x0006, Buffer.alloc(14)),
      attr(2, 0x8010, 0x0001, Buffer.concat([iconv.encode('附件2.csv', 'gbk'), Buffer.from([0])])),
      attr(2, 0x800f, 0x0006, Buffer.from('项目名称,总投资\n')),
    ]);
    const t = unpackTnef(tnef);
    expect(t.subject).toBe('申报材料');
    expect(t.attachments).toEqual([{ filename: '附件2.csv', data: Buffer.from('项目名称,总投资\n') }]);
  });

  it('refuses bytes that are not TNEF and a truncated file, saying why', () => {
    expect(() => unpackTnef(Buffer.from('hello world'))).toThrow(/not a TNEF/);
    const truncated = Buffer.concat([
      Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00]),
      attr(2, 0x800f, 6, Buffer.alloc(100)),
    ]);
    expect(() => unpackTnef(truncated.subarray(0, 60))).toThrow(/runs past the end/);
  });
});
