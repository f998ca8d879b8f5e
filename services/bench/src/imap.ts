import fs from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { fetchPlan, uidSet } from '@intake/mail-poller';
import type { Cleanup } from './resources.js';
import type { ServerEnv } from './servers.js';

export async function connectImap(env: ServerEnv, user: string): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: env.imapHost,
    port: env.imapPort,
    secure: false,
    auth: { user, pass: env.mailPassword },
    logger: false,
    emitLogs: false,
    disableAutoIdle: true,
  });
  await client.connect();
  return client;
}

export function imapUrl(env: ServerEnv, user: string): string {
  return `imap://${encodeURIComponent(user)}:${encodeURIComponent(env.mailPassword)}@${env.imapHost}:${env.imapPort}/INBOX`;
}

/** APPENDs every message over one connection; returns the time it took (not part of any figure). */
export async function appendAll(
  env: ServerEnv,
  user: string,
  raws: Iterable<{ raw: Buffer; internalDate?: Date }>,
  onProgress?: (n: number) => void,
): Promise<{ count: number; ms: number; bytes: number }> {
  const client = await connectImap(env, user);
  const t0 = performance.now();
  let count = 0;
  let bytes = 0;
  try {
    for (const m of raws) {
      const r = await client.append('INBOX', m.raw, [], m.internalDate);
      if (!r) throw new Error(`APPEND to ${user} failed`);
      count++;
      bytes += m.raw.length;
      if (onProgress && count % 1000 === 0) onProgress(count);
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return { count, ms: performance.now() - t0, bytes };
}

/**
 * `--large` only: a backlog of 100k written straight into the address's maildir, as a delivery
 * agent would, because APPEND into a maildir of 60k messages slowed to 10k per 8 minutes (Dovecot
 * rescans cur/ on every append). The first message is APPENDed, so Dovecot creates the maildir
 * with its own owner; each file's mtime is its INTERNALDATE. Dovecot assigns the UIDs when the
 * mailbox is next opened: that happens here, before anything is timed.
 */
export async function seedMaildir(
  env: ServerEnv,
  user: string,
  raws: Iterable<{ raw: Buffer; internalDate?: Date }>,
  onProgress?: (n: number) => void,
): Promise<{ count: number; ms: number; bytes: number }> {
  const t0 = performance.now();
  const it = raws[Symbol.iterator]();
  const first = it.next();
  if (first.done) return { count: 0, ms: 0, bytes: 0 };
  await appendAll(env, user, [first.value]);
  // Dovecot's userdb: home=<mail dir>/<address lower-cased>, mail_location=maildir:~/Maildir
  const cur = path.join(env.mailDir, user.toLowerCase(), 'Maildir', 'cur');
  const owner = fs.statSync(cur);
  let count = 1;
  let bytes = first.value.raw.length;
  const pending = new Set<Promise<void>>();
  for (let r = it.next(); !r.done; r = it.next()) {
    const { raw, internalDate } = r.value;
    const when = internalDate ?? new Date();
    const name = `${Math.floor(when.getTime() / 1000)}.M${count}P${process.pid}.bench,S=${raw.length}:2,`;
    const file = path.join(cur, name);
    const write = (async () => {
      await fs.promises.writeFile(file, raw);
      await fs.promises.chown(file, owner.uid, owner.gid);
      await fs.promises.utimes(file, when, when);
    })();
    pending.add(write);
    void write.finally(() => pending.delete(write));
    count++;
    bytes += raw.length;
    if (pending.size >= 16) await Promise.race(pending);
    if (onProgress && count % 10_000 === 0) onProgress(count);
  }
  await Promise.all(pending);
  const client = await connectImap(env, user);
  try {
    const st = await client.status('INBOX', { messages: true });
    if (!st || st.messages !== count)
      throw new Error(`Dovecot sees ${st ? st.messages : 'none'} of the ${count} seeded messages`);
  } finally {
    await client.logout().catch(() => client.close());
  }
  return { count, ms: performance.now() - t0, bytes };
}

/**
 * The baseline of `ingest`: a bare imapflow loop doing what the poller's
 * IMAP side does — SEARCH ALL by UID, then FETCH source+internaldate+flags in
 * batches of the poller's size — and nothing else.
 */
export async function rawFetchAll(env: ServerEnv, user: string): Promise<{ count: number; bytes: number; ms: number }> {
  const t0 = performance.now();
  const client = await connectImap(env, user);
  let count = 0;
  let bytes = 0;
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
      // the poller's batches (by count and by the server's sizes), fetched one after another
      for await (const batch of fetchPlan(client, uids)) {
        for await (const m of client.fetch(
          uidSet(batch.uids),
          { uid: true, source: true, internalDate: true, flags: true },
          { uid: true },
        )) {
          if (!m.source) continue;
          count++;
          bytes += m.source.length;
        }
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return { count, bytes, ms: performance.now() - t0 };
}

/** How many messages the INBOX of `user` holds (0 before its first delivery). */
export async function inboxCount(client: ImapFlow): Promise<number> {
  const s = await client.status('INBOX', { messages: true });
  if (!s) throw new Error('STATUS INBOX failed');
  return s.messages ?? 0;
}

/** Empties `user`'s INBOX at the end of the run (a 10,000-message backlog is half a GB of maildir). */
export function emptyMailboxLater(env: ServerEnv, cleanup: Cleanup, user: string): void {
  cleanup.add(`mailbox ${user}`, async () => {
    const client = await connectImap(env, user);
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        if (client.mailbox && client.mailbox.exists > 0) await client.messageDelete('1:*');
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  });
}
