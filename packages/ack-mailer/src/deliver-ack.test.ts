// Guards the outbox's exactly-once: one SMTP send per (message, kind) across
// retries, concurrent workers and crashes; 4xx retried, 5xx final; no SMTP →
// stored; skips recorded and never reconsidered.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDb, summariseAck, type Db } from '@intake/register-store';
import { countRecentReplies, getAck, listAcksForMessage, recordSkip } from '@intake/register-store/ack-outbox';
import { acknowledgeMessage } from './acknowledge-message.js';
import { isRetryableAckError } from './ack-errors.js';
import { composeAck } from './compose-ack.js';
import { deliverAck } from './deliver-ack.js';
import { resendAck, sendReminders } from './staff-operations.js';
import { FakeTransport, makeAckContext, makeHeaders, OUR_ADDRESS, smtpError } from './test-support.fixture.js';

let db: Db;
let n = 0;
/** a fresh source message per test: rows never leak between tests */
let sha: string;
const opts = { from: OUR_ADDRESS, timezone: 'Asia/Shanghai' };
const compose = () => composeAck(makeAckContext({ sourceSha256: sha }), opts);

// PGlite's start-up plus the migrations takes seconds on a busy shared machine
beforeAll(async () => {
  db = await openDb({ memory: true });
  await migrate(db);
}, 120_000);
afterAll(async () => db.close());
beforeEach(() => {
  n += 1;
  sha = n.toString(16).padStart(64, '0');
});

