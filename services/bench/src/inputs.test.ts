import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { stampedBacklog, stampMessage } from './inputs.js';

const RAW = Buffer.from(
  [
    'From: =?UTF-8?B?5YWs5Y+4?= <a@fgw.test>',
    'Reply-To: b@fgw.test',
    'Message-ID: <orig@fgw.test>',
    'Subject: hello',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'body line',
    '',
  ].join('\r\n'),
);

describe('stampMessage', () => {
  it('replaces the Message-ID and keeps the rest, so every copy is a distinct message', async () => {
    const a = stampMessage(RAW, 'x-1');
    const b = stampMessage(RAW, 'x-2');
    expect(a.equals(b)).toBe(false);
    const pa = await simpleParser(a);
    expect(pa.messageId).toBe('<x-1@bench.invalid>');
    expect(pa.subject).toBe('hello');
    expect(pa.text?.trim()).toBe('body line');
    expect(a.toString('latin1').match(/^Message-ID:/gim)).toHaveLength(1);
  });

  it('can give the message another sender (and drops Reply-To, so the reply goes there)', async () => {
    const p = await simpleParser(stampMessage(RAW, 'y', { from: 'new@s.test' }));
    expect(p.from?.value[0]?.address).toBe('new@s.test');
    expect(p.replyTo).toBeUndefined();
  });

  it('handles LF-only messages', async () => {
    const p = await simpleParser(
      stampMessage(Buffer.from(RAW.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'), 'z'),
    );
    expect(p.messageId).toBe('<z@bench.invalid>');
    expect(p.text?.trim()).toBe('body line');
  });
});

describe('stampedBacklog', () => {
  it('yields `count` messages with distinct bytes, cycling through the templates', () => {
    const all = [...stampedBacklog([RAW, Buffer.from(RAW)], 5, 't')];
    expect(all).toHaveLength(5);
    expect(new Set(all.map((m) => m.raw.toString('base64'))).size).toBe(5);
  });
});
