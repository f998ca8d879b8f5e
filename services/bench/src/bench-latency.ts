import type { BulkMessage } from '@intake/fixture-generator';
import { connectImap, emptyMailboxLater, inboxCount } from './imap.js';
import { stampMessage } from './inputs.js';
import { createDesk } from './pipeline.js';
import { progress } from './progress.js';
import type { Figure } from './report.js';
import { uniqueName, type Cleanup } from './resources.js';
import type { ServerEnv } from './servers.js';
import { percentile, waitUntil } from './stats.js';

interface Sample {
  registerMs: number | null;
  replyMs: number | null;
  ledgerMs: number | null;
}

/**
 * APPEND → register row and APPEND → reply in the sender's Dovecot mailbox,
 * one mail at a time into a poller that waits in IDLE, with one worker process
 * (concurrency 2) and SMTP_URL set to the test Postfix. Each sample has a new
 * sender address, so its mailbox holds nothing but our reply.
 */
export async function benchLatency(
  env: ServerEnv,
  cleanup: Cleanup,
  templates: BulkMessage[],
  samples: number,
): Promise<Figure[]> {
  const desk = await createDesk(env, cleanup, { smtp: true, concurrency: 2 });
  const worker = desk.spawn('worker');
  await worker.waitForLog('worker.started');
  const poller = desk.spawn('poller');
  await poller.waitForLog('imap.connected');
  const appender = await connectImap(env, desk.user);
  const warmups = 2;
  const out: Sample[] = [];
  try {
    for (let i = 0; i < samples + warmups; i++) {
      const tag = uniqueName('lat');
      const sender = `${tag}@s${i}.sender.test`;
      const raw = stampMessage(templates[i % templates.length]!.raw, tag, { from: sender });
      emptyMailboxLater(env, cleanup, sender);
      const senderBox = await connectImap(env, sender);
      try {
        const t0 = performance.now();
        const wall0 = Date.now();
        const ok = await appender.append('INBOX', raw, [], new Date());
        if (!ok) throw new Error('APPEND failed');
        const registered = waitUntil(
          async () =>
            (
              await desk.iso.db.query('select 1 from messages where message_id = $1 or message_id = $2', [
                `<${tag}@bench.invalid>`,
                `${tag}@bench.invalid`,
              ])
            ).length > 0,
          { timeoutMs: 60_000, intervalMs: 10, what: `message ${tag} registered` },
        ).then(
          () => performance.now() - t0,
          () => null,
        );
        const replied = waitUntil(async () => (await inboxCount(senderBox)) > 0, {
          timeoutMs: 60_000,
          intervalMs: 20,
          what: `reply to ${sender}`,
        }).then(
          () => performance.now() - t0,
          () => null,
        );
        const registerMs = await registered;
        const replyMs = await replied;
        // APPEND → the poller's ledger row (PostgreSQL's clock; same machine): how much of the latency is IMAP/IDLE + ingest
        const led = await desk.iso.db.query<{ at: Date }>(
          'select created_at as at from mail_ledger where message_id = $1 or message_id = $2',
          [`<${tag}@bench.invalid>`, `${tag}@bench.invalid`],
        );
        const ledgerMs = led[0] ? new Date(led[0].at).getTime() - wall0 : null;
        const s = { registerMs, replyMs, ledgerMs };
        if (i >= warmups) out.push(s);
        if ((i + 1) % 10 === 0) progress(`latency: ${i + 1 - warmups}/${samples} samples`);
      } finally {
        await senderBox.logout().catch(() => senderBox.close());
      }
    }
  } finally {
    await appender.logout().catch(() => appender.close());
  }
  const reg = out.map((s) => s.registerMs).filter((v): v is number => v !== null);
  const rep = out.map((s) => s.replyMs).filter((v): v is number => v !== null);
  const led = out.map((s) => s.ledgerMs).filter((v): v is number => v !== null);
  const lost = `${out.length - reg.length} register / ${out.length - rep.length} reply timeouts (60 s)`;
  progress(
    `latency: register p50 ${percentile(reg, 50)?.toFixed(0)} ms, reply p50 ${percentile(rep, 50)?.toFixed(0)} ms (${lost})`,
  );
  const note = `${out.length} samples after ${warmups} warm-ups, realistic ~320 KB submissions, IDLE, one at a time, DB polled every 10 ms, sender INBOX every 20 ms; ${lost}`;
  return [
    { key: 'e2e.latencyMs.p50', value: percentile(reg, 50), unit: 'ms', note },
    { key: 'e2e.latencyMs.p95', value: percentile(reg, 95), unit: 'ms' },
    { key: 'e2e.latencyMs.p99', value: percentile(reg, 99), unit: 'ms' },
    {
      key: 'e2e.latencyMs.toLedgerP50',
      value: percentile(led, 50),
      unit: 'ms',
      note: "APPEND → the poller's ledger row (IDLE wake-up + fetch + archive); the rest of e2e latency is queue + worker parse + register",
    },
    {
      key: 'reply.latencyMs.p50',
      value: percentile(rep, 50),
      unit: 'ms',
      baseline: { label: 'e2e.latencyMs.p50', value: percentile(reg, 50) },
      note: 'reply = register + validate + compose + SMTP to the test Postfix + LMTP delivery to Dovecot',
    },
    { key: 'reply.latencyMs.p99', value: percentile(rep, 99), unit: 'ms' },
  ];
}