describe('deliverAck', () => {
  it('sends once and returns the sent row on every later call', async () => {
    const t = new FakeTransport();
    const first = await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t });
    expect(first).toMatchObject({ status: 'sent', sentNow: true });
    expect(first.row.smtp_response).toBe('250 2.0.0 Ok: queued as Q1');
    expect(first.row.attempts).toBe(1);
    expect(first.row.sent_at).toBeInstanceOf(Date);
    const again = await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t });
    expect(again).toMatchObject({ status: 'sent', sentNow: false });
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]).toMatchObject({
      to: 'fgw@changchun.example.cn',
      inReplyTo: '<orig-1@changchun.example.cn>',
      messageId: `<ack.${sha.slice(0, 32)}.ack@jldrc.example.cn>`,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Intake-Loop': expect.any(String) },
    });
    expect(summariseAck(again.row)).toMatchObject({ status: 'sent', reason: null });
  });

  it('sends exactly once when several workers deliver the same ack at the same time', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const t = new FakeTransport().failWith(() => gate);
    const calls = Array.from({ length: 5 }, () =>
      deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t }).then(
        (r) => r.status,
        (e: unknown) =>
          isRetryableAckError(e) && e.retryReason === 'in-progress' ? 'in-progress' : Promise.reject(e as Error),
      ),
    );
    // let every caller reach its claim before the one SMTP transaction completes
    const deadline = Date.now() + 30_000;
    while (t.attempts.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    release();
    const outcomes = await Promise.all(calls);
    expect(t.attempts).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'sent').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.every((o) => o === 'sent' || o === 'in-progress')).toBe(true);
    // the retries of the losers find it sent
    expect((await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t })).status).toBe('sent');
    expect(t.sent).toHaveLength(1);
  });

  it('retries a 4xx and a refused connection, then sends the stored reply with the same Message-ID', async () => {
    const t = new FakeTransport().failWith(
      smtpError('EENVELOPE', 451),
      smtpError('ESOCKET', undefined, { originalCode: 'ECONNREFUSED' }),
    );
    let composed = 0;
    const countingCompose = () => {
      composed += 1;
      return compose();
    };
    const run = () => deliverAck(db, { sourceSha256: sha, kind: 'ack', compose: countingCompose, transport: t });
    await expect(run()).rejects.toSatisfy((e: unknown) => isRetryableAckError(e) && e.retryReason === 'smtp-transient');
    expect(await getAck(db, { sourceSha256: sha, kind: 'ack' })).toMatchObject({
      status: 'composed',
      attempts: 1,
      last_error: expect.stringContaining('451'),
    });
    await expect(run()).rejects.toSatisfy(isRetryableAckError);
    const ok = await run();
    expect(ok).toMatchObject({ status: 'sent', sentNow: true });
    expect(ok.row.attempts).toBe(3);
    expect(composed).toBe(1);
    expect(new Set(t.attempts.map((m) => m.messageId)).size).toBe(1);
    expect(t.sent).toHaveLength(1);
  });

  it('ends a 5xx as failed without retrying', async () => {
    const t = new FakeTransport().failWith(smtpError('EENVELOPE', 550));
    const r = await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t });
    expect(r.status).toBe('failed');
    expect(r.row.last_error).toContain('550');
    expect(r.row.smtp_response).toBe('550');
    expect((await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t })).status).toBe('failed');
    expect(t.attempts).toHaveLength(1);
    expect(summariseAck(r.row)).toMatchObject({ status: 'stored', outboxStatus: 'failed' });
  });

  it('gives up after maxAttempts transient failures', async () => {
    const t = new FakeTransport().failWith(smtpError('ETIMEDOUT'), smtpError('ETIMEDOUT'));
    const run = () => deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t, maxAttempts: 2 });
    await expect(run()).rejects.toSatisfy(isRetryableAckError);
    const r = await run();
    expect(r.status).toBe('failed');
    expect(r.row.last_error).toMatch(/gave up after 2 attempts/);
  });

  it('stores without a transport and never sends it later by itself', async () => {
    const r = await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: null });
    expect(r.status).toBe('stored');
    expect(r.row.text_body).toContain('2020-0007-2');
    expect(summariseAck(r.row)).toMatchObject({ status: 'stored', reason: expect.stringContaining('SMTP_URL') });
    const t = new FakeTransport();
    expect((await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t })).status).toBe('stored');
    expect(t.attempts).toHaveLength(0);
  });

  it('leaves a fresh "sending" row alone and takes over one whose lease ran out', async () => {
    const t = new FakeTransport();
    const never = new FakeTransport().failWith(() => new Promise(() => undefined));
    // simulate a worker that died mid-send: claim the row, then never finish
    void deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: never });
    const deadline = Date.now() + 30_000;
    while (never.attempts.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect((await getAck(db, { sourceSha256: sha, kind: 'ack' }))?.status).toBe('sending');
    await expect(deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t })).rejects.toSatisfy(
      (e: unknown) => isRetryableAckError(e) && e.retryReason === 'in-progress',
    );
    expect(t.attempts).toHaveLength(0);
    const r = await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t, sendingLeaseMs: 0 });
    expect(r).toMatchObject({ status: 'sent', sentNow: true });
    expect(r.row.attempts).toBe(2);
    expect(t.sent[0]?.messageId).toBe(never.attempts[0]?.messageId);
  });
});

