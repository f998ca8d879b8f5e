/**
 * The acknowledgment through a real SMTP server (the test Postfix) into the
 * recipient's Dovecot mailbox, with the outbox on PostgreSQL 15. Guards
 * against: threading headers or Auto-Submitted lost on the way, a Chinese
 * subject mangled, a second send on retry or between concurrent workers
 * sharing one database, and a dead SMTP server being treated as permanent.
 */
import net from 'node:net';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  composeAck,
  createTransport,
  deliverAck,
  isRetryableAckError,
  type TAckContextInput,
} from '@intake/ack-mailer';
import type { Db } from '@intake/register-store';
import { createIsolatedDb } from '../helpers/isolated-db.js';
import { listMessages, waitForMessages } from '../helpers/mailbox.js';
import { testSmtpUrl } from '../helpers/smtp.js';
import { uniqueAddress } from '../helpers/unique.js';
import { randomBytes } from 'node:crypto';

function context(sender: string, sha: string): TAckContextInput {
  return {
    sourceSha256: sha,
    receiptNo: '2020-0007-2',
    applicationReceiptNo: '2020-0007',
    original: {
      messageId: '<orig-1@changchun.test>',
      subject: '长春市生物医药产业集群申报材料',
      from: `长春市发改委 <${sender}>`,
      replyTo: null,
      references: ['<earlier-0@changchun.test>'],
    },
    receivedAt: '2020-05-14T02:03:04Z',
    attachments: [{ filename: '请示.pdf', path: '请示.pdf', kind: 'pdf', copy: 'scan', roles: ['formal-document'] }],
    application: {
      applicantName: '长春市',
      cluster: '长春市生物医药产业集群',
      copies: { scan: true, electronic: false },
      documents: { formalDocument: true, materials: false, projectTable: false },
      flags: [],
      metrics: {
        totalOutput2019: null,
        largeEnterprises: null,
        projectCount: null,
        largeProjects: null,
        totalInvestment: null,
      },
      messageCount: 1,
      late: false,
    },
    deadline: '2020-05-15T23:59:59+08:00',
    timezone: 'Asia/Shanghai',
    contact: '高技术处 0431-88906750',
    submitTo: 'wangh@jldrc.test',
  };
}

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('ack through real SMTP', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await createIsolatedDb());
  });
  afterAll(() => drop());

  it('arrives once in the sender’s mailbox, threaded and marked auto-replied', async () => {
    const sender = uniqueAddress('fgw');
    const ourAddress = uniqueAddress('intake', 'jldrc.test');
    const sha = randomBytes(32).toString('hex');
    const transport = createTransport(testSmtpUrl());
    const compose = () => composeAck(context(sender, sha), { from: ourAddress, timezone: 'Asia/Shanghai' });
    // several workers on one PostgreSQL race for the same ack
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 }, () => deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport })),
    );
    for (const o of outcomes) if (o.status === 'rejected') expect(isRetryableAckError(o.reason)).toBe(true);
    const sent = outcomes.filter((o) => o.status === 'fulfilled' && o.value.sentNow);
    expect(sent).toHaveLength(1);
    const again = await deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport });
    expect(again).toMatchObject({ status: 'sent', sentNow: false });
    expect(again.row.smtp_response).toMatch(/^250 /);

    const [msg] = await waitForMessages({ user: sender });
    const parsed = await simpleParser(msg!.raw);
    expect(parsed.messageId).toBe(`<ack.${sha.slice(0, 32)}.ack@jldrc.test>`);
    expect(parsed.inReplyTo).toBe('<orig-1@changchun.test>');
    expect(parsed.references).toEqual(['<earlier-0@changchun.test>', '<orig-1@changchun.test>']);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed.headers.get('x-intake-loop')).toBe(`ack.${sha.slice(0, 32)}.ack@jldrc.test`);
    expect(parsed.headers.has('precedence')).toBe(false);
    expect(parsed.subject).toBe('Re: 长春市生物医药产业集群申报材料 [受理编号 2020-0007-2]');
    expect(parsed.text).toContain('缺少申报材料（附件1）');
    expect(parsed.html || '').toContain('2020-05-14 10:03:04');
    // the one delivered copy is all there is (the three racing workers made one SMTP transaction)
    expect(await listMessages({ user: sender })).toHaveLength(1);
  });

  it('treats a dead SMTP server as retryable, fast, and keeps the reply for the retry', async () => {
    const sender = uniqueAddress('fgw');
    const sha = randomBytes(32).toString('hex');
    const transport = createTransport(`smtp://127.0.0.1:${await closedPort()}`);
    const compose = () => composeAck(context(sender, sha), { from: 'intake@jldrc.test', timezone: 'Asia/Shanghai' });
    const started = Date.now();
    await expect(deliverAck(db, { sourceSha256: sha, kind: 'ack', compose, transport })).rejects.toSatisfy(
      isRetryableAckError,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    const row = (
      await db.query<{ status: string; attempts: number; last_error: string }>(
        'select * from acks where source_sha256 = $1',
        [sha],
      )
    )[0];
    expect(row).toMatchObject({ status: 'composed', attempts: 1 });
    expect(row?.last_error).not.toMatch(/may have accepted/);
    // the server is back (the real one): the retry sends what was stored
    const r = await deliverAck(db, {
      sourceSha256: sha,
      kind: 'ack',
      compose,
      transport: createTransport(testSmtpUrl()),
    });
    expect(r).toMatchObject({ status: 'sent', sentNow: true });
    expect(r.row.attempts).toBe(2);
    await waitForMessages({ user: sender });
  });
});
