// Guards against reply loops with robots, lists and bounces (RFC 3834) and
// against our own acks coming back: the helpdesks' most common complaint.
import { describe, expect, it } from 'vitest';
import type { TFlag, TMailClass, TMailHeaders } from '@intake/domain';
import { shouldSendAck, type AckDecisionInput } from './should-send-ack.js';
import { buildOurMessageId } from './message-id.js';
import { makeHeaders, OUR_ADDRESS, SHA } from './test-support.fixture.js';

const OUR_ACK_ID = buildOurMessageId(SHA, 'ack', OUR_ADDRESS);
const cls = (kind: TMailClass['kind']): TMailClass => ({ kind, reason: 'x', detail: '测试', refersTo: [] });
const unverified: TFlag = { code: 'UNVERIFIED_SENDER', label: '发件人未通过验证', detail: 'dmarc=fail' };

function input(headers: Partial<TMailHeaders> = {}, over: Partial<AckDecisionInput> = {}): AckDecisionInput {
  return {
    // another From than the fixture's: no envelope sender recorded (an APPENDed or imported mail)
    headers: makeHeaders({ ...(over.from !== undefined ? { returnPath: null } : {}), ...headers }),
    from: '长春市发改委 <fgw@changchun.example.cn>',
    messageFlags: [],
    ourAddress: OUR_ADDRESS,
    recent: { toAddress: 0, toDomain: 0, total: 0 },
    caps: { perAddress: 5, perDomain: 20, total: 100 },
    ...over,
  };
}

