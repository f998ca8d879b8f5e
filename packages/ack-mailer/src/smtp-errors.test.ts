// Guards the retry decision: a permanent rejection must not be retried for
// hours, a passing outage must not lose the ack, and only failures that can
// follow an accepted message are reported as "outcome unknown".
import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './smtp-errors.js';
import { smtpError } from './test-support.fixture.js';

describe('classifySmtpError', () => {
  it.each([
    [
      '550 mailbox unavailable',
      smtpError('EENVELOPE', 550),
      { permanent: true, responseCode: 550, outcomeUnknown: false },
    ],
    ['554 message rejected after DATA', smtpError('EMESSAGE', 554), { permanent: true, outcomeUnknown: false }],
    [
      '503 bad sequence (nodemailer says not permanent)',
      smtpError('EPROTOCOL', 503, { permanent: false }),
      { permanent: false },
    ],
    ['451 try again later', smtpError('EENVELOPE', 451), { permanent: false, responseCode: 451 }],
    ['421 service closing', smtpError('ECONNECTION', 421), { permanent: false, outcomeUnknown: false }],
    [
      'connection refused',
      smtpError('ESOCKET', undefined, { originalCode: 'ECONNREFUSED' }),
      { permanent: false, outcomeUnknown: false },
    ],
    [
      'greeting timeout',
      smtpError('ETIMEDOUT', undefined, { timeoutType: 'GREETING_TIMEOUT' }),
      { permanent: false, outcomeUnknown: false },
    ],
    [
      'socket timeout mid-session',
      smtpError('ETIMEDOUT', undefined, { timeoutType: 'SOCKET_TIMEOUT' }),
      { permanent: false, outcomeUnknown: true },
    ],
    ['connection closed mid-session', smtpError('ECONNECTION'), { permanent: false, outcomeUnknown: true }],
    ['bad credentials', smtpError('EAUTH', 535), { permanent: true }],
    ['something unknown', new Error('boom'), { permanent: false, outcomeUnknown: false }],
  ])('%s', (_name, err, expected) => {
    expect(classifySmtpError(err)).toMatchObject(expected);
  });

  it('keeps the reason on one line', () => {
    const e = smtpError('EENVELOPE', 550);
    e.message = '550 no\r\nsuch user';
    expect(classifySmtpError(e).reason).not.toMatch(/[\r\n]/);
  });
});
