// Guards: the end of the header block found five different ways (CRLF only, LF only, first of
// either), so mail with mixed line ends was cut in the wrong place by some readers and not others.
import { describe, expect, it } from 'vitest';
import { findHeaderBlockEnd, headerBlockText } from './header-block.js';

describe('findHeaderBlockEnd', () => {
  it.each([
    ['CRLF', 'Subject: a\r\nFrom: b\r\n\r\nbody', 19, 23],
    ['bare LF', 'Subject: a\nFrom: b\n\nbody', 18, 20],
    ['CRLF headers, LF blank line', 'Subject: a\r\nFrom: b\r\n\nbody', 19, 22],
    ['LF headers, CRLF blank line', 'Subject: a\nFrom: b\n\r\nbody', 18, 21],
    ['no headers at all (CRLF)', '\r\nbody', 0, 2],
    ['no headers at all (LF)', '\nbody', 0, 1],
  ])('%s', (_name, text, headerEnd, bodyStart) => {
    expect(findHeaderBlockEnd(Buffer.from(text, 'latin1'))).toEqual({ headerEnd, bodyStart });
    expect(findHeaderBlockEnd(text)).toEqual({ headerEnd, bodyStart });
  });

  it('takes the first empty line, not a later "\\r\\n\\r\\n" in the body', () => {
    const text = 'Subject: a\n\nline\r\n\r\nmore';
    expect(findHeaderBlockEnd(text)).toEqual({ headerEnd: 10, bodyStart: 12 });
  });

  it('does not take a folded continuation line for the end', () => {
    const text = 'Subject: a\r\n b\r\nTo: c\r\n\r\n';
    expect(findHeaderBlockEnd(text)?.headerEnd).toBe(21);
  });

  it('returns null when there is no empty line within the limit', () => {
    expect(findHeaderBlockEnd('Subject: a\r\nFrom: b')).toBeNull();
    expect(findHeaderBlockEnd('Subject: a\r\n\r\nbody', 5)).toBeNull();
  });
});

describe('headerBlockText', () => {
  it('keeps raw 8-bit bytes as latin1 and stops at the block end', () => {
    const raw = Buffer.concat([Buffer.from('Subject: '), Buffer.from([0xc9, 0xea]), Buffer.from('\r\n\r\nbody')]);
    expect(headerBlockText(raw)).toBe('Subject: \u00c9\u00ea');
  });
  it('falls back to the first bytes of a block that never ends', () => {
    expect(headerBlockText(Buffer.from('Subject: abcdef'), Number.POSITIVE_INFINITY, 7)).toBe('Subject');
  });
});
