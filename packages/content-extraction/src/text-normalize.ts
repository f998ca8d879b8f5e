import { toSimplified } from './traditional-chinese.js';

/**
 * Text clean-up shared by the table reader and the text scanners. Real files
 * mix full-width digits (１２３), ideographic spaces and line breaks inside
 * cells ("项目\n名称"); everything is compared after these steps.
 */

/** Full-width ASCII (！..～) → half-width, ideographic space → space. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Removes every kind of whitespace (headers are written "项 目 名 称"). */
export function squeeze(s: string): string {
  return s.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '');
}

/** Half-width, trimmed, inner runs of whitespace collapsed to one space. */
export function cleanText(s: string): string {
  return toHalfWidth(s)
    .replace(/[\u00a0\u200b\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits text into sentences on Chinese/ASCII full stops, semicolons and line breaks. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[。；;！!？?])|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The form keyword matchers compare: half-width, traditional characters as
 * simplified (關於…請示 reads as 关于…请示), no whitespace.
 */
export function toMatchable(s: string): string {
  return squeeze(toSimplified(toHalfWidth(s)));
}
