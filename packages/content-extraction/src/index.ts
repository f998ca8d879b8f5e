/**
 * Reading what is inside the files of a submission: the 附件2 project table,
 * document text (with scan/electronic facts for PDFs), the figures of 附件1,
 * and who applies for which cluster. Pure functions over Buffers and strings,
 * meant to run inside the sandboxed extraction worker.
 */
export { readProjectTable, readProjectTableFromGrids, type ReadProjectTableOptions } from './project-table.js';
export {
  readProjectGrids,
  readProjectCells,
  type ProjectTableResult,
  type ProjectCellsInput,
  type ReadProjectGridsOptions,
} from './project-grids.js';
export { gridFromCells, textCell, type Grid, type GridCell, type GridRow } from './grid.js';
export { readDocxTables } from './docx-tables.js';
export { sheetJsUsed } from './xls-grid.js';
export { extractDocumentText, type DocumentTextResult, type ExtractDocumentTextOptions } from './document-text.js';
export { type PdfPage, FULL_PAGE_IMAGE_SHARE, MIN_TEXT_LAYER_CHARS } from './pdf-text.js';
export { classifyPdfCopy, type PdfCopyDecision } from './pdf-copy.js';
export { extractMetrics, type MetricsResult, type ExtractMetricsOptions } from './metrics.js';
export {
  detectApplicant,
  type ApplicantCandidateText,
  type ApplicantDetection,
  type DetectApplicantContext,
} from './applicant.js';
export { detectCluster, detectField, type ClusterCandidateText, type FieldDetection } from './cluster.js';
export { classifyRoles, copyHintFromName, type ClassifyRolesInput, type RolesDecision } from './roles.js';
export {
  parseAmount,
  parseAmountCell,
  toWan,
  toYi,
  unitFromLabel,
  type MoneyUnit,
  type ParsedAmount,
} from './money.js';
export { normalizePeriod } from './period.js';
export { parseChineseNumber } from './chinese-number.js';
export { decodeText, isValidUtf8, type TextEncoding } from './text-decode.js';
export { rtfToText } from './rtf-text.js';
export {
  readDocumentFacts,
  normalizeDocumentNumber,
  SEAL_RED_SHARE,
  type DocumentFactsInput,
} from './document-facts.js';
