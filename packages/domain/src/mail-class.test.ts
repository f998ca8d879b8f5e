// Guards issue 9.5/9.7: auto-replies, out-of-office notices and bounces moved
// applications' receipt times and got 回执 as if they were submissions; an
// answer to our 回执 ("收到，谢谢") was grouped as a new submission.
import { describe, expect, it } from 'vitest';
import { classifyMail, reportedMessageIds, type MailClassInput, type MailKind } from './mail-class.js';

const OUR_ACK = '<ack.0123456789abcdef0123456789abcdef.ack@desk.example.cn>';
const ORIGINAL = '<orig-1@changchun.example.cn>';

function input(h: Partial<MailClassInput['headers']> = {}, over: Partial<MailClassInput> = {}): MailClassInput {
  return {
    headers: {
      inReplyTo: null,
      references: [],
      autoSubmitted: null,
      precedence: null,
      returnPath: '<fgw@changchun.example.cn>',
      loopGuard: null,
      contentType: 'multipart/mixed; boundary="b"',
      fromAddress: 'fgw@changchun.example.cn',
      ...h,
    },
    from: '长春市发改委 <fgw@changchun.example.cn>',
    subject: '长春市生物医药产业集群申报材料',
    messageId: '<m-1@changchun.example.cn>',
    hasContent: false,
    knownReferences: new Set([ORIGINAL]),
    isOurMessageId: (id) => id.startsWith('<ack.') && id.endsWith('@desk.example.cn>'),
    ...over,
  };
}

const cases: Array<[string, MailClassInput, MailKind, string]> = [
  ['a submission with files', input({}, { hasContent: true }), 'submission', 'submission'],
  ['a mail with no files and no thread', input(), 'submission', 'submission'],
  ['Auto-Submitted: auto-replied', input({ autoSubmitted: 'auto-replied' }), 'auto-reply', 'auto-submitted'],
  [
    'Auto-Submitted: auto-generated; params',
    input({ autoSubmitted: 'Auto-Generated; x=y' }),
    'auto-reply',
    'auto-submitted',
  ],
  ['Auto-Submitted: no', input({ autoSubmitted: 'no' }), 'submission', 'submission'],
  ['X-Autoreply: yes', input({ xAutoreply: 'yes' }), 'auto-reply', 'x-autoreply'],
  ['X-Autorespond', input({ xAutorespond: 'Vacation' }), 'auto-reply', 'x-autoreply'],
  ['Precedence: bulk', input({ precedence: 'bulk' }), 'auto-reply', 'precedence'],
  ['Precedence: junk', input({ precedence: 'JUNK' }), 'auto-reply', 'precedence'],
  ['Precedence: auto_reply', input({ precedence: 'auto_reply' }), 'auto-reply', 'precedence'],
  ['Precedence: list is a list, not an auto-reply', input({ precedence: 'list' }), 'submission', 'submission'],
  ['subject 自动回复：', input({}, { subject: '自动回复：长春市申报材料' }), 'auto-reply', 'auto-reply-subject'],
  ['subject 自动答复:', input({}, { subject: '自动答复: 申报材料' }), 'auto-reply', 'auto-reply-subject'],
  ['subject Auto:', input({}, { subject: 'Auto: 申报材料' }), 'auto-reply', 'auto-reply-subject'],
  ['subject Out of Office', input({}, { subject: 'Out of Office: 申报材料' }), 'auto-reply', 'auto-reply-subject'],
  ['subject Automatic reply', input({}, { subject: 'Automatic reply: 申报' }), 'auto-reply', 'auto-reply-subject'],
  [
    '自动回复 later in the subject is a person',
    input({}, { subject: '关于自动回复功能的申报' }),
    'submission',
    'submission',
  ],
  ['our loop guard came back', input({ loopGuard: 'ack.x.ack@desk.example.cn' }), 'auto-reply', 'our-own-reply'],
  ['our own Message-ID came back', input({}, { messageId: OUR_ACK }), 'auto-reply', 'our-own-reply'],
  ['empty envelope sender', input({ returnPath: '<>' }), 'auto-reply', 'null-return-path'],
  [
    'multipart/report delivery-status',
    input({ contentType: 'multipart/report; report-type=delivery-status; boundary="x"' }),
    'bounce',
    'delivery-report',
  ],
  [
    'a read receipt (disposition-notification)',
    input({ contentType: 'multipart/report; report-type="disposition-notification"' }),
    'auto-reply',
    'read-receipt',
  ],
  ['MAILER-DAEMON', input({ fromAddress: 'MAILER-DAEMON@mx.example.cn' }), 'bounce', 'mailer-daemon'],
  ['postmaster', input({ fromAddress: null }, { from: 'postmaster@mx.example.cn' }), 'bounce', 'mailer-daemon'],
  ['Undeliverable:', input({}, { subject: 'Undeliverable: 回执' }), 'bounce', 'bounce-subject'],
  ['系统退信', input({}, { subject: '系统退信' }), 'bounce', 'bounce-subject'],
  ['退信：', input({}, { subject: '退信：回执' }), 'bounce', 'bounce-subject'],
  [
    'Delivery Status Notification',
    input({}, { subject: 'Delivery Status Notification (Failure)' }),
    'bounce',
    'bounce-subject',
  ],
  [
    'a bounce that carries the returned files',
    input({ fromAddress: 'MAILER-DAEMON@x.cn' }, { hasContent: true }),
    'bounce',
    'mailer-daemon',
  ],
  [
    'an auto-forward that carries the files stays a submission',
    input({ autoSubmitted: 'auto-generated' }, { hasContent: true }),
    'submission',
    'auto-submitted-with-files',
  ],
  ['收到，谢谢 to our 回执', input({ inReplyTo: OUR_ACK }, { subject: 'Re: 回执' }), 'reply', 'reply-to-ack'],
  ['收到，谢谢 naming our 回执 in References', input({ references: ['<x@y>', OUR_ACK] }), 'reply', 'reply-to-ack'],
  ['an answer to the registered original', input({ inReplyTo: ORIGINAL }), 'reply', 'reply-to-submission'],
  [
    'an answer to our 回执 with the missing files',
    input({ inReplyTo: OUR_ACK }, { hasContent: true }),
    'submission',
    'submission',
  ],
  ['a thread nobody here knows', input({ inReplyTo: '<other@x.cn>' }), 'submission', 'submission'],
];

