// Guards issue 5: while the SMTP server is down, replies wait (retried with
// backoff, same Message-ID) and go out once it is back — none lost, none doubled.
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '@intake/fixture-generator';
import { listMessages } from '../helpers/mailbox.js';
import { runPipeline } from '../helpers/pipeline-run.js';
import { startServer, stopServer } from '../helpers/servers.js';
import { uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';

describe('replies during an SMTP outage', () => {
  it('are retried and delivered exactly once when SMTP comes back', async () => {
    const corpus = await generateCorpus();
    // three ordinary submissions, each from a fresh office address so the mailboxes start empty
    const picked = corpus.cases
      .filter((c) => c.expected.ack === 'reply')
      .slice(0, 3)
      .map((c) => {
        const from = `${uniqueName('office')}@fgw.outage.test`;
        const raw = Buffer.from(
          c.raw.toString('latin1').replace(/^From:.*(?:\r?\n[ \t].*)*$/im, `From: ${from}`),
          'latin1',
        );
        return { ...c, from, raw };
      });
    await stopServer('smtp');
    let restarted = false;
    const run = await runPipeline({
      cases: picked,
      workers: 1,
      smtp: true,
      whileRunning: async (db) => {
        try {
          // every reply has been tried at least once and failed while the server was away
          await waitFor(
            async () => {
              const rows = await db.query<{ n: number }>(
                `select count(*)::int as n from acks where kind = 'ack' and status = 'composed' and last_error is not null`,
              );
              return Number(rows[0]?.n) === picked.length;
            },
            { timeoutMs: 60_000, intervalMs: 200, message: 'replies waiting for SMTP' },
          );
        } finally {
          await startServer('smtp');
          restarted = true;
        }
      },
    }).finally(async () => {
      if (!restarted) await startServer('smtp');
    });
    try {
      const rows = await run.db.query<{ status: string; attempts: number }>(
        `select status, attempts from acks where kind = 'ack'`,
      );
      expect(rows.map((r) => r.status)).toEqual(picked.map(() => 'sent'));
      expect(rows.every((r) => r.attempts >= 2)).toBe(true);
      for (const c of picked) {
        const got = await waitFor(
          async () => {
            const m = await listMessages({ user: c.from });
            return m.length >= 1 ? m : null;
          },
          { timeoutMs: 20_000, message: `reply for ${c.from}` },
        );
        expect(got).toHaveLength(1);
      }
    } finally {
      await run.dispose();
    }
  });
});
