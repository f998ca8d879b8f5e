import fs from 'node:fs/promises';
import path from 'node:path';
import { ZOcrPageRecord, type TOcrPageRecord } from './page-record.js';

/**
 * Where OCR results are kept, keyed by the page image's sha256, so a
 * reprocess (or the second phase of a message) never pays for a page twice.
 * The caller chooses: files under DATA_DIR for `intake parse` (offline, no
 * database), the register's `ocr_pages` table (migration 008) when several
 * machines share the register.
 */
export interface OcrCache {
  get(imageSha256: string, engine: string): Promise<TOcrPageRecord | null>;
  put(record: TOcrPageRecord): Promise<void>;
}

/** One JSON file per page image under `dir` (two-character fan-out). */
export class FsOcrCache implements OcrCache {
  constructor(private readonly dir: string) {}

  private fileOf(sha: string): string {
    return path.join(this.dir, sha.slice(0, 2), `${sha}.json`);
  }

  async get(imageSha256: string, engine: string): Promise<TOcrPageRecord | null> {
    if (!/^[0-9a-f]{64}$/.test(imageSha256)) return null;
    let raw: string;
    try {
      raw = await fs.readFile(this.fileOf(imageSha256), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    // a file cut short by a crash, or written by another version, is a miss: the page is read again
    const parsed = ZOcrPageRecord.safeParse(safeJson(raw));
    return parsed.success && parsed.data.engine === engine ? parsed.data : null;
  }

  async put(record: TOcrPageRecord): Promise<void> {
    const file = this.fileOf(record.imageSha256);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // write then rename: a reader never sees half a record
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(record));
    await fs.rename(tmp, file);
  }
}

/** In memory, for tests and one-shot runs. */
export class MemoryOcrCache implements OcrCache {
  readonly records = new Map<string, TOcrPageRecord>();
  get(imageSha256: string, engine: string): Promise<TOcrPageRecord | null> {
    const r = this.records.get(imageSha256);
    return Promise.resolve(r && r.engine === engine ? r : null);
  }
  put(record: TOcrPageRecord): Promise<void> {
    this.records.set(record.imageSha256, record);
    return Promise.resolve();
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // treated as a cache miss by the caller
    return null;
  }
}
