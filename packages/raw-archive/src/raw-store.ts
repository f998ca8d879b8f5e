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
  /** several at once (a fetch batch): one round trip to the index, fsyncs in parallel */
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

/** Multi-row insert into the archive index; the one statement both stores share. */
async function indexRows(
  db: Queryable,
  items: Array<{ sha256: string; bytes: Buffer }>,
  withContent: boolean,
): Promise<void> {
  if (items.length === 0) return;
  const unique = [...new Map(items.map((i) => [i.sha256, i])).values()];
  const params: unknown[] = [];
  const tuples = unique.map((i) => {
    params.push(i.sha256, i.bytes.length, ...(withContent ? [i.bytes] : []));
    const n = params.length;
    return withContent ? `($${n - 2}, $${n - 1}, $${n})` : `($${n - 1}, $${n})`;
  });
  await db.query(
    withContent
      ? `insert into raw_messages (sha256, bytes, content) values ${tuples.join(', ')}
         on conflict (sha256) do update set content = coalesce(raw_messages.content, excluded.content)`
      : `insert into raw_messages (sha256, bytes) values ${tuples.join(', ')} on conflict do nothing`,
    params,
  );
}

/** `<sha>.eml.<pid>.<ms>.tmp`: the pid of the writer is in the name. */
const TEMP_NAME = /^[0-9a-f]{64}\.eml\.(\d+)\.\d+\.tmp$/;

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
 * open and its rename leaves one (never a torn .eml, which only a rename creates). A live
 * writer's temp file (this process's or a concurrent one's) is left alone.
 */
export async function removeTornTempFiles(root: string): Promise<void> {
  // no archive yet (ENOENT): nothing can be torn
  const shards = await fs.promises.readdir(root).catch(() => [] as string[]);
  for (const shard of shards) {
    const dir = path.join(root, shard);
    // a stray file where a shard directory would be (ENOTDIR): not ours to judge
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const m = TEMP_NAME.exec(name);
      if (!m || processIsAlive(Number(m[1]))) continue;
      // gone already (ENOENT): another store swept it first
      await fs.promises.rm(path.join(dir, name), { force: true });
    }
  }
}

export function createFsRawStore(dataDir: string, db: Queryable): RawStore {
  const root = path.resolve(dataDir, 'raw');
  const fileOf = (sha: string) => path.join(root, sha.slice(0, 2), `${sha}.eml`);
  // shard directories known to exist: at most 256, so a backlog costs one mkdir per shard, not one per message
  const madeDirs = new Set<string>();
  // torn temp files of writers that died (kill -9 mid-batch) are removed once, before this store's first write
  let swept: Promise<void> | null = null;
  /**
   * write-to-temp, fsync, rename: a crash leaves either nothing or the whole file. Returns its
   * directory (null when the file was there already) and whether that directory was created now.
   */
  const writeDurably = async (sha: string, bytes: Buffer): Promise<{ dir: string; newDir: boolean } | null> => {
    swept ??= removeTornTempFiles(root);
    await swept;
    const file = fileOf(sha);
    // absent (ENOENT) is the usual answer: then the file is written below
    const st = await fs.promises.stat(file).catch(() => null);
    if (st && st.size === bytes.length) return null;
    const dir = path.dirname(file);
    // mkdir tells whether it created anything: only then has root gained an entry to fsync
    let created = madeDirs.has(dir) ? undefined : await fs.promises.mkdir(dir, { recursive: true });
    madeDirs.add(dir);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    const fh = await fs.promises.open(tmp, 'w').catch(async (err: unknown) => {
      // the shard directory went away since we made it (removed by hand): make it again, once
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      created = await fs.promises.mkdir(dir, { recursive: true });
      return fs.promises.open(tmp, 'w');
    });
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, file);
    return { dir, newDir: created !== undefined };
  };
  const store: RawStore = {
    kind: 'fs',
    async put(sha, bytes) {
      await store.putMany([{ sha256: sha, bytes }]);
    },
    async putMany(items) {
      // one batch (a FETCH), one round of fsyncs: the files' in parallel, then each directory that
      // gained a file once, all at the same time (they share the journal commit), never one by one
      const written = (await Promise.all(items.map((i) => writeDurably(i.sha256, i.bytes)))).filter((w) => w !== null);
      const changed = new Set(written.map((w) => w.dir));
      // a shard directory created just now is an entry in root
      if (written.some((w) => w.newDir)) changed.add(root);
      await Promise.all([...changed].map(fsyncDir));

      await indexRows(db, items, false);
    },
    async get(sha) {
      try {
        return await fs.promises.readFile(fileOf(sha));
      } catch (cause) {
        throw new AppError('RAW_NOT_FOUND', {
          message: `raw message ${sha} is not in ${root}`,
          cause,
          permanent: true,
        });
      }
    },
    has(sha) {
      return Promise.resolve(fs.existsSync(fileOf(sha)));
    },
  };
  return store;
}

export function createPostgresRawStore(db: Queryable): RawStore {
  return {
    kind: 'postgres',
    // a committed insert is durable (PostgreSQL fsyncs its WAL at commit)
    async put(sha, bytes) {
      await indexRows(db, [{ sha256: sha, bytes }], true);
    },
    async putMany(items) {
      await indexRows(db, items, true);
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
