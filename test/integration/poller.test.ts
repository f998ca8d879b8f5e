// Guards issue 2: every email that reached the submission mailbox is in the
// system exactly once, with the server's receipt time — through IDLE, polling,
// a stopped poller, a Dovecot restart, a Redis outage, a recreated mailbox and
// mail someone already read. (The failures of paperless-ngx, FreeScout and n8n
// this must make impossible.) And issue 12.11: with Dovecot refusing connections
// the poller reconnected in a busy loop, a log line per attempt, and nobody could
// see the mailbox's state.
import { afterEach, describe, expect, it } from 'vitest';
import { createRootLogger } from '@intake/logger';
import { getSyncState, listLedger, listMailboxStates } from '@intake/register-store';
import { appendMessage, countMessages, createMailbox, deleteMailbox, listMessages } from '../helpers/mailbox.js';
import { restartServer, startServer, stopServer } from '../helpers/servers.js';
import { uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';
import { createPollerHarness, makeMail, type PollerHarness } from '../helpers/poller-harness.js';
import { archivedMessages } from '../helpers/raw-segments.js';

let h: PollerHarness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

const T0 = Date.parse('2020-05-15T10:00:00+08:00');

async function appendRange(
  user: string,
  mailbox: string,
  tag: string,
  from: number,
  to: number,
  flags: string[] = [],
): Promise<void> {
  for (let i = from; i < to; i++) {
    await appendMessage({ user, mailbox, raw: makeMail(i, tag), internalDate: new Date(T0 + i * 60_000), flags });
  }
}

async function expectExactlyOnce(harness: PollerHarness, count: number, tag: string): Promise<void> {
  // the ledger says "queued" only after the queue add returns (ingestBatch marks it then): wait
  // for that state itself, not for the jobs, or the check below races the last batch's update
  const queued = async () =>
    (await listLedger(harness.db, { mailbox: harness.mailbox })).filter((r) => r.status === 'queued').length;
  await waitFor(async () => (await queued()) >= count && (await harness.processJobIds()).length >= count, {
    timeoutMs: 90_000,
    intervalMs: 250,
    message: `ledger and queue should reach ${count}`,
  });
  const rows = await listLedger(harness.db, { mailbox: harness.mailbox });
  expect(rows).toHaveLength(count);
  expect(new Set(rows.map((r) => r.message_id)).size).toBe(count);
  expect(rows.every((r) => r.status === 'queued')).toBe(true);
  // receivedAt is the server's INTERNALDATE we appended with, not the Date header
  for (const r of rows) {
    const m = /^<(.+)-(\d+)@fgw\.test>$/.exec(r.message_id ?? '');
    expect(m?.[1]).toBe(tag);
    expect(new Date(r.received_at).getTime()).toBe(T0 + Number(m?.[2]) * 60_000);
    expect(r.received_at_source).toBe('server');
  }
  const jobIds = await harness.processJobIds();
  expect(jobIds).toHaveLength(count);
  expect(new Set(jobIds).size).toBe(count);
  expect(harness.archivedShas()).toHaveLength(count);
}

describe('mail poller against Dovecot, Redis and PostgreSQL', () => {
  it('ingests 200 messages exactly once across IDLE, a stopped poller and a Dovecot restart', async () => {
    const user = uniqueName('intake') + '@desk.test';
    h = await createPollerHarness({ user });
    const tag = uniqueName('m200');
    await appendRange(user, 'INBOX', tag, 0, 20); // backlog before the first start
    h.start();
    await waitFor(async () => (await h!.ledgerCount()) === 20, { timeoutMs: 30_000, message: 'initial backlog' });
    await appendRange(user, 'INBOX', tag, 20, 80); // while IDLE-ing
    await waitFor(async () => (await h!.ledgerCount()) === 80, { timeoutMs: 30_000, message: 'IDLE arrivals' });
    await h.stop();
    await appendRange(user, 'INBOX', tag, 80, 140); // while stopped
    h.start();
    await appendRange(user, 'INBOX', tag, 140, 170);
    await restartServer('imap'); // connections drop; the poller reconnects by itself
    await appendRange(user, 'INBOX', tag, 170, 200);
    await expectExactlyOnce(h, 200, tag);
  });

  it('holds while Redis is down for 10 s and resumes by itself, losing nothing', async () => {
    const user = uniqueName('intake') + '@desk.test';
    h = await createPollerHarness({ user });
    const tag = uniqueName('redis');
    h.start();
    await appendRange(user, 'INBOX', tag, 0, 3);
    await waitFor(async () => (await h!.processJobIds()).length === 3, {
      timeoutMs: 30_000,
      message: 'first messages queued',
    });
    const stoppedAt = Date.now();
    await stopServer('redis');
    try {
      await appendRange(user, 'INBOX', tag, 3, 10);
      // archived and recorded while Redis is away; not yet queued
      await waitFor(async () => (await listLedger(h!.db, { mailbox: 'INBOX' })).some((r) => r.status === 'archived'), {
        timeoutMs: 30_000,
        message: 'a message archived during the outage',
      });
      await waitFor(async () => Date.now() - stoppedAt >= 10_000, {
        timeoutMs: 15_000,
        intervalMs: 200,
        message: 'outage lasts 10 s',
      });
    } finally {
      await startServer('redis');
    }
    await expectExactlyOnce(h, 10, tag);
  });

  it('waits between reconnects while Dovecot refuses connections, logs per step, and records the state', async () => {
    const user = uniqueName('intake') + '@desk.test';
    h = await createPollerHarness({ user });
    const lines: { level: number; code?: string; msg?: string }[] = [];
    const logger = createRootLogger({
      level: 'debug',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) },
    });
    await stopServer('imap');
    let refusedFor: number;
    let attempts: number;
    try {
      const startedAt = performance.now();
      // random 0: each wait is half its step, so 100 ms, then 200 ms at the 400 ms ceiling
      const poller = h.start({
        logger,
        poller: { minReconnectDelayMs: 200, maxReconnectDelayMs: 400, random: () => 0 },
      });
      await waitFor(() => poller.status().attempts >= 6, { timeoutMs: 30_000, intervalMs: 20, message: '6 attempts' });
      refusedFor = performance.now() - startedAt;
      attempts = poller.status().attempts;
      const [state] = await listMailboxStates(h.db);
      expect(state).toMatchObject({ mailbox: `${user}/INBOX`, state: 'retrying' });
      expect(state!.attempts).toBeGreaterThanOrEqual(5);
      expect(state!.lastError).toContain('ECONNREFUSED');
      expect(state!.nextAttemptAt).not.toBeNull();
    } finally {
      await startServer('imap');
    }
    // the busy loop made thousands of attempts a second; waiting ≥ 100 ms each allows at most one per 100 ms
    expect(attempts).toBeLessThanOrEqual(1 + Math.ceil(refusedFor / 100));
    const loud = lines.filter((l) => l.level >= 40);
    expect(loud.length).toBeGreaterThan(0);
    // one line per step while the wait grows, then one a minute — never one per attempt, nor ImapFlow's own
    expect(loud.every((l) => l.code === 'imap.reconnecting')).toBe(true);
    expect(loud.length).toBeLessThan(attempts);
    await waitFor(async () => (await listMailboxStates(h!.db))[0]?.state === 'connected', {
      timeoutMs: 30_000,
      message: 'connected again once Dovecot is back',
    });
    const [back] = await listMailboxStates(h.db);
    expect(back).toMatchObject({ state: 'connected', attempts: 0, nextAttemptAt: null });
    expect(back!.lastError).toContain('ECONNREFUSED');
    await h.stop();
    expect((await listMailboxStates(h.db))[0]?.state).toBe('stopped');
  });

  it('does not duplicate when the mailbox is deleted and recreated with the same messages (new UIDVALIDITY)', async () => {
    const user = uniqueName('intake') + '@desk.test';
    const mailbox = 'Submissions';
    await createMailbox({ user, mailbox });
    h = await createPollerHarness({ user, mailbox });
    const tag = uniqueName('uidv');
    await appendRange(user, mailbox, tag, 0, 8);
    h.start();
    await waitFor(async () => (await h!.ledgerCount()) === 8, { timeoutMs: 30_000, message: 'first pass' });
    const before = await listLedger(h.db, { mailbox });
    await h.stop();
    await deleteMailbox({ user, mailbox });
    await createMailbox({ user, mailbox });
    await appendRange(user, mailbox, tag, 0, 8); // the same bytes again, new UIDs, new UIDVALIDITY
    await appendRange(user, mailbox, tag, 8, 10); // plus two new ones
    h.start();
    await waitFor(
      async () =>
        (await h!.ledgerCount()) === 10 &&
        (await listLedger(h!.db, { mailbox })).every((r) => Number(r.uid_validity) !== Number(before[0]!.uid_validity)),
      { timeoutMs: 30_000, message: 'resync after UIDVALIDITY change' },
    );
    await expectExactlyOnce(h, 10, tag);
  });

  it("cuts a backlog into FETCH batches by count and by the server's sizes, holding no more bytes than allowed", async () => {
    const user = uniqueName('intake') + '@desk.test';
    h = await createPollerHarness({ user });
    const tag = uniqueName('plan');
    const KiB = 1024;
    // a ~200 KB body for #5, #6, #7 and ~700 KB for #20; the rest are a few hundred bytes
    const padding = (kib: number) => '\r\n' + ('x'.repeat(76) + '\r\n').repeat(Math.ceil((kib * KiB) / 78));
    const bigKiB = new Map([
      [5, 200],
      [6, 200],
      [7, 200],
      [20, 700],
    ]);
    for (let i = 0; i < 30; i++) {
      const big = bigKiB.get(i);
      await appendMessage({
        user,
        mailbox: 'INBOX',
        raw: makeMail(i, tag, big ? padding(big) : ''),
        internalDate: new Date(T0 + i * 60_000),
      });
    }
    // the real store, watched: bytes of the batches being written at once
    const limits = { maxMessages: 6, firstMessages: 2, maxBytes: 300 * KiB, maxHeldBytes: 500 * KiB, sizeWindow: 11 };
    const pending = { bytes: 0, batches: 0 };
    const overHeld: number[] = [];
    const watched = {
      ...h.rawStore,
      async putMany(items: Array<{ sha256: string; bytes: Buffer }>) {
        const bytes = items.reduce((n, i) => n + i.bytes.length, 0);
        pending.bytes += bytes;
        pending.batches++;
        // one batch alone may be larger (a message over the bound is fetched by itself)
        if (pending.batches > 1 && pending.bytes > limits.maxHeldBytes) overHeld.push(pending.bytes);
        try {
          await h!.rawStore.putMany(items);
        } finally {
          pending.bytes -= bytes;
          pending.batches--;
        }
      },
    };
    h.start({ poller: { fetchLimits: limits }, rawStore: watched });
    await expectExactlyOnce(h, 30, tag);
    expect(overHeld).toEqual([]);
    // one segment per batch. Written by hand from the limits: the cap starts at 2 and doubles to 6,
    // a batch closes before a message that would take it over 300 KB, a message over it goes alone,
    // and sizes are asked 11 UIDs at a time (a batch never spans two windows)
    const bySegment = new Map<string, number[]>();
    for (const m of archivedMessages(h.dataDir)) {
      const i = Number(/Message-ID: <[^>]*-(\d+)@fgw\.test>/.exec(m.bytes.toString('latin1'))?.[1]);
      bySegment.set(m.segment, [...(bySegment.get(m.segment) ?? []), i]);
    }
    const groups = [...bySegment.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
    expect(groups).toEqual([
      [0, 1],
      [2, 3, 4, 5],
      [6],
      [7, 8, 9, 10],
      [11, 12, 13, 14, 15, 16],
      [17, 18, 19],
      [20],
      [21],
      [22, 23, 24, 25, 26, 27],
      [28, 29],
    ]);
    // the checkpoint rode on the last batch's "queued" update
    expect((await getSyncState(h.db, 'INBOX'))?.lastUid).toBe(30);
  });

  it('ingests a message someone already marked \\Seen, also when polling without IDLE', async () => {
    const user = uniqueName('intake') + '@desk.test';
    h = await createPollerHarness({ user });
    const tag = uniqueName('seen');
    h.start({ disableIdle: true });
    await appendRange(user, 'INBOX', tag, 0, 2, ['\\Seen']);
    await appendRange(user, 'INBOX', tag, 2, 3);
    await expectExactlyOnce(h, 3, tag);
    const rows = await listLedger(h.db, { mailbox: 'INBOX' });
    expect(rows.filter((r) => r.flags.includes('\\Seen'))).toHaveLength(2);
    // the default action is none: nothing was marked, moved or deleted
    const inMailbox = await listMessages({ user });
    expect(inMailbox).toHaveLength(3);
    expect(inMailbox.filter((m) => m.flags.includes('\\Seen'))).toHaveLength(2);
  });

  it('leaves the mailbox untouched by default, and marks \\Seen or moves after queueing when configured', async () => {
    const tag = uniqueName('act');
    for (const action of [{ type: 'seen' as const }, { type: 'move' as const, folder: 'Processed' }]) {
      const user = uniqueName('intake') + '@desk.test';
      h = await createPollerHarness({ user, action });
      await appendRange(user, 'INBOX', tag, 0, 2);
      h.start();
      await expectExactlyOnce(h, 2, tag);
      if (action.type === 'seen') {
        await waitFor(async () => (await listMessages({ user })).every((m) => m.flags.includes('\\Seen')), {
          timeoutMs: 10_000,
          message: 'marked \\Seen',
        });
      } else {
        await waitFor(
          async () =>
            (await countMessages({ user, mailbox: 'INBOX' })) === 0 &&
            (await countMessages({ user, mailbox: 'Processed' })) === 2,
          { timeoutMs: 10_000, message: 'moved to Processed' },
        );
      }
      await h.cleanup();
      h = null;
    }
  });
});
