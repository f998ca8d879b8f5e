// Guards the documented normalization OCR text gets before it is compared with what was printed.
import { describe, expect, it } from 'vitest';
import { normalizeOcrText } from './normalize.js';

describe('normalizeOcrText', () => {
  it.each([
    ['长发改高技【2020】86号', '长发改高技〔2020〕86号'],
    ['长发改高技［2020］86号', '长发改高技〔2020〕86号'],
    ['长发改高技[2020〕86号', '长发改高技〔2020〕86号'],
    ['长发改高技（2020）86号', '长发改高技〔2020〕86号'],
    ['２０２０年５月１２日', '2020年5月12日'],
    ['关于 申报 长春市', '关于申报长春市'],
  ])('%s → %s', (raw, want) => expect(normalizeOcrText(raw)).toBe(want));

  it('keeps spaces between Latin words and numbers', () => {
    expect(normalizeOcrText('No. 12 page')).toBe('No. 12 page');
  });
});
