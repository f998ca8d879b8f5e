import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@intake/domain';
import { toBuffer, type Queryable } from '@intake/register-store';

/**
 * The raw archive: every message's bytes, content-addressed by sha256, written
 * durably before anything parses them. `fs` keeps files under DATA_DIR/raw (one
 * machine); `postgres` keeps them in the register database so workers on other
 * machines can read them (RAW_STORE=postgres).
 */
export interface RawStore {
  readonly kind: 'fs' | 'postgres';
  /** idempotent; resolves once the bytes are durable */
  put(sha256: string, bytes: Buffer): Promise<void>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

export function createFsRawStore(dataDir: string, db: Queryable): RawStore {
  const root = path.resolve(dataDir, 'raw');
  const fileOf = (sha: string) => path.join(root, sha.slice(0, 2), `${sha}.eml`);
  return {
    kind: 'fs',
    async put(sha, bytes) {
      const file = fileOf(sha);
      const exists = fs.existsSync(file) && fs.statSync(file).size === bytes.length;
      if (!exists) {
        const dir = path.dirname(file);
        fs.mkdirSync(dir, { recursive: true });
        // write-to-temp, fsync, rename, fsync the directory: a crash leaves either nothing or the whole file
        const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
        const fd = fs.openSync(tmp, 'w');
        try {
          fs.writeSync(fd, bytes);
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        fs.renameSync(tmp, file);
        fsyncDir(dir);
      }
      await db.query('insert into raw_messages (sha256, bytes) values ($1, $2) on conflict do nothing', [sha, bytes.length]);
    },
    async get(sha) {
      try {
        return await fs.promises.readFile(fileOf(sha));
      } catch (cause) {
        throw new AppError('RAW_NOT_FOUND', { message: `raw message ${sha} is not in ${root}`, cause, permanent: true });
      }
    },
    async has(sha) {
      return fs.existsSync(fileOf(sha));
    },
  };
}

export function createPostgresRawStore(db: Queryable): RawStore {
  return {
    kind: 'postgres',
    async put(sha, bytes) {
      // a committed insert is durable (PostgreSQL fsyncs its WAL at commit)
      await db.query(
        `insert into raw_messages (sha256, bytes, content) values ($1, $2, $3)
         on conflict (sha256) do update set content = coalesce(raw_messages.content, excluded.content)`,
        [sha, bytes.length, bytes],
      );
    },
    async get(sha) {
      const rows = await db.query<{ content: unknown }>('select content from raw_messages where sha256 = $1', [sha]);
      const c = rows[0]?.content;
      if (c === null || c === undefined) throw new AppError('RAW_NOT_FOUND', { message: `raw message ${sha} is not in the database`, permanent: true });
      return toBuffer(c);
    },
    async has(sha) {
      const rows = await db.query<{ n: number }>('select count(*)::int as n from raw_messages where sha256 = $1 and content is not null', [sha]);
      return (rows[0]?.n ?? 0) > 0;
    },
  };
}

export function createRawStore(opts: { kind: 'fs' | 'postgres'; dataDir: string; db: Queryable }): RawStore {
  return opts.kind === 'postgres' ? createPostgresRawStore(opts.db) : createFsRawStore(opts.dataDir, opts.db);
}
