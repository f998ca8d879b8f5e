// Guards the file cache `intake parse` uses: a record written is read back for the same engine,
// another engine's record or a torn file is a miss (the page is read again, never trusted).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsOcrCache } from './ocr-cache.js';
import type { TOcrPageRecord } from './page-record.js';

const record: TOcrPageRecord = {
  engine: 'e1',
  imageSha256: 'b'.repeat(64),
  width: 10,
  height: 20,
  rotation: 90,
  skewDegrees: -1.2,
  text: '请示',
  chars: 2,
  confidence: 0.9,
  lines: [{ text: '请示', confidence: 0.9, box: { x: 1, y: 2, width: 3, height: 4 } }],
};

describe('FsOcrCache', () => {
  it('returns what was put for the same engine only; a torn file is a miss', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocr-cache-'));
    const cache = new FsOcrCache(dir);
    expect(await cache.get(record.imageSha256, 'e1')).toBeNull();
    await cache.put(record);
    expect(await cache.get(record.imageSha256, 'e1')).toEqual(record);
    expect(await cache.get(record.imageSha256, 'e2')).toBeNull();
    fs.writeFileSync(path.join(dir, 'bb', `${record.imageSha256}.json`), '{"engine":"e1","ima');
    expect(await cache.get(record.imageSha256, 'e1')).toBeNull();
    expect(await cache.get('../../etc/passwd', 'e1')).toBeNull();
  });
});
