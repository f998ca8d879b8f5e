import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@intake/domain';
import { toBuffer, type Queryable } from '@intake/register-store';

/**
 * The raw archive: every message's bytes, content-addressed by sha256, written
 * durably before anything parses them. `fs` keeps segment files under DATA_DIR/raw (one
 * machine); `postgres` keeps them in the register database so workers on other
 * machines can read them (RAW_STORE=postgres).
 */
export interface RawStore {
  readonly kind: 'fs' | 'postgres';
  /**
   * Gets the archive ready for its first write (directories made durable, torn temp files of dead
   * writers removed), once; a write does it itself when it was not done. The poller calls it while
   * it connects, so the first batch does not wait for it.
   */
  prepare(): Promise<void>;
  /** idempotent; resolves once the bytes are durable */
  put(sha256: string, bytes: Buffer): Promise<void>;
  /** several at once (a fetch batch): one durable write and one index statement for all of them */
  putMany(items: Array<{ sha256: string; bytes: Buffer }>): Promise<void>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** fsync of a directory, on libuv's pool: several run at once and share the journal commit */
async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Multi-row insert of the bytes themselves into the archive index (RAW_STORE=postgres). */
async function insertContent(db: Queryable, items: Array<{ sha256: string; bytes: Buffer }>): Promise<void> {
  if (items.length === 0) return;
  const unique = [...new Map(items.map((i) => [i.sha256, i])).values()];
  const params: unknown[] = [];
  const tuples = unique.map((i) => {
    params.push(i.sha256, i.bytes.length, i.bytes);
    const n = params.length;
    return `($${n - 2}, $${n - 1}, $${n})`;
  });
  await db.query(
    `insert into raw_messages (sha256, bytes, content) values ${tuples.join(', ')}
     on conflict (sha256) do update set content = coalesce(raw_messages.content, excluded.content)`,
    params,
  );
}

/** `<sha>.eml.<pid>.<ms>.tmp` (a per-message file, before segments) or `seg-<ms>-<pid>-<n>.seg.tmp`: the writer's pid is in the name. */
const TEMP_NAMES = [/^[0-9a-f]{64}\.eml\.(\d+)\.\d+\.tmp$/, /^seg-\d+-(\d+)-\d+\.seg\.tmp$/];

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but someone else's; only ESRCH says there is no such process
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temp files of writers that are no longer running: a writer killed between its
 * open and its rename leaves one (never a torn segment or .eml, which only a rename creates). A
 * live writer's temp file (this process's or a concurrent one's) is left alone.
 */
export async function removeTornTempFiles(root: string): Promise<void> {
  // no archive yet (ENOENT): nothing can be torn
  const dirs = await fs.promises.readdir(root).catch(() => [] as string[]);
  for (const sub of dirs) {
    const dir = path.join(root, sub);
    // a stray file where a directory would be (ENOTDIR): not ours to judge
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const pid = TEMP_NAMES.map((re) => re.exec(name)?.[1]).find((p) => p !== undefined);
      if (pid === undefined || processIsAlive(Number(pid))) continue;
      // gone already (ENOENT): another store swept it first
      await fs.promises.rm(path.join(dir, name), { force: true });
    }
  }
}

/**
 * Each record in a segment: a fixed-width header line naming the message, its bytes, a newline.
 * The header makes a segment readable without the database (`grep -a '^intake-raw '` lists its
 * messages) and lets a read check it found what the index says, without hashing the message.
 */
const HEADER_BYTES = 'intake-raw '.length + 64 + 1 + 12 + 1;
function recordHeader(sha256: string, length: number): Buffer {
  return Buffer.from(`intake-raw ${sha256} ${String(length).padStart(12, '0')}\n`, 'latin1');
}

/** writev until every byte is down: a regular file may still take fewer bytes than asked */
async function writeAll(fh: fs.promises.FileHandle, parts: Buffer[]): Promise<void> {
  const rest = parts.filter((p) => p.length > 0);
  while (rest.length > 0) {
    let { bytesWritten } = await fh.writev(rest);
    while (rest.length > 0 && bytesWritten >= rest[0]!.length) bytesWritten -= rest.shift()!.length;
    if (bytesWritten > 0) rest[0] = rest[0]!.subarray(bytesWritten);
  }
}

