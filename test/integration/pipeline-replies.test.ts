// Guards issue 9 items 5–7 and issue 12 items 2 and 12, through the real
// pipeline (Dovecot → poller → workers → PostgreSQL → Postfix → Dovecot):
// - an auto-reply, a bounce and a "收到，谢谢" answer to our 回执 moved the
//   application's receipt times, raised MISSING_* / LATE and were answered;
// - the same Message-ID delivered twice with other Received: lines got two 回执;
// - Reply-To aimed our reply at a third party; a forged From (envelope sender
//   elsewhere) was answered;
// - jobs lost from Redis (a hard crash, keys removed) left messages queued and
//   replies unsent for ever: the reconciliation re-drives them, exactly once.
import { describe, expect, it } from 'vitest';
import type { Db } from '@intake/register-store';
import { listMessages } from '../helpers/mailbox.js';
import { runPipeline, type PipelineHandles, type PipelineMail } from '../helpers/pipeline-run.js';
import { uniqueAddress, uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const word = (s: string) => `=?UTF-8?B?${b64(s)}?=`;
/** the To: of the mails (the desk's real address is made by runPipeline; only the mailbox matters) */
const DESK = 'intake@desk.test';
const at = (local: string) => new Date(`${local}+08:00`);

interface MailSpec {
  from: string;
  fromName?: string;
  subject: string;
  messageId: string;
  date: Date;
  body: string;
  headers?: Array<[string, string]>;
  /** trace lines a relay adds on top (a retry has other ones) */
  received?: string[];
  /** a raw multipart/report instead of a text body */
  rawBody?: { contentType: string; body: string };
}

function rawMail(m: MailSpec, desk: string): Buffer {
  const head: Array<[string, string]> = [
    ...(m.received ?? []).map((r): [string, string] => ['Received', r]),
    ...(m.headers ?? []),
    ['From', m.fromName ? `${word(m.fromName)} <${m.from}>` : m.from],
    ['To', desk],
    ['Subject', word(m.subject)],
    ['Date', m.date.toUTCString().replace('GMT', '+0000')],
    ['Message-ID', m.messageId],
    ['MIME-Version', '1.0'],
  ];
  const body = m.rawBody
    ? [['Content-Type', m.rawBody.contentType] as [string, string]]
    : [
        ['Content-Type', 'text/plain; charset=UTF-8'] as [string, string],
        ['Content-Transfer-Encoding', 'base64'] as [string, string],
      ];
  const text = m.rawBody ? m.rawBody.body : (b64(m.body).match(/.{1,76}/g) ?? []).join('\r\n');
  return Buffer.from([...head, ...body].map(([k, v]) => `${k}: ${v}`).join('\r\n') + '\r\n\r\n' + text + '\r\n');
}

async function appsOf(db: Db, sql = '') {
  return db.query<{
    id: number;
    first_received_at: Date;
    last_received_at: Date;
    message_count: number;
    flag_codes: string[];
    is_late: boolean;
  }>(
    `select id, first_received_at, last_received_at, message_count, flag_codes, is_late from applications ${sql} order by id`,
  );
}

describe('replies through the real pipeline', () => {
  it('correspondence is listed without a receipt time or a 回执; one e-mail, one 回执; never a relay', async () => {
    const cc = uniqueAddress('fgw-cc');
    const jl = uniqueAddress('fgw-jl');
    const third = uniqueAddress('third-party');
    const sp = uniqueAddress('fgw-sp');
    const mid = (n: string) => `<${uniqueName(n)}@mail.test>`;
    const submission: MailSpec = {
      from: cc,
      fromName: '长春市发展和改革委员会',
      subject: '长春市生物医药产业集群申报材料',
      messageId: mid('cc'),
      date: at('2020-05-12T09:58:00'),
      body: '您好，报送长春市生物医药产业集群申报材料，请查收。',
      headers: [['Return-Path', `<${cc}>`]],
      received: ['from mx1.cc.test by mx.desk.test with ESMTP id A1; Tue, 12 May 2020 10:00:00 +0800'],
    };
    // a relay's retry: same Message-ID, other Received: lines, so other bytes
    const retry: MailSpec = {
      ...submission,
      received: [
        'from mx2.cc.test by mx.desk.test with ESMTP id B2; Tue, 12 May 2020 11:00:05 +0800',
        'from mx1.cc.test by mx2.cc.test with ESMTP id A9; Tue, 12 May 2020 10:59:59 +0800',
      ],
    };
    const replyTo: MailSpec = {
      from: jl,
      fromName: '吉林市发展和改革委员会',
      subject: '吉林市新材料产业集群申报材料',
      messageId: mid('jl'),
      date: at('2020-05-12T10:30:00'),
      body: '报送吉林市新材料产业集群申报材料。',
      headers: [['Reply-To', third]],
    };
    const forged: MailSpec = {
      from: sp,
      fromName: '四平市发展和改革委员会',
      subject: '四平市新材料产业集群申报材料',
      messageId: mid('sp'),
      date: at('2020-05-12T10:40:00'),
      body: '报送四平市新材料产业集群申报材料。',
      headers: [['Return-Path', '<bulk@spammer.test>']],
    };
    const run = await runPipeline({
      cases: [
        { raw: rawMail(submission, DESK), internalDate: at('2020-05-12T10:00:00') },
        { raw: rawMail(retry, DESK), internalDate: at('2020-05-12T11:00:05') },
        { raw: rawMail(replyTo, DESK), internalDate: at('2020-05-12T10:31:00') },
        { raw: rawMail(forged, DESK), internalDate: at('2020-05-12T10:41:00') },
      ],
      workers: 1,
      smtp: true,
      // 3 submissions (the retry is the same e-mail) + the auto-reply, the bounce and the thanks below
      expectedMessages: 6,
      whileRunning: async (db, h) => appendCorrespondence(db, h, submission),
    });
    try {
      const cases = await run.db.query<{ subject: string; mail_class: string; application_id: number }>(
        'select subject, mail_class, application_id from messages order by id',
      );
      const ccApp = cases.find((m) => m.subject === submission.subject)!.application_id;
      expect(
        cases
          .filter((m) => m.application_id === ccApp)
          .map((m) => m.mail_class)
          .sort(),
      ).toEqual(['auto-reply', 'bounce', 'reply', 'submission']);
      const [app] = await appsOf(run.db, `where id = ${ccApp}`);
      // the first delivery's receipt time: the retry, the auto-reply, the bounce and the late thanks change nothing
      expect(app?.first_received_at.toISOString()).toBe('2020-05-12T02:00:00.000Z');
      expect(app?.last_received_at.toISOString()).toBe('2020-05-12T02:00:00.000Z');
      expect(app?.is_late).toBe(false);
      expect(app?.flag_codes).not.toContain('LATE');
      expect(await run.db.query('select 1 from mail_ledger')).toHaveLength(7);

      const exported = run.exportJson.applications.find((a) =>
        a.messages.some((m) => m.subject === submission.subject),
      );
      const acks = Object.fromEntries(exported!.messages.map((m) => [m.subject, m.ack]));
      expect(acks[submission.subject]?.status).toBe('sent');
      for (const s of [
        '自动回复：长春市生物医药产业集群申报材料',
        'Undelivered Mail Returned to Sender',
        '收到，谢谢',
      ]) {
        expect(acks[s], s).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/[\u4e00-\u9fff]/) });
      }
      // applications of correspondence alone: none (each joined the application it refers to)
      expect(run.exportJson.applications).toHaveLength(3);

      const ccInbox = await listMessages({ user: cc });
      expect(ccInbox, 'one 回执 for the e-mail delivered twice, none for the correspondence').toHaveLength(1);
      expect(ccInbox[0]!.raw.toString('latin1')).toContain(`In-Reply-To: ${submission.messageId}`);
      expect(await listMessages({ user: jl })).toHaveLength(1);
      expect(await listMessages({ user: third }), 'nothing goes to Reply-To').toHaveLength(0);
      expect(await listMessages({ user: sp }), 'From disagrees with the envelope: no reply').toHaveLength(0);
      const spAck = await run.db.query<{ status: string; skip_reason: string }>(
        `select a.status, a.skip_reason from acks a join messages m on m.sha256 = a.source_sha256 where m.subject = $1`,
        [forged.subject],
      );
      expect(spAck).toEqual([{ status: 'skipped', skip_reason: 'envelope-mismatch' }]);
    } finally {
      await run.dispose();
    }
  });

  it('jobs removed from Redis behind the pipeline’s back: every message is still registered and answered once', async () => {
    const senders = ['长春市', '吉林市', '四平市', '辽源市'].map((name, i) => ({
      name,
      address: uniqueAddress(`fgw-${i}`),
    }));
    const mails: PipelineMail[] = senders.map((s, i) => ({
      raw: rawMail(
        {
          from: s.address,
          fromName: `${s.name}发展和改革委员会`,
          subject: `${s.name}新材料产业集群申报材料`,
          messageId: `<${uniqueName('r')}@mail.test>`,
          date: at(`2020-05-12T1${i}:00:00`),
          body: `报送${s.name}新材料产业集群申报材料。`,
        },
        DESK,
      ),
      internalDate: at(`2020-05-12T1${i}:00:30`),
    }));
    const queue = (h: PipelineHandles, name: string) => h.queues.find((q) => q.name === name)!;
    const run = await runPipeline({
      cases: mails,
      workers: 1,
      smtp: true,
      env: { RECONCILE_INTERVAL_MS: '200', RECONCILE_STALE_MS: '300' },
      beforeWorkers: async (h) => {
        // the poller has queued every delivery; then Redis "forgets" them
        await waitFor(
          async () => {
            const rows = await h.db.query<{ status: string }>('select status from mail_ledger');
            return rows.length === mails.length && rows.every((r) => r.status === 'queued');
          },
          { timeoutMs: 60_000, message: 'every delivery queued' },
        );
        await queue(h, 'process').obliterate({ force: true });
        // replies are held so they too can be lost after validation queued them
        await queue(h, 'acknowledge').pause();
      },
      whileRunning: async (db, h) => {
        const ack = queue(h, 'acknowledge');
        await waitFor(async () => sum(await ack.getJobCounts('waiting')) === mails.length, {
          timeoutMs: 120_000,
          message: 'every reply job queued (and held)',
        });
        expect(await db.query('select 1 from acks')).toHaveLength(0);
        await ack.obliterate({ force: true });
        await ack.resume();
      },
    });
    try {
      expect(await run.db.query(`select 1 from mail_ledger where status = 'done'`)).toHaveLength(mails.length);
      const acks = await run.db.query<{ status: string; n: number }>(
        `select status, count(*)::int as n from acks where kind = 'ack' group by status`,
      );
      expect(acks).toEqual([{ status: 'sent', n: mails.length }]);
      for (const s of senders) expect(await listMessages({ user: s.address }), s.name).toHaveLength(1);
    } finally {
      await run.dispose();
    }
  });
});

