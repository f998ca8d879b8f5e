/**
 * Proves the real test servers started by scripts/servers work the way the
 * other integration tests assume. Guards against: Redis evicting BullMQ keys or
 * losing them on restart (appendonly/noeviction), IMAP internal dates being
 * replaced by arrival time, IDLE not notifying other connections, SMTP mail for
 * unknown domains being rejected or delivered outside loopback, an SMTP outage
 * not being visible to senders, and a PostgreSQL other than 15 (the register's
 * SQL must run on 15).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { appendMessage, connectImap, listMessages, waitForMessages } from '../helpers/mailbox.js';
import { isServerRunning, serverEnv, startServer, stopServer } from '../helpers/servers.js';
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

    it('notifies an IDLE-ing connection of another connection\'s APPEND', async () => {
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
    it('delivers mail for any address at any domain into that address\'s mailbox', async () => {
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
        await expect(sendMail({ from: 'a@b.test', to, subject: 'while down', text: 'x' })).rejects.toThrow(/ECONNREFUSED|connect/i);
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
        const { rows } = await client.query<{ version: string; db: string }>('select version(), current_database() as db');
        expect(rows[0]?.version).toMatch(/^PostgreSQL 15\./);
        expect(rows[0]?.db).toBe('intake_test');
      } finally {
        await client.end();
      }
    });
  });
});