async function readExactly(file: string, position: number, length: number): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const out = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(out, got, length - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return out.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/**
 * DATA_DIR/raw/segments/seg-<ms>-<pid>-<n>.seg: one segment per batch (a FETCH, an import),
 * written to a temp file, fsynced, renamed, then the directory fsynced once — a crash leaves
 * the whole segment or none of it — and only then indexed in raw_messages (segment, offset).
 * Archives written before segments (raw/<xx>/<sha>.eml, one file per message) are still read.
 */
export function createFsRawStore(dataDir: string, db: Queryable): RawStore {
  const root = path.resolve(dataDir, 'raw');
  const segmentsDir = path.join(root, 'segments');
  const legacyFileOf = (sha: string) => path.join(root, sha.slice(0, 2), `${sha}.eml`);
  let made: Promise<void> | null = null;
  let seq = 0;
  const ready = () =>
    (made ??= (async () => {
      // torn temp files of writers that died (kill -9 mid-batch) are removed before the first write
      await removeTornTempFiles(root);
      // mkdir says whether it created anything: only then has root (or DATA_DIR) gained an entry to fsync
      const created = await fs.promises.mkdir(segmentsDir, { recursive: true });
      // both at once: they share one journal commit, and nothing is written before both are done
      if (created !== undefined) await Promise.all([fsyncDir(root), fsyncDir(path.dirname(root))]);
    })().catch((err: unknown) => {
      made = null;
      throw err;
    }));

  /** the messages of `items` not archived yet (an index row whose bytes are readable), one query */
  const missing = async (items: Array<{ sha256: string; bytes: Buffer }>) => {
    const unique = [...new Map(items.map((i) => [i.sha256, i])).values()];
    const rows = await db.query<{ sha256: string; segment: string | null }>(
      'select sha256, segment from raw_messages where sha256 = any($1::text[])',
      [unique.map((i) => i.sha256)],
    );
    const known = new Map(rows.map((r) => [r.sha256, r.segment]));
    const out: typeof unique = [];
    for (const i of unique) {
      if (!known.has(i.sha256)) out.push(i);
      // indexed before segments: keep its file if it is whole, re-archive it if it went missing
      else if (known.get(i.sha256) === null) {
        // absent (ENOENT) or unreadable: either way it is not archived any more, so write it again
        const st = await fs.promises.stat(legacyFileOf(i.sha256)).catch(() => null);
        if (!st || st.size !== i.bytes.length) out.push(i);
      }
    }
    return out;
  };

  const store: RawStore = {
    kind: 'fs',
    prepare: ready,
    async put(sha, bytes) {
      await store.putMany([{ sha256: sha, bytes }]);
    },
    async putMany(items) {
      if (items.length === 0) return;
      await ready();
      const todo = await missing(items);
      if (todo.length === 0) return;
      const name = `seg-${Date.now()}-${process.pid}-${seq++}.seg`;
      const file = path.join(segmentsDir, name);
      const parts: Buffer[] = [];
      const offsets: number[] = [];
      let offset = 0;
      for (const i of todo) {
        offsets.push(offset);
        parts.push(recordHeader(i.sha256, i.bytes.length), i.bytes, NEWLINE);
        offset += HEADER_BYTES + i.bytes.length + 1;
      }
      const tmp = `${file}.tmp`;
      const fh = await fs.promises.open(tmp, 'wx');
      try {
        await writeAll(fh, parts);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.promises.rename(tmp, file);
      await fsyncDir(segmentsDir);

      const params: unknown[] = [];
      const tuples = todo.map((i, k) => {
        params.push(i.sha256, i.bytes.length, name, offsets[k]);
        const n = params.length;
        return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
      });
      // a row already there (a concurrent batch of the same message, or a legacy file that went
      // missing) gains this location only if it has none: every location written is durable
      await db.query(
        `insert into raw_messages (sha256, bytes, segment, segment_offset) values ${tuples.join(', ')}
         on conflict (sha256) do update set segment = excluded.segment, segment_offset = excluded.segment_offset
         where raw_messages.segment is null`,
        params,
      );
    },
    async get(sha) {
      const rows = await db.query<{ segment: string | null; segment_offset: string | number | null; bytes: number }>(
        'select segment, segment_offset, bytes from raw_messages where sha256 = $1',
        [sha],
      );
      const row = rows[0];
      if (row?.segment) {
        // the name came from this store, but the database is read back: never a path outside segments/
        const file = path.join(segmentsDir, path.basename(row.segment));
        let rec: Buffer;
        try {
          rec = await readExactly(file, Number(row.segment_offset), HEADER_BYTES + row.bytes);
        } catch (cause) {
          throw new AppError('RAW_NOT_FOUND', {
            message: `raw message ${sha}: segment ${row.segment} is not readable`,
            cause,
            permanent: true,
          });
        }
        if (
          rec.length !== HEADER_BYTES + row.bytes ||
          !rec.subarray(0, HEADER_BYTES).equals(recordHeader(sha, row.bytes))
        )
          throw new AppError('RAW_NOT_FOUND', {
            message: `raw message ${sha}: segment ${row.segment} does not hold it at ${row.segment_offset}`,
            permanent: true,
          });
        return rec.subarray(HEADER_BYTES);
      }
      try {
        return await fs.promises.readFile(legacyFileOf(sha));
      } catch (cause) {
        throw new AppError('RAW_NOT_FOUND', {
          message: `raw message ${sha} is not in ${root}`,
          cause,
          permanent: true,
        });
      }
    },
    async has(sha) {
      const rows = await db.query<{ segment: string | null }>('select segment from raw_messages where sha256 = $1', [
        sha,
      ]);
      if (rows[0]?.segment) return true;
      return fs.existsSync(legacyFileOf(sha));
    },
  };
  return store;
}

const NEWLINE = Buffer.from('\n');

export function createPostgresRawStore(db: Queryable): RawStore {
  return {
    kind: 'postgres',
    // the table is the register's, made by its migrations
    prepare: () => Promise.resolve(),
    // a committed insert is durable (PostgreSQL fsyncs its WAL at commit)
    async put(sha, bytes) {
      await insertContent(db, [{ sha256: sha, bytes }]);
    },
    async putMany(items) {
      await insertContent(db, items);
    },
    async get(sha) {
      const rows = await db.query<{ content: unknown }>('select content from raw_messages where sha256 = $1', [sha]);
      const c = rows[0]?.content;
      if (c === null || c === undefined)
        throw new AppError('RAW_NOT_FOUND', { message: `raw message ${sha} is not in the database`, permanent: true });
      return toBuffer(c);
    },
    async has(sha) {
      const rows = await db.query<{ n: number }>(
        'select count(*)::int as n from raw_messages where sha256 = $1 and content is not null',
        [sha],
      );
      return (rows[0]?.n ?? 0) > 0;
    },
  };
}

export function createRawStore(opts: { kind: 'fs' | 'postgres'; dataDir: string; db: Queryable }): RawStore {
  return opts.kind === 'postgres' ? createPostgresRawStore(opts.db) : createFsRawStore(opts.dataDir, opts.db);
}
