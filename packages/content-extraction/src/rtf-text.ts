import iconv from 'iconv-lite';

/**
 * Plain text of an RTF file. WPS and older Word save "doc" files as RTF; in a
 * Chinese locale the text is \'hh escapes of GBK bytes (\ansicpg936) or \uN.
 * This is deliberately small: text and paragraph breaks, no tables or styles.
 */
export function rtfToText(data: Buffer): string {
  const src = data.toString('latin1');
  const cp = /\\ansicpg(\d+)/.exec(src)?.[1] ?? '936';
  const encoding = cp === '65001' ? 'utf8' : `cp${cp}`;
  const decodeBytes = (bytes: number[]): string =>
    iconv.encodingExists(encoding) ? iconv.decode(Buffer.from(bytes), encoding) : Buffer.from(bytes).toString('latin1');
  let out = '';
  let pending: number[] = [];
  let depth = 0;
  let skipDepth = -1;
  let ucSkip = 0;
  const flush = (): void => {
    if (pending.length) out += decodeBytes(pending);
    pending = [];
  };
  const re = /\\'([0-9a-fA-F]{2})|\\u(-?\d+) ?|\\([a-zA-Z]+)(-?\d+)? ?|\\([{}\\])|\\\*|([{}])|\r?\n|([^\\{}\r\n]+)/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const skipping = skipDepth >= 0 && depth >= skipDepth;
    if (m[6] === '{') {
      depth++;
      continue;
    }
    if (m[6] === '}') {
      if (depth === skipDepth) skipDepth = -1;
      depth--;
      continue;
    }
    if (m[0] === '\\*') {
      if (skipDepth < 0) skipDepth = depth;
      continue;
    }
    if (skipping) continue;
    if (m[1]) {
      if (ucSkip > 0) {
        ucSkip--;
        continue;
      }
      pending.push(parseInt(m[1], 16));
      continue;
    }
    flush();
    if (m[2]) {
      out += String.fromCharCode((Number(m[2]) + 65536) % 65536);
      ucSkip = 1;
      continue;
    }
    if (m[3]) {
      ucSkip = 0;
      if (m[3] === 'par' || m[3] === 'line') out += '\n';
      else if (m[3] === 'tab' || m[3] === 'cell') out += '\t';
      else if (['fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'header', 'footer', 'object'].includes(m[3]))
        skipDepth = depth;
      continue;
    }
    if (m[5]) {
      out += m[5];
      continue;
    }
    if (m[7]) {
      // the fallback character after \uN is not text
      out += ucSkip > 0 ? m[7].slice(1) : m[7];
      ucSkip = 0;
    }
  }
  flush();
  return out.replace(/\n{3,}/g, '\n\n').trim();
}
