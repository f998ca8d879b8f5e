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
  it('turns a latin1-read GBK filename back into Chinese', () => {
    expect(repairMojibakeName(iconv.encode('附件2.xlsx', 'gbk').toString('latin1'))).toBe('附件2.xlsx');
  });
  it('leaves proper names alone', () => {
    expect(repairMojibakeName('附件1.docx')).toBe('附件1.docx');
    expect(repairMojibakeName('report.pdf')).toBe('report.pdf');
  });
});
