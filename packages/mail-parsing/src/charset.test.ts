// Guards: undeclared GBK/Big5 bytes in headers and zip names decoded as mojibake or U+FFFD.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decodeEncodedWords,
  decodeRawHeaderValue,
  decodeUnknownBytes,
  guessCharset,
  repairMojibakeName,
} from './charset.js';

describe('decodeUnknownBytes', () => {
  it('keeps valid UTF-8 as UTF-8', () => {
    expect(decodeUnknownBytes(Buffer.from('关于申报长春市集群的函'))).toBe('关于申报长春市集群的函');
  });
  it('reads GBK when the bytes are not UTF-8', () => {
    const s = '关于申报吉林市化工产业集群的请示';
    expect(guessCharset(iconv.encode(s, 'gbk'))).toBe('gb18030');
    expect(decodeUnknownBytes(iconv.encode(s, 'gbk'))).toBe(s);
  });
  it('recognises Big5', () => {
    const s = '申報材料與項目匯總表';
    expect(guessCharset(iconv.encode(s, 'big5'))).toBe('big5');
    expect(decodeUnknownBytes(iconv.encode(s, 'big5'))).toBe(s);
  });
});

describe('RFC 2047', () => {
  it('decodes B and Q words and joins a character split across words', () => {
    const bytes = iconv.encode('产业集群', 'gbk');
    const w1 = `=?GBK?B?${bytes.subarray(0, 3).toString('base64')}?=`;
    const w2 = `=?GBK?B?${bytes.subarray(3).toString('base64')}?=`;
    expect(decodeEncodedWords(`${w1} ${w2}`)).toBe('产业集群');
    expect(decodeEncodedWords('=?gb2312?Q?=B3=A4=B4=BA?= report')).toBe('长春 report');
  });
  it('decodes a raw 8-bit header that also has an encoded word', () => {
    const latin1 = Buffer.concat([
      iconv.encode('申报 ', 'gbk'),
      Buffer.from('=?UTF-8?B?' + Buffer.from('集群').toString('base64') + '?='),
    ]).toString('latin1');
    expect(decodeRawHeaderValue(latin1)).toBe('申报 集群');
  });
});

describe('repairMojibakeName', () => {
  it('turns a latin1-read GBK filename from raw 8-bit bytes back into Chinese', () => {
    expect(repairMojibakeName(iconv.encode('附件2.xlsx', 'gbk').toString('latin1'), 'raw-8bit')).toBe('附件2.xlsx');
  });
  it('leaves proper names alone', () => {
    expect(repairMojibakeName('附件1.docx', 'raw-8bit')).toBe('附件1.docx');
    expect(repairMojibakeName('report.pdf', 'raw-8bit')).toBe('report.pdf');
  });
  it('never touches a name a declared charset decoded (Latin-1 names are not GBK mojibake)', () => {
    expect(repairMojibakeName('ciële.txt', 'decoded')).toBe('ciële.txt');
    expect(repairMojibakeName('attachment.äöü', 'decoded')).toBe('attachment.äöü');
  });
});

describe('UTF-8 cut mid-character by the sender', () => {
  // "附件2项目表" is 附(e9 99 84) 件(e4 bb b6) 2 项(e9 a1 b9) 目(e7 9b ae) 表(e8 a1 a8); cut after e8
  const cut = Buffer.from('附件2项目表').subarray(0, 14);
  it('is read as UTF-8 with the broken last character dropped, not as GBK', () => {
    expect(guessCharset(cut)).toBe('utf-8');
    expect(decodeUnknownBytes(cut)).toBe('附件2项目');
  });
  it('also in a raw 8-bit subject', () => {
    expect(decodeRawHeaderValue(Buffer.from('关于申报').subarray(0, 11).toString('latin1'))).toBe('关于申');
  });
  it('does not take GBK ending in a lone lead byte for UTF-8', () => {
    const gbk = Buffer.concat([iconv.encode('申报材料', 'gbk'), Buffer.from([0xe4])]);
    expect(guessCharset(gbk)).toBe('gb18030');
    expect(guessCharset(Buffer.from([0x61, 0x62, 0xe4]))).not.toBe('utf-8');
  });
});
