/**
 * The spreadsheet reader alone, for the extraction thread that reads one legacy
 * .xls/.et with SheetJS and is then discarded: it loads SheetJS and the table
 * logic, not exceljs, pdf.js or mammoth, so a fresh thread per legacy file
 * costs little to start. The thread calls `preloadSheetJs` (with the pool's code
 * cache) before it reports ready, so the pool's standby waits with SheetJS loaded.
 */
export { readProjectTable } from './project-table.js';
export { preloadSheetJs, sheetJsCodeCache, sheetJsUsed } from './xls-grid.js';

/** Legacy threads read spreadsheets only; a document job here is a bug of the pool. */
export function extractDocumentText(): Promise<never> {
  return Promise.reject(new Error('the legacy-spreadsheet thread reads no documents'));
}
