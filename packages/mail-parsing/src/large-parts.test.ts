// Guards the large-attachment fast path in front of mailparser: the bodies it
// decodes itself must be byte-identical to mailparser's, and anything it cannot
// place exactly (text bodies, forwarded messages, odd endings) stays mailparser's.
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { isBase64Body, liftLargeParts, parseMimeLifting, restoreLiftedParts } from './large-parts.js';
import { MIME_OPTIONS } from './mime-options.js';
import { BASE_HEADERS, filePart, rawMessage, textPart, wrap76 } from './test-helpers/mime-builder.js';

const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(300_000)]);
const zip = randomBytes(200_001);

function message(): Buffer {
  return rawMessage(
    [...BASE_HEADERS, 'Subject: big'],
    [
      textPart('正文'.repeat(50_000)),
      filePart(pdf, 'application/pdf', 'filename="scan.pdf"'),
      filePart(zip, 'application/zip', 'filename="a.zip"'),
    ],
  );
}

describe('liftLargeParts', () => {
  it('lifts large non-text base64 bodies and mailparser then sees placeholders it gives back', async () => {
    const raw = message();
    const lifted = liftLargeParts(raw, 0, 100_000);
    expect([...lifted.parts.values()].map((d) => d.length)).toEqual([pdf.length, zip.length]);
    expect(lifted.raw.length).toBeLessThan(raw.length / 2);
    const parsed = await simpleParser(lifted.raw, MIME_OPTIONS);
    expect(restoreLiftedParts(parsed, lifted.parts)).toBe(true);
    const plain = await simpleParser(raw, MIME_OPTIONS);
    expect(
      parsed.attachments.map((a) => [
        a.filename,
        a.contentType,
        a.content.equals(plain.attachments.find((p) => p.filename === a.filename)!.content),
      ]),
    ).toEqual([
      ['scan.pdf', 'application/pdf', true],
      ['a.zip', 'application/zip', true],
    ]);
    expect(parsed.text).toBe(plain.text);
    // each body owns its ArrayBuffer, so the worker pool can move it instead of copying
    for (const d of lifted.parts.values())
      expect(d.byteOffset === 0 && d.byteLength === d.buffer.byteLength).toBe(true);
  });

  it('leaves text bodies, forwarded messages and bodies not ending at a boundary alone', () => {
    const forwarded = rawMessage(
      [...BASE_HEADERS, 'Subject: inner'],
      [filePart(pdf, 'application/pdf', 'filename="inner.pdf"')],
      'INNER-B',
    );
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: fwd'],
      [
        textPart('x'.repeat(200_000)),
        { headers: ['Content-Type: message/rfc822'], body: forwarded },
        {
          headers: ['Content-Type: application/pdf', 'Content-Transfer-Encoding: base64'],
          body: `${wrap76(pdf.toString('base64'))}\r\ntrailing text: not base64!`,
        },
      ],
    );
    expect(liftLargeParts(raw, 0, 100_000).parts.size).toBe(0);
  });

  it('parses small messages unchanged and large ones with the same attachment bytes', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4_500_000)]);
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: big'],
      [textPart('见附件'), filePart(big, 'application/pdf', 'filename="big.pdf"')],
    );
    const parsed = await parseMimeLifting(raw);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.content.equals(big)).toBe(true);
    expect(parsed.attachments[0]?.size).toBe(big.length);
    expect(parsed.text?.trim()).toBe('见附件');
  });
});

describe('isBase64Body', () => {
  const body = (s: string): boolean => {
    const b = Buffer.from(s, 'latin1');
    return isBase64Body(b, 0, b.length);
  };

  it('takes letters, digits, + / and whitespace, then at most two = with whitespace between', () => {
    expect(body('QUJD\r\nREVG\r\n')).toBe(true);
    expect(body('QUI=\r\n')).toBe(true);
    expect(body('QQ==')).toBe(true);
    expect(body('QQ= =\r\n \t')).toBe(true);
    expect(body('a+/9\u00a0\x0b\x0c')).toBe(true);
    expect(body('')).toBe(true);
  });

  it('refuses a third =, letters after the padding and any other byte', () => {
    expect(body('QQ===')).toBe(false);
    expect(body('QQ==QQ')).toBe(false);
    expect(body('=QUJD')).toBe(false);
    expect(body('QUJD-')).toBe(false);
    expect(body('QUJD\u0085')).toBe(false);
    expect(body('--boundary')).toBe(false);
    expect(body('QUJD\u00e9')).toBe(false);
  });

  it('reads only its range of the buffer', () => {
    const b = Buffer.from('--x\r\nQUJD\r\n--x--', 'latin1');
    expect(isBase64Body(b, 5, 11)).toBe(true);
    expect(isBase64Body(b, 0, 11)).toBe(false);
  });

  it('agrees with the regular expression it replaced on random bodies', () => {
    const old = /^[A-Za-z0-9+/\s]*(?:=\s*){0,2}$/;
    const alphabet = 'AZaz09+/= \t\r\n-.\u00a0\u0085';
    let seed = 7;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let n = 0; n < 2000; n++) {
      const len = next() % 12;
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet.charAt(next() % alphabet.length);
      expect(body(s), JSON.stringify(s)).toBe(old.test(s));
    }
  });
});