describe('shouldSendAck', () => {
  const skips: Array<[string, AckDecisionInput, string]> = [
    ['Auto-Submitted: auto-replied', input({ autoSubmitted: 'auto-replied' }), 'auto-submitted'],
    [
      'Auto-Submitted: auto-generated with parameters',
      input({ autoSubmitted: 'Auto-Generated; owner-email="x@y.cn"' }),
      'auto-submitted',
    ],
    ['Auto-Submitted: auto-notified', input({ autoSubmitted: 'auto-notified' }), 'auto-submitted'],
    ['Precedence: bulk', input({ precedence: 'bulk' }), 'precedence-bulk'],
    ['Precedence: JUNK', input({ precedence: 'JUNK' }), 'precedence-bulk'],
    ['Precedence: list', input({ precedence: 'list' }), 'precedence-bulk'],
    ['List-Id', input({ listId: '<drc.lists.example.cn>' }), 'list'],
    ['List-Unsubscribe', input({ listUnsubscribe: '<mailto:unsub@example.cn>' }), 'list'],
    ['X-Auto-Response-Suppress: All', input({ xAutoResponseSuppress: 'All' }), 'x-auto-response-suppress'],
    [
      'X-Auto-Response-Suppress: DR, OOF, AutoReply',
      input({ xAutoResponseSuppress: 'DR, OOF, AutoReply' }),
      'x-auto-response-suppress',
    ],
    ['X-Auto-Response-Suppress: oof', input({ xAutoResponseSuppress: 'oof' }), 'x-auto-response-suppress'],
    [
      'multipart/report bounce',
      input({ contentType: 'multipart/report; report-type=delivery-status' }),
      'delivery-report',
    ],
    ['null Return-Path', input({ returnPath: '<>' }), 'null-return-path'],
    ['empty From', input({ fromAddress: null }, { from: '' }), 'no-sender'],
    ['From without an address', input({ fromAddress: null }, { from: 'undisclosed-recipients:;' }), 'no-sender'],
    [
      'MAILER-DAEMON',
      input(
        { fromAddress: 'MAILER-DAEMON@mx.example.cn' },
        { from: 'Mail Delivery System <MAILER-DAEMON@mx.example.cn>' },
      ),
      'mailer-daemon',
    ],
    ['postmaster', input({}, { from: 'postmaster@changchun.example.cn' }), 'mailer-daemon'],
    ['noreply', input({}, { from: 'noreply@gov.example.cn' }), 'noreply'],
    ['no-reply', input({}, { from: 'No Reply <no-reply@gov.example.cn>' }), 'noreply'],
    ['do-not-reply', input({}, { from: 'do-not-reply@gov.example.cn' }), 'noreply'],
    ['noreply Reply-To', input({ replyTo: 'noreply@gov.example.cn' }), 'noreply'],
    [
      'our own address as From',
      input({ fromAddress: OUR_ADDRESS }, { from: `高技术处 <${OUR_ADDRESS.toUpperCase()}>` }),
      'own-address',
    ],
    ['our own address as Reply-To', input({ replyTo: OUR_ADDRESS }), 'own-address'],
    ['loop-guard header', input({ loopGuard: 'ack.aaaa.ack@jldrc.example.cn' }), 'our-own-reply'],
    ['our own Message-ID came back', input({}, { messageId: OUR_ACK_ID }), 'our-own-reply'],
    ['reply to our ack without files', input({ inReplyTo: OUR_ACK_ID }, { attachmentCount: 0 }), 'reply-to-our-ack'],
    ['reply to our ack, count unknown', input({ references: ['<x@y.cn>', OUR_ACK_ID] }), 'reply-to-our-ack'],
    ['auto-reply subject', input({}, { subject: '自动回复：长春市申报材料' }), 'auto-reply-subject'],
    ['Out of Office subject', input({}, { subject: 'Automatic reply: 申报材料' }), 'auto-reply-subject'],
    ['UNVERIFIED_SENDER flag', input({}, { messageFlags: [unverified] }), 'unverified-sender'],
    ['rate cap reached', input({}, { recent: { toAddress: 5, toDomain: 5, total: 5 } }), 'rate-capped'],
    ['domain cap reached', input({}, { recent: { toAddress: 1, toDomain: 20, total: 20 } }), 'rate-capped-domain'],
    ['total cap reached', input({}, { recent: { toAddress: 0, toDomain: 0, total: 100 } }), 'rate-capped-total'],
    ['a cap of 0 stops replies', input({}, { caps: { perAddress: 0, perDomain: 20, total: 100 } }), 'rate-capped'],
    ['envelope sender disagrees with From', input({ returnPath: '<other@spam.example>' }), 'envelope-mismatch'],
    ['envelope sender is not an address', input({ returnPath: 'garbage' }), 'envelope-mismatch'],
    ['classified as an auto-reply', input({}, { mailClass: cls('auto-reply') }), 'auto-reply'],
    ['classified as a bounce', input({}, { mailClass: cls('bounce') }), 'delivery-report'],
    ['classified as an answer to our reply', input({}, { mailClass: cls('reply') }), 'reply-to-our-ack'],
  ];
  it.each(skips)('does not reply: %s', (_name, i, reason) => {
    const d = shouldSendAck(i);
    expect(d).toMatchObject({ send: false, reason });
    if (!d.send) expect(d.detail).toMatch(/[\u4e00-\u9fff]/);
  });

  const replies: Array<[string, AckDecisionInput]> = [
    ['an ordinary submission', input()],
    ['Auto-Submitted: no', input({ autoSubmitted: 'no' })],
    ['Precedence: first-class', input({ precedence: 'first-class' })],
    ['X-Auto-Response-Suppress: DR, RN, NRN (receipts only)', input({ xAutoResponseSuppress: 'DR, RN, NRN' })],
    ['X-Auto-Response-Suppress: None', input({ xAutoResponseSuppress: 'None' })],
    ['a person replying to our ack with the missing files', input({ inReplyTo: OUR_ACK_ID }, { attachmentCount: 2 })],
    ['someone else’s Message-ID in References', input({ references: ['<ack.1234.ack@other.example.cn>'] })],
    ['a noreply-looking word inside a real name', input({}, { from: 'noreplyoffice? <zhang@changchun.example.cn>' })],
    ['below the rate caps', input({}, { recent: { toAddress: 4, toDomain: 19, total: 99 } })],
    ['Reply-To elsewhere: the reply still goes (to From)', input({ replyTo: 'third@party.example' })],
    ['envelope sender with a +tag', input({ returnPath: '<fgw+bounces@changchun.example.cn>' })],
    ['envelope sender in other case', input({ returnPath: '<FGW@Changchun.Example.CN>' })],
    ['classified as a submission', input({}, { mailClass: cls('submission') })],
    ['no Return-Path (an imported file)', input({ returnPath: null })],
    ['a subject mentioning 回复 later on', input({}, { subject: '关于通知的回复：长春市申报材料' })],
  ];
  it.each(replies)('replies: %s', (_name, i) => {
    expect(shouldSendAck(i)).toEqual({ send: true });
  });

  it('reports the loop guard before weaker reasons', () => {
    const d = shouldSendAck(
      input({ loopGuard: 'x', autoSubmitted: 'auto-replied' }, { recent: { toAddress: 99, toDomain: 99, total: 99 } }),
    );
    expect(d).toMatchObject({ send: false, reason: 'our-own-reply' });
  });
});
