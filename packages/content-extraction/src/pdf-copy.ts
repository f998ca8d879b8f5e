import type { TCopyType } from '@intake/domain';
import type { PdfPage } from './pdf-text.js';
import { meaningfulChars, MIN_TEXT_LAYER_CHARS } from './pdf-text.js';

export interface PdfCopyDecision {
  copy: TCopyType;
  reason: string;
}

/**
 * Scan or electronic copy, from the per-page facts of extractDocumentText():
 * a scanner yields pages that are one big image with no text; an exported
 * document yields a text layer. A scan run through OCR has both, so when every
 * page carries a full-page image we still call it a scan, and say why.
 */
export function classifyPdfCopy(pages: PdfPage[]): PdfCopyDecision {
  const n = pages.length;
  if (n === 0) return { copy: 'unknown', reason: 'PDF没有页面' };
  const textPages = pages.filter((p) => meaningfulChars(p.text) >= MIN_TEXT_LAYER_CHARS).length;
  const imageOnly = pages.filter((p) => p.imageOnly === true).length;
  const fullImage = pages.filter((p) => p.hasImage === true).length;
  const measured = pages.filter((p) => p.hasImage !== undefined).length;
  if (imageOnly * 2 >= n) {
    return { copy: 'scan', reason: `${imageOnly}/${n}页为无文字层的整页图像（扫描件）` };
  }
  if (measured === n && fullImage === n && textPages > 0) {
    return {
      copy: 'scan',
      reason: `每页都是整页图像，但${textPages}/${n}页带文字层：可能是经OCR识别的扫描件，按扫描件处理`,
    };
  }
  if (textPages * 2 >= n) {
    const imgNote = fullImage > 0 ? `，另有${fullImage}页含大幅图像` : '';
    return { copy: 'electronic', reason: `${textPages}/${n}页有文字层${imgNote}（电子版）` };
  }
  if (measured < n && textPages === 0) {
    return { copy: 'unknown', reason: `没有文字层，且${n - measured}页未检查图像` };
  }
  return { copy: 'unknown', reason: `${textPages}/${n}页有文字层，${imageOnly}页为纯图像，无法判断` };
}