describe('classifyMail', () => {
  it.each(cases)('%s', (_name, i, kind, reason) => {
    const c = classifyMail(i);
    expect({ kind: c.kind, reason: c.reason }).toEqual({ kind, reason });
    expect(c.detail).toMatch(/[\u4e00-\u9fff]/);
  });

  it('lists what a mail refers to, most specific first', () => {
    const c = classifyMail(input({ inReplyTo: OUR_ACK, references: ['<a@x>', ORIGINAL] }));
    expect(c.refersTo).toEqual([OUR_ACK, ORIGINAL, '<a@x>']);
    const b = classifyMail(
      input(
        { contentType: 'multipart/report; report-type=delivery-status', inReplyTo: ORIGINAL },
        { reportedMessageIds: [OUR_ACK] },
      ),
    );
    expect(b.refersTo).toEqual([OUR_ACK, ORIGINAL]);
  });
});

describe('reportedMessageIds', () => {
  it('reads the returned headers of a delivery report, not its own Message-ID', () => {
    const raw = [
      'From: MAILER-DAEMON@mx.example.cn',
      'Message-ID: <bounce-1@mx.example.cn>',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Final-Recipient: rfc822; nobody@example.cn',
      '',
      '--b',
      'Content-Type: text/rfc822-headers',
      '',
      'From: intake@desk.example.cn',
      `Message-ID: ${OUR_ACK}`,
      '',
      '--b--',
    ].join('\r\n');
    expect(reportedMessageIds(raw)).toEqual([OUR_ACK]);
    expect(reportedMessageIds('no header block end')).toEqual([]);
  });
});
