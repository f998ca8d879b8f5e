// Guards issue 2 §5: with RAW_STORE=postgres a worker on another machine (no
// access to the poller's DATA_DIR) reads the exact raw bytes from the shared
// database; the fs store keeps them under DATA_DIR/raw.
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresRawStore } from '@intake/raw-archive';
import { listLedger, openDb } from '@intake/register-store';
import { appendMessage } from '../helpers/mailbox.js';
import { createPollerHarness, makeMail, type PollerHarness } from '../helpers/poller-harness.js';
import { uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';

let h: PollerHarness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('raw archive switch', () => {
  it('RAW_STORE=postgres: another process reads the archived bytes from the database, nothing under DATA_DIR', async () => {
    const user = uniqueName('raw') + '@desk.test';
    h = await createPollerHarness({ user, rawStore: 'postgres' });
    const raws = [makeMail(1, 'pgraw'), makeMail(2, 'pgraw', '\r\n中文正文 with 8-bit bytes \u00ff')];
    for (const raw of raws) await appendMessage({ user, raw, internalDate: new Date('2020-05-14T01:00:00Z') });
    h.start();
    await waitFor(async () => (await h!.ledgerCount()) === 2, { timeoutMs: 30_000, message: 'two messages archived' });
    expect(h.archivedShas()).toEqual([]);
    const elsewhere = await openDb({ databaseUrl: h.dbUrl });
    try {
      const store = createPostgresRawStore(elsewhere);
      const rows = await listLedger(elsewhere, { mailbox: 'INBOX' });
      const got = await Promise.all(rows.map((r) => store.get(r.sha256)));
      expect(got.map((b) => b.toString('latin1')).sort()).toEqual(raws.map((b) => b.toString('latin1')).sort());
    } finally {
      await elsewhere.close();
    }
  });

  it('RAW_STORE=fs: the message in a durable segment, content-addressed', async () => {
    const user = uniqueName('rawfs') + '@desk.test';
    h = await createPollerHarness({ user, rawStore: 'fs' });
    await appendMessage({ user, raw: makeMail(1, 'fsraw'), internalDate: new Date('2020-05-14T01:00:00Z') });
    h.start();
    await waitFor(async () => (await h!.ledgerCount()) === 1, { timeoutMs: 30_000, message: 'archived' });
    const [row] = await listLedger(h.db, { mailbox: 'INBOX' });
    expect(h.archivedShas()).toEqual([row!.sha256]);
    expect((await h.rawStore.get(row!.sha256)).equals(makeMail(1, 'fsraw'))).toBe(true);
  });
});