describe('acknowledgeMessage', () => {
  const decision = (over = {}) => ({
    headers: makeHeaders(),
    from: 'fgw@changchun.example.cn',
    messageFlags: [],
    ourAddress: OUR_ADDRESS,
    ...over,
  });

  it('records a skip with its reason and does not reconsider it', async () => {
    const t = new FakeTransport();
    const r = await acknowledgeMessage(db, {
      sourceSha256: sha,
      identityKey: `id-${sha}`,
      decision: decision({ headers: makeHeaders({ autoSubmitted: 'auto-replied' }) }),
      compose,
      transport: t,
    });
    expect(r.row).toMatchObject({ status: 'skipped', skip_reason: 'auto-submitted' });
    expect(summariseAck(r.row)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('RFC 3834') });
    const again = await acknowledgeMessage(db, {
      sourceSha256: sha,
      identityKey: `id-${sha}`,
      decision: decision(),
      compose,
      transport: t,
    });
    expect(again.status).toBe('skipped');
    expect(t.attempts).toHaveLength(0);
  });

  it('caps replies per sender per hour, counting sent rows only', async () => {
    const t = new FakeTransport();
    const to = 'cap@changchun.example.cn';
    const headers = makeHeaders({ fromAddress: to });
    const capCompose = (s: string) => () =>
      composeAck(
        makeAckContext({
          sourceSha256: s,
          original: { ...makeAckContext().original, from: to },
        }),
        opts,
      );
    const statuses: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const s = `c${n}${i}`.padEnd(64, '0');
      const r = await acknowledgeMessage(db, {
        sourceSha256: s,
        identityKey: `id-${s}`,
        decision: decision({ headers: { ...headers, returnPath: `<${to}>` }, from: to }),
        caps: { perAddress: 3, perDomain: 100, total: 1000 },
        compose: capCompose(s),
        transport: t,
      });
      statuses.push(r.status === 'skipped' ? `skipped:${r.row.skip_reason}` : r.status);
    }
    expect(statuses).toEqual(['sent', 'sent', 'sent', 'skipped:rate-capped']);
    expect((await countRecentReplies(db, to)).toAddress).toBe(3);
  });

  it('caps replies per domain and in total too', async () => {
    const t = new FakeTransport();
    const domain = `d${n}.example.cn`;
    const send = async (local: string, caps: { perAddress: number; perDomain: number; total: number }) => {
      const to = `${local}@${domain}`;
      const s = `e${n}${local}`.padEnd(64, '0');
      const r = await acknowledgeMessage(db, {
        sourceSha256: s,
        identityKey: `id-${s}`,
        decision: decision({ headers: makeHeaders({ fromAddress: to, returnPath: `<${to}>` }), from: to }),
        caps,
        compose: () =>
          composeAck(makeAckContext({ sourceSha256: s, original: { ...makeAckContext().original, from: to } }), opts),
        transport: t,
      });
      return r.status === 'skipped' ? `skipped:${r.row.skip_reason}` : r.status;
    };
    const roomy = { perAddress: 10, perDomain: 2, total: 1000 };
    expect([await send('a', roomy), await send('b', roomy), await send('c', roomy)]).toEqual([
      'sent',
      'sent',
      'skipped:rate-capped-domain',
    ]);
    const counts = await countRecentReplies(db, `z@${domain}`);
    expect(counts).toMatchObject({ toAddress: 0, toDomain: 2 });
    expect(await send('d', { perAddress: 10, perDomain: 100, total: counts.total })).toBe('skipped:rate-capped-total');
  });

  it('answers one e-mail once, whichever of its deliveries (other bytes, same identity) comes first', async () => {
    const t = new FakeTransport();
    const other = `f${n}`.padEnd(64, '1');
    const identityKey = `mid:<same-${n}@changchun.example.cn>|fgw@changchun.example.cn`;
    const one = (source: string) =>
      acknowledgeMessage(db, {
        sourceSha256: source,
        identityKey,
        decision: decision(),
        compose: () => composeAck(makeAckContext({ sourceSha256: source }), opts),
        transport: t,
      });
    const [a, b] = await Promise.allSettled([one(sha), one(other)]);
    const again = await one(other);
    expect(again.status).toBe('sent');
    expect(t.sent).toHaveLength(1);
    for (const r of [a, b]) if (r.status === 'rejected') expect(isRetryableAckError(r.reason)).toBe(true);
    const byFirst = await getAck(db, { sourceSha256: sha, kind: 'ack', identityKey });
    const byOther = await getAck(db, { sourceSha256: other, kind: 'ack', identityKey });
    expect(byFirst?.id).toBe(byOther?.id);
    // one row, whichever delivery's sha it was created under
    expect([...(await listAcksForMessage(db, sha)), ...(await listAcksForMessage(db, other))]).toHaveLength(1);
  });

  it('replies to From, never to Reply-To, and not at all when the envelope sender disagrees', async () => {
    const t = new FakeTransport();
    const viaReplyTo = await acknowledgeMessage(db, {
      sourceSha256: sha,
      identityKey: `id-${sha}`,
      decision: decision({ headers: makeHeaders({ replyTo: 'victim@elsewhere.example' }) }),
      compose: () =>
        composeAck(
          makeAckContext({
            sourceSha256: sha,
            original: { ...makeAckContext().original, replyTo: 'victim@elsewhere.example' },
          }),
          opts,
        ),
      transport: t,
    });
    expect(viaReplyTo.status).toBe('sent');
    expect(t.sent.map((m) => m.to)).toEqual(['fgw@changchun.example.cn']);
    const s2 = `a${n}`.padEnd(64, '2');
    const forged = await acknowledgeMessage(db, {
      sourceSha256: s2,
      identityKey: `id-${s2}`,
      decision: decision({ headers: makeHeaders({ returnPath: '<bulk@spammer.example>' }) }),
      compose: () => composeAck(makeAckContext({ sourceSha256: s2 }), opts),
      transport: t,
    });
    expect(forged.row).toMatchObject({ status: 'skipped', skip_reason: 'envelope-mismatch' });
    expect(t.sent).toHaveLength(1);
  });

  it('keeps a recorded skip when recordSkip is called again for the same message', async () => {
    await recordSkip(db, { sourceSha256: sha, kind: 'ack', reason: 'list', detail: '邮件列表' });
    const second = await recordSkip(db, { sourceSha256: sha, kind: 'ack', reason: 'noreply', detail: 'x' });
    expect(second.skip_reason).toBe('list');
  });
});

