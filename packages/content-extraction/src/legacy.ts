/**
 * The spreadsheet reader alone, for the extraction thread that reads one legacy
 * .xls/.et with SheetJS and is then discarded: it loads SheetJS and the table
 * logic, not exceljs, pdf.js or mammoth, so a fresh thread per legacy file
 * costs little to start. SheetJS is loaded before the module resolves, so the
 * thread reports ready (and the pool's standby is warm) with it in memory.
 */
import { preloadSheetJs } from './xls-grid.js';

export { readProjectTable } from './project-table.js';
export { sheetJsUsed } from './xls-grid.js';

await preloadSheetJs();

/** Legacy threads read spreadsheets only; a document job here is a bug of the pool. */
export function extractDocumentText(): Promise<never> {
  return Promise.reject(new Error('the legacy-spreadsheet thread reads no documents'));
}