/**
 * After the 回执 went out: the sender's out-of-office answer to it, the
 * desk's MTA bouncing it, and the sender's "收到，谢谢" — after the deadline,
 * so counting it would make the application LATE.
 */
async function appendCorrespondence(db: Db, h: PipelineHandles, original: MailSpec): Promise<void> {
  const rows = await waitFor(
    async () => {
      const r = await db.query<{ our_message_id: string }>(
        `select our_message_id from acks where status = 'sent' and to_address = $1`,
        [original.from],
      );
      return r.length > 0 ? r : null;
    },
    { timeoutMs: 120_000, message: 'the 回执 sent' },
  );
  const ourAck = rows[0]!.our_message_id;
  const desk = h.deskAddress;
  const boundary = 'b-report-1';
  const report = [
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.desk.test. Your message could not be delivered.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.desk.test',
    '',
    `Final-Recipient: rfc822; ${original.from}`,
    'Action: failed',
    'Status: 5.2.2',
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${desk}`,
    `To: ${original.from}`,
    `Message-ID: ${ourAck}`,
    '',
    `--${boundary}--`,
  ].join('\r\n');
  const mails: Array<[MailSpec, Date]> = [
    [
      {
        from: original.from,
        subject: `自动回复：${original.subject}`,
        messageId: `<${uniqueName('ooo')}@mail.test>`,
        date: at('2020-05-12T10:05:00'),
        body: '您好，我于5月11日至5月15日外出，期间不能及时处理邮件。',
        headers: [['In-Reply-To', ourAck]],
      },
      at('2020-05-12T10:05:00'),
    ],
    [
      {
        from: 'MAILER-DAEMON@mx.desk.test',
        subject: 'Undelivered Mail Returned to Sender',
        messageId: `<${uniqueName('dsn')}@mx.desk.test>`,
        date: at('2020-05-13T09:00:00'),
        body: '',
        headers: [['Return-Path', '<>']],
        rawBody: {
          contentType: `multipart/report; report-type=delivery-status; boundary="${boundary}"`,
          body: report,
        },
      },
      at('2020-05-13T09:00:00'),
    ],
    [
      {
        from: original.from,
        subject: '收到，谢谢',
        messageId: `<${uniqueName('thanks')}@mail.test>`,
        date: at('2020-05-16T09:00:00'),
        body: '收到，谢谢！',
        headers: [
          ['In-Reply-To', ourAck],
          ['References', `${original.messageId} ${ourAck}`],
        ],
      },
      at('2020-05-16T09:00:00'),
    ],
  ];
  for (const [m, internalDate] of mails) await h.append({ raw: rawMail(m, desk), internalDate });
}