describe('staff operations', () => {
  it('resends under a new kind each time, once per kind', async () => {
    const t = new FakeTransport();
    await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport: t });
    const ctx = makeAckContext({ resend: { changes: ['新增扫描版'] } });
    const r1 = await resendAck(db, sha, { ...opts, ctx, transport: t });
    const r2 = await resendAck(db, sha, { ...opts, ctx, transport: t });
    expect([r1.kind, r2.kind]).toEqual(['resend-1', 'resend-2']);
    expect(t.sent.map((m) => m.messageId)).toEqual([
      `<ack.${sha.slice(0, 32)}.ack@jldrc.example.cn>`,
      `<ack.${sha.slice(0, 32)}.resend-1@jldrc.example.cn>`,
      `<ack.${sha.slice(0, 32)}.resend-2@jldrc.example.cn>`,
    ]);
    expect(t.sent[1]?.text).toContain('新增扫描版');
  });

  it('sends reminders once per unit per day, previews on a dry run, and isolates failures', async () => {
    const base = makeAckContext();
    const common = {
      deadline: base.deadline,
      timezone: 'Asia/Shanghai',
      contact: base.contact,
      submitTo: base.submitTo,
    };
    const code = `22${n.toString().padStart(4, '0')}`;
    const applications = [
      {
        to: `a${n}@changchun.example.cn`,
        ctx: {
          ...common,
          applicant: { code, name: '长春市' },
          applicationReceiptNo: '2020-0007',
          application: base.application,
          original: null,
        },
      },
      {
        to: `b${n}@jilin.example.cn`,
        ctx: {
          ...common,
          applicant: { code: `${code}9`, name: '吉林市' },
          applicationReceiptNo: null,
          application: null,
          original: null,
        },
      },
    ];
    const t = new FakeTransport();
    const dry = await sendReminders(db, { ...opts, applications, transport: t, dryRun: true, date: '2020-05-13' });
    expect(dry.map((d) => d.status)).toEqual(['dry-run', 'dry-run']);
    expect(dry[1]?.ack?.text).toContain('尚未收到贵单位');
    expect(t.attempts).toHaveLength(0);
    t.failWith(smtpError('ETIMEDOUT'));
    const first = await sendReminders(db, { ...opts, applications, transport: t, dryRun: false, date: '2020-05-13' });
    expect(first.map((d) => d.status)).toEqual(['error', 'sent']);
    const second = await sendReminders(db, { ...opts, applications, transport: t, dryRun: false, date: '2020-05-13' });
    expect(second.map((d) => d.status)).toEqual(['sent', 'sent']);
    expect(t.sent).toHaveLength(2);
    expect(t.sent.map((m) => m.headers['Auto-Submitted'])).toEqual(['auto-generated', 'auto-generated']);
  });
});
