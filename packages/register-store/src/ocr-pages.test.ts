// Guards the shared OCR page cache table: a record is found by image and engine, another engine's
// record is a miss, and a newer engine's record replaces the old one for the same image.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOcrPage, putOcrPage } from './ocr-pages.js';
import { openTestDb, type TestDb } from './testing/test-db.js';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb('pglite');
});
afterAll(() => t.cleanup());

const sha = 'c'.repeat(64);

describe('ocr_pages', () => {
  it('stores, finds and replaces page records by image sha256 and engine', async () => {
    expect(await getOcrPage(t.db, sha, 'e1')).toBeNull();
    await putOcrPage(t.db, sha, 'e1', { text: '请示', lines: [] });
    expect(await getOcrPage(t.db, sha, 'e1')).toEqual({ text: '请示', lines: [] });
    expect(await getOcrPage(t.db, sha, 'e2')).toBeNull();
    await putOcrPage(t.db, sha, 'e2', { text: '请示（新）' });
    expect(await getOcrPage(t.db, sha, 'e1')).toBeNull();
    expect(await getOcrPage(t.db, sha, 'e2')).toEqual({ text: '请示（新）' });
  });
});
