/**
 * Proves the real test servers started by scripts/servers work the way the
 * other integration tests assume. Guards against: Redis evicting BullMQ keys or
 * losing them on restart (appendonly/noeviction), IMAP internal dates being
 * replaced by arrival time, IDLE not notifying other connections, SMTP mail for
 * unknown domains being rejected or delivered outside loopback, an SMTP outage
 * not being visible to senders, and a PostgreSQL other than 15 (the register's
 * SQL must run on 15); and start/stop scripts that are not idempotent or leave
 * processes behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { appendMessage, connectImap, listMessages, waitForMessages } from '../helpers/mailbox.js';
import {
  isServerRunning,
  parseEnvFile,
  runServersScript,
  SERVER_NAMES,
  serverEnv,
  startServer,
  stopServer,
} from '../helpers/servers.js';
import { sendMail } from '../helpers/smtp.js';
import { uniqueAddress, uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';

describe('test servers', () => {
  it('exports the same env to workers as the env file holds', () => {
    const env = serverEnv();
    expect(inject('intakeServers')).toEqual(env);
    expect(process.env.TEST_IMAP_PORT).toBe(String(env.TEST_IMAP_PORT));
    expect(process.env.TEST_DATABASE_URL).toBe(env.TEST_DATABASE_URL);
    expect(process.env.REDIS_URL).toBe(env.REDIS_URL);
  });

  describe('redis', () => {
    const redis = new Redis(serverEnv().REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    afterAll(() => redis.disconnect());

    it('answers PING and keeps BullMQ-safe persistence settings', async () => {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    });
  });

  describe('imap', () => {
    it('round-trips an APPEND with an explicit internal date and flags', async () => {
      const user = uniqueAddress('append');
      const mailbox = uniqueName('box');
      const internalDate = new Date('2020-05-14T02:03:04.000Z');
      const raw = `From: a@fgw.test\r\nTo: ${user}\r\nSubject: dated ${mailbox}\r\nMessage-ID: <${mailbox}@fgw.test>\r\n\r\nbody\r\n`;

      const appended = await appendMessage({ user, mailbox, raw, internalDate, flags: ['\\Seen'] });

      const messages = await listMessages({ user, mailbox });
      expect(messages).toHaveLength(1);
      const [message] = messages;
      expect(message?.uid).toBe(appended.uid);
      expect(appended.uidValidity).toBeGreaterThan(0);
      expect(message?.internalDate.toISOString()).toBe(internalDate.toISOString());
      expect(message?.flags).toContain('\\Seen');
      expect(message?.raw.toString('utf8')).toBe(raw);
      expect(message?.envelope?.subject).toBe(`dated ${mailbox}`);
    });

    it("notifies an IDLE-ing connection of another connection's APPEND", async () => {
      const user = uniqueAddress('idle');
      const watcher = await connectImap(user);
      try {
        await watcher.mailboxOpen('INBOX');
        const counts: number[] = [];
        watcher.on('exists', (data: { count: number }) => counts.push(data.count));
        const idling = watcher.idle();
        await waitFor(() => watcher.idling, { timeoutMs: 5_000, message: 'IDLE to start' });

        const started = Date.now();
        await appendMessage({ user, raw: 'Subject: ping\r\n\r\nhello\r\n' });
        // The watcher issues no command: only IDLE can tell it about message 1.
        await waitFor(() => counts.includes(1), { timeoutMs: 10_000, message: 'EXISTS 1 on the IDLE-ing connection' });
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(watcher.idling).toBe(true);
        await Promise.all([watcher.logout(), idling]);
      } finally {
        watcher.close();
      }
    });
  });

  describe('smtp', () => {
    it("delivers mail for any address at any domain into that address's mailbox", async () => {
      const to = uniqueAddress('Rcpt', `${uniqueName('fgw')}.changchun.test`);
      const subject = `delivery ${uniqueName('s')}`;

      const info = await sendMail({ from: 'sender@elsewhere.test', to, subject, text: '已收到 hello' });
      expect(info.rejected).toEqual([]);

      const [message, ...rest] = await waitForMessages({ user: to.toLowerCase(), count: 1, timeoutMs: 15_000 });
      expect(rest).toHaveLength(0);
      expect(message?.envelope?.subject).toBe(subject);
      expect(message?.raw.toString('utf8')).toContain(`Delivered-To: ${to.toLowerCase()}`);
    });

    it('refuses mail while SMTP is stopped and delivers again once it is started', async () => {
      const to = uniqueAddress('outage');
      try {
        await stopServer('smtp');
        expect(await isServerRunning('smtp')).toBe(false);
        await expect(sendMail({ from: 'a@b.test', to, subject: 'while down', text: 'x' })).rejects.toThrow(
          /ECONNREFUSED|connect/i,
        );
      } finally {
        await startServer('smtp');
      }
      expect(await isServerRunning('smtp')).toBe(true);
      await sendMail({ from: 'a@b.test', to, subject: 'after restart', text: 'y' });
      const messages = await waitForMessages({ user: to, count: 1 });
      expect(messages.map((m) => m.envelope?.subject)).toEqual(['after restart']);
    });
  });

  describe('postgresql', () => {
    it('is PostgreSQL 15 with the intake_test database', async () => {
      const client = new pg.Client({ connectionString: serverEnv().TEST_DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: string; db: string }>(
          'select version(), current_database() as db',
        );
        expect(rows[0]?.version).toMatch(/^PostgreSQL 15\./);
        expect(rows[0]?.db).toBe('intake_test');
      } finally {
        await client.end();
      }
    });
  });

  describe('scripts', () => {
    it('start twice is a no-op, and stop leaves no process behind, in a private second instance', async () => {
      const dir = mkdtempSync('/tmp/intake-servers-it-');
      const [redis, imap, lmtp, smtp, pgPort] = await freePorts(5);
      const env = {
        ...process.env,
        INTAKE_SERVERS_DIR: dir,
        INTAKE_REDIS_PORT: String(redis),
        INTAKE_IMAP_PORT: String(imap),
        INTAKE_LMTP_PORT: String(lmtp),
        INTAKE_SMTP_PORT: String(smtp),
        INTAKE_PG_PORT: String(pgPort),
      };
      try {
        const first = await runServersScript('start.sh', [], env);
        expect(first.code, first.output).toBe(0);
        const written = parseEnvFile(readFileSync(`${dir}/env`, 'utf8'));
        expect(written.TEST_IMAP_PORT).toBe(String(imap));
        expect(written.TEST_DATABASE_URL).toBe(`postgres://postgres@127.0.0.1:${pgPort}/intake_test`);
        const mains = await mainPids(env);
        const pids = processTree(Object.values(mains));

        const second = await runServersScript('start.sh', [], env);
        expect(second.code, second.output).toBe(0);
        expect(await mainPids(env)).toEqual(mains);

        expect(pids.length).toBeGreaterThan(SERVER_NAMES.length);
        expect(pgrep(dir).length).toBeGreaterThan(0);

        const stopped = await runServersScript('stop.sh', [], env);
        expect(stopped.code, stopped.output).toBe(0);
        expect(pids.filter(isLive)).toEqual([]);
        expect(pgrep(dir)).toEqual([]);
        const again = await runServersScript('stop.sh', [], env);
        expect(again.code, again.output).toBe(0);
      } finally {
        await runServersScript('stop.sh', [], env);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

async function mainPids(env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of SERVER_NAMES) {
    const status = await runServersScript('ctl.sh', ['status', name], env);
    const pid = /running \(pid (\d+)\)/.exec(status.output)?.[1];
    if (status.code !== 0 || !pid) throw new Error(`${name} is not running: ${status.output}`);
    out[name] = Number(pid);
  }
  return out;
}

/** The given pids and all their descendants, from one `ps` snapshot. */
function processTree(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid === undefined || ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const all: number[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    all.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return all;
}

/** Alive and not a zombie waiting for init to reap it. */
function isLive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Live processes whose command line mentions `text`. */
function pgrep(text: string): string[] {
  let out: string;
  try {
    out = execFileSync('pgrep', ['-a', '-f', text], { encoding: 'utf8' });
  } catch (error) {
    if ((error as { status?: number }).status === 1) return []; // pgrep: no match
    throw error;
  }
  return out
    .trim()
    .split('\n')
    .filter((line) => {
      const pid = Number(line.split(' ')[0]);
      return pid !== process.pid && isLive(pid);
    });
}
