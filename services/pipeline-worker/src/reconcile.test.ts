// Guards issue 12.12's decisions (the real-Redis test is
// test/integration/pipeline-replies.test.ts): a job that still exists is never
// doubled, a lost one is re-added under its own id, a finished job that left
// the ledger behind marks it done, a failed one is left for staff, and a reply
// composed but never sent is re-driven.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCampaignProfile } from '@intake/domain';
import { silentLogger } from '@intake/logger';
import { jobIds, type PipelineQueues } from '@intake/queue';
import { registerMessage, type Db } from '@intake/register-store';
// eslint-disable-next-line no-restricted-imports -- arranges the row a transient SMTP failure leaves behind (composed, unsent)
import { insertComposed } from '@intake/register-store/ack-outbox';
import { completeMessage, openTestDb, registerInput, type TestDb } from '@intake/register-store/testing';
import { reconcileOnce } from './reconcile.js';
import type { WorkerContext } from './worker-context.js';

/** A queue that answers getJobState from a table and records what is added or removed. */
class FakeQueue {
  states = new Map<string, string>();
  added: Array<{ name: string; jobId: string | undefined; data: unknown }> = [];
  removed: string[] = [];
  getJobState(id: string): Promise<string> {
    return Promise.resolve(this.states.get(id) ?? 'unknown');
  }
  add(name: string, data: unknown, opts: { jobId?: string }): Promise<void> {
    this.added.push({ name, jobId: opts.jobId, data });
    return Promise.resolve();
  }
  remove(id: string): Promise<number> {
    this.removed.push(id);
    return Promise.resolve(1);
  }
}

const profile = loadCampaignProfile();
let t: TestDb;
let q: Record<'process' | 'validate' | 'acknowledge' | 'ocr', FakeQueue>;
let ctx: WorkerContext;

beforeAll(async () => {
  t = await openTestDb('pglite');
}, 120_000);
afterAll(async () => t?.cleanup(), 60_000);
beforeEach(async () => {
  await t.reset();
  await t.db.exec('truncate mail_ledger, raw_messages cascade');
  q = { process: new FakeQueue(), validate: new FakeQueue(), acknowledge: new FakeQueue(), ocr: new FakeQueue() };
  const queues = { ...q, all: Object.values(q), close: () => Promise.resolve() } as unknown as PipelineQueues;
  ctx = { db: t.db, queues, logger: silentLogger } as unknown as WorkerContext;
});

async function ledgerRow(db: Db, sha256: string, status: string, uid: number): Promise<void> {
  await db.query('insert into raw_messages (sha256, bytes) values ($1, 1) on conflict do nothing', [sha256]);
  await db.query(
    `insert into mail_ledger (origin, mailbox, uid_validity, uid, sha256, received_at, received_at_source, status, job_id)
     values ('imap', 'INBOX', 1, $2, $1, now(), 'server', $3, $4)`,
    [sha256, uid, status, jobIds.processMessage(sha256)],
  );
}

describe('reconcileOnce', () => {
  it('re-adds a lost message job under its own id, and leaves live and failed ones alone', async () => {
    const [lost, live, failed] = ['a', 'b', 'c'].map((c) => c.repeat(64));
    await ledgerRow(t.db, lost!, 'queued', 1);
    await ledgerRow(t.db, live!, 'processing', 2);
    await ledgerRow(t.db, failed!, 'queued', 3);
    q.process.states.set(jobIds.processMessage(live!), 'active');
    q.process.states.set(jobIds.processMessage(failed!), 'failed');
    const r = await reconcileOnce(ctx, { staleMs: 0 });
    expect(r).toMatchObject({ messages: 1, ledgerDone: 0 });
    expect(q.process.added).toEqual([
      { name: 'process-message', jobId: jobIds.processMessage(lost!), data: { sha256: lost, reprocess: false } },
    ]);
    // not stale yet: nothing is looked at
    q.process.added = [];
    expect(await reconcileOnce(ctx, { staleMs: 3_600_000 })).toMatchObject({ messages: 0 });
    expect(q.process.added).toEqual([]);
  });

  it('marks the ledger done when the finished job registered the message; asks for the reply it never got', async () => {
    const reg = await registerMessage(t.db, registerInput(completeMessage({ messageId: '<m@cc.cn>' }), profile));
    const sha256 = (await t.db.query<{ sha256: string }>('select sha256 from messages'))[0]!.sha256;
    await ledgerRow(t.db, sha256, 'queued', 1);
    q.process.states.set(jobIds.processMessage(sha256), 'completed');
    q.validate.states.set(jobIds.validateApplication(reg.applicationId, sha256), 'completed');
    const r = await reconcileOnce(ctx, { staleMs: 0 });
    expect(r).toMatchObject({ ledgerDone: 1, messages: 0, replies: 1, validations: 0 });
    expect((await t.db.query<{ status: string }>('select status from mail_ledger'))[0]?.status).toBe('done');
    expect(q.acknowledge.added).toEqual([
      {
        name: 'acknowledge-message',
        jobId: jobIds.acknowledgeMessage(sha256),
        data: { sha256, applicationId: reg.applicationId },
      },
    ]);
  });

  it('re-runs the lost validation of a message with no reply (its reply follows), once a reply job exists nothing', async () => {
    const reg = await registerMessage(t.db, registerInput(completeMessage({ messageId: '<v@cc.cn>' }), profile));
    const sha256 = (await t.db.query<{ sha256: string }>('select sha256 from messages'))[0]!.sha256;
    expect(await reconcileOnce(ctx, { staleMs: 0 })).toMatchObject({ validations: 1, replies: 0 });
    expect(q.validate.added[0]).toMatchObject({
      jobId: jobIds.validateApplication(reg.applicationId, sha256),
      data: { applicationId: reg.applicationId, triggeredBySha256: sha256, silent: false },
    });
    q.acknowledge.states.set(jobIds.acknowledgeMessage(sha256), 'delayed');
    expect(await reconcileOnce(ctx, { staleMs: 0 })).toMatchObject({ validations: 0, replies: 0 });
  });

  it('re-drives a reply composed but never sent whose job is gone; a failed job is left for staff', async () => {
    const reg = await registerMessage(t.db, registerInput(completeMessage({ messageId: '<r@cc.cn>' }), profile));
    const sha256 = (await t.db.query<{ sha256: string }>('select sha256 from messages'))[0]!.sha256;
    const content = {
      from: 'intake@desk.cn',
      to: 'fgw@cc.cn',
      subject: 'Re: x',
      text: 't',
      html: 'h',
      headers: {},
      inReplyTo: null,
      references: [],
      messageId: '<ack.1.ack@desk.cn>',
    };
    await insertComposed(
      t.db,
      { sourceSha256: sha256, kind: 'ack', applicationId: reg.applicationId },
      content,
      'composed',
    );
    q.acknowledge.states.set(jobIds.acknowledgeMessage(sha256), 'failed');
    expect(await reconcileOnce(ctx, { staleMs: 0 })).toMatchObject({ replies: 0 });
    q.acknowledge.states.delete(jobIds.acknowledgeMessage(sha256));
    expect(await reconcileOnce(ctx, { staleMs: 0 })).toMatchObject({ replies: 1 });
    expect(q.acknowledge.added).toEqual([
      {
        name: 'acknowledge-message',
        jobId: jobIds.acknowledgeMessage(sha256),
        data: { sha256, applicationId: reg.applicationId },
      },
    ]);
  });
});
