/**
 * `Array.prototype.push` as it was when this module was evaluated: `pdfjs.ts` imports it ahead of
 * pdf.js, so in a realm where nothing loaded pdf.js before, this is the engine's own function.
 * A module of its own because ES modules evaluate their imports in order, before the importer's body.
 */
export const arrayPushBeforePdfjs = Array.prototype.push;
