// Guards the fs archive's segments (issue 14.3): prepare() readies it before a first write (and a failed one is
// retried by that write), a batch is one durable segment, every message in it reads back byte for byte, a message archived twice is written once, archives from before
// segments (one .eml per message) still read, and a read that finds other bytes than the index
// promises fails loudly instead of handing a worker the wrong message.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '@intake/register-store/testing';
import { createFsRawStore, sha256Of } from './raw-store.js';

let t: TestDb;
let dataDir: string;
beforeAll(async () => {
  t = await openTestDb('pglite');
});
afterAll(() => t.cleanup());
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const mail = (n: number, size = 300): Buffer =>
  Buffer.concat([
    Buffer.from(`Subject: m${n}\r\n\r\n`),
    crypto.randomBytes(size),
    Buffer.from('\r\n中文\xff', 'latin1'),
  ]);
const segmentsOf = (dir: string) => fs.readdirSync(path.join(dir, 'raw', 'segments'));

describe('fs raw archive in segments', () => {
  it('writes a batch as one segment and reads each message back exactly', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-seg-'));
    const store = createFsRawStore(dataDir, t.db);
    const msgs = [mail(1), mail(2, 0), mail(3, 70_000)];
    await store.putMany(msgs.map((bytes) => ({ sha256: sha256Of(bytes), bytes })));
    expect(segmentsOf(dataDir)).toHaveLength(1);
    expect(segmentsOf(dataDir)[0]).toMatch(/^seg-\d+-\d+-0\.seg$/);
    for (const m of msgs) {
      expect((await store.get(sha256Of(m))).equals(m)).toBe(true);
      expect(await store.has(sha256Of(m))).toBe(true);
    }
    expect(await store.has('0'.repeat(64))).toBe(false);
    // 89-byte header + bytes + newline per record: nothing else in the file
    const size = fs.statSync(path.join(dataDir, 'raw', 'segments', segmentsOf(dataDir)[0]!)).size;
    expect(size).toBe(msgs.reduce((n, m) => n + 89 + m.length + 1, 0));
  });

  it('prepare() makes the archive ready before the first write, which then writes into it', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-seg-'));
    const store = createFsRawStore(dataDir, t.db);
    await store.prepare();
    expect(segmentsOf(dataDir)).toEqual([]);
    await store.prepare();
    const m = mail(20);
    await store.putMany([{ sha256: sha256Of(m), bytes: m }]);
    expect(segmentsOf(dataDir)).toHaveLength(1);
    expect((await store.get(sha256Of(m))).equals(m)).toBe(true);
  });

  it('a failed prepare() is retried by the first write, which reports what is wrong', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-seg-'));
    // DATA_DIR/raw is a file: no directory can be made under it
    fs.writeFileSync(path.join(dataDir, 'raw'), 'not a directory');
    const store = createFsRawStore(dataDir, t.db);
    await expect(store.prepare()).rejects.toThrow(/ENOTDIR|EEXIST/);
    const m = mail(21);
    await expect(store.putMany([{ sha256: sha256Of(m), bytes: m }])).rejects.toThrow(/ENOTDIR|EEXIST/);
    // the operator fixes it: the next write sets up and archives
    fs.rmSync(path.join(dataDir, 'raw'));
    await store.putMany([{ sha256: sha256Of(m), bytes: m }]);
    expect((await store.get(sha256Of(m))).equals(m)).toBe(true);
  });

  it('writes a message already archived (or twice in one batch) only once', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-seg-'));
    const store = createFsRawStore(dataDir, t.db);
    const a = mail(10);
    const b = mail(11);
    await store.putMany([a, a].map((bytes) => ({ sha256: sha256Of(bytes), bytes })));
    await store.putMany([a].map((bytes) => ({ sha256: sha256Of(bytes), bytes })));
    expect(segmentsOf(dataDir)).toHaveLength(1);
    await store.putMany([a, b].map((bytes) => ({ sha256: sha256Of(bytes), bytes })));
    const segs = segmentsOf(dataDir).map((f) => fs.readFileSync(path.join(dataDir, 'raw', 'segments', f)));
    expect(segs.map((s) => s.length).sort((x, y) => x - y)).toEqual([89 + a.length + 1, 89 + b.length + 1]);
    expect((await store.get(sha256Of(b))).equals(b)).toBe(true);
  });

  it('reads an archive written before segments, and re-archives a legacy file that went missing', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-seg-'));
    const old = mail(20);
    const gone = mail(21);
    for (const m of [old, gone]) {
      const sha = sha256Of(m);
      await t.db.query('insert into raw_messages (sha256, bytes) values ($1, $2)', [sha, m.length]);
      fs.mkdirSync(path.join(dataDir, 'raw', sha.slice(0, 2)), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'raw', sha.slice(0, 2), `${sha}.eml`), m);
    }
    fs.rmSync(path.join(dataDir, 'raw', sha256Of(gone).slice(0, 2), `${sha256Of(gone)}.eml`));
    const store = createFsRawStore(dataDir, t.db);
    await expect(store.get(sha256Of(gone))).rejects.toMatchObject({ code: 'RAW_NOT_FOUND' });
    await store.putMany([old, gone].map((bytes) => ({ sha256: sha256Of(bytes), bytes })));
    // only the missing one went into a segment; the whole legacy file stays where it was
    const [seg] = segmentsOf(dataDir);
    expect(fs.statSync(path.join(dataDir, 'raw', 'segments', seg!)).size).toBe(89 + gone.length + 1);
    expect((await store.get(sha256Of(old))).equals(old)).toBe(true);
    expect((await store.get(sha256Of(gone))).equals(gone)).toBe(true);
  });

  it('refuses a record that is not the one the index names, and never leaves segments/', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-seg-'));
    const store = createFsRawStore(dataDir, t.db);
    const a = mail(30);
    const b = mail(31);
    await store.putMany([a, b].map((bytes) => ({ sha256: sha256Of(bytes), bytes })));
    // the index pointing at the neighbour's record (a hand-edited row, a copied database)
    const rows = await t.db.query<{ segment_offset: string }>(
      'select segment_offset from raw_messages where sha256 = $1',
      [sha256Of(b)],
    );
    await t.db.query('update raw_messages set segment_offset = $2 where sha256 = $1', [
      sha256Of(a),
      rows[0]!.segment_offset,
    ]);
    await expect(store.get(sha256Of(a))).rejects.toMatchObject({ code: 'RAW_NOT_FOUND' });
    // a segment name that climbs out of the archive is read as a name inside segments/
    // (a well-formed record of b: only the confinement stops it being read)
    const header = `intake-raw ${sha256Of(b)} ${String(b.length).padStart(12, '0')}\n`;
    fs.writeFileSync(path.join(dataDir, 'outside.seg'), Buffer.concat([Buffer.from(header), b, Buffer.from('\n')]));
    await t.db.query('update raw_messages set segment = $2, segment_offset = 0 where sha256 = $1', [
      sha256Of(b),
      '../../outside.seg',
    ]);
    await expect(store.get(sha256Of(b))).rejects.toMatchObject({ code: 'RAW_NOT_FOUND' });
  });
});
