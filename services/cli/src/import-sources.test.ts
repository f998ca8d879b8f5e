import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listImportFiles, readImportFile, receiptTimeOf } from './import-sources.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-import-'));
const msg = (n: number, extra = '') =>
  `Message-ID: <m${n}@x>\nSubject: ${n}\nDate: Thu, 14 May 2020 10:00:00 +0800\n${extra}\nbody ${n}\n>From the start\n`;

describe('import sources', () => {
  it('splits an mbox at "From " lines, undoes >From quoting and takes the receipt time from the From line (UTC)', () => {
    const file = path.join(dir, 'export.mbox');
    fs.writeFileSync(
      file,
      `From a@x Sat May 16 00:30:00 2020\n${msg(1)}\nFrom b@x Thu May 14 01:00:00 2020\n${msg(2)}`,
    );
    const items = [...readImportFile(file)];
    expect(items).toHaveLength(2);
    expect(items[0]!.receivedAt.toISOString()).toBe('2020-05-16T00:30:00.000Z');
    expect(items[0]!.receivedAtSource).toBe('mbox');
    expect(items[1]!.raw.toString()).toContain('From the start');
    expect(items[1]!.raw.toString()).not.toContain('>From the start');
    expect(items.map((i) => i.sourceRef)).toEqual([`${file}#0`, `${file}#1`]);
  });

  it('prefers the topmost Received header over the sender-set Date header', () => {
    const withReceived = Buffer.from(
      'Received: from mx by mail.jldrc (Postfix) with ESMTP id 1;\n Sat, 16 May 2020 08:00:05 +0800\n' + msg(3),
    );
    expect(receiptTimeOf(withReceived, new Date(0))).toEqual({
      receivedAt: new Date('2020-05-16T00:00:05Z'),
      receivedAtSource: 'received-header',
    });
    expect(receiptTimeOf(Buffer.from(msg(4)), new Date(0)).receivedAtSource).toBe('date-header');
    expect(receiptTimeOf(Buffer.from('Subject: x\n\nno dates'), new Date(5)).receivedAtSource).toBe('file-mtime');
  });

  it('walks folders for .eml and mbox files', () => {
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, 'a.eml'), msg(5));
    fs.writeFileSync(path.join(sub, 'notes.txt'), 'not mail');
    const files = listImportFiles([dir]);
    expect(files.some((f) => f.endsWith('a.eml'))).toBe(true);
    expect(files.some((f) => f.endsWith('notes.txt'))).toBe(false);
  });
});
