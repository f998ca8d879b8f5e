/**
 * The normalization OCR text gets before it is matched against what was
 * printed (documented in README.md): the recogniser reads the 文号's 〔〕 as
 * 【】, [], ［］ or (), digits may come full-width, and spaces between CJK
 * characters are artefacts of box joins.
 */
const OPEN = /[【[［〖「]/g;
const CLOSE = /[】\]］〗」]/g;

export function normalizeOcrText(text: string): string {
  return (
    text
      .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
      .replace(OPEN, '〔')
      .replace(CLOSE, '〕')
      // （2020） right after a 文号 prefix is the year bracket too
      .replace(/([\u4e00-\u9fff])[（(](\d{4})[）)](?=\s*\d+\s*号)/g, '$1〔$2〕')
      .replace(/(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])/g, '')
  );
}
