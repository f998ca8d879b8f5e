import type { TEvidence, TProject } from '@intake/domain';

/** Messages between the parser and its extraction workers (structured-clone safe). */

export type TableFormat = 'xlsx' | 'xls' | 'csv';
export type TextFormat = 'docx' | 'doc' | 'wps' | 'pdf' | 'txt' | 'ofd';

export interface TableJob {
  op: 'table';
  format: TableFormat;
  filename: string;
  largeProjectWan?: number;
}

export interface TextJob {
  op: 'text';
  format: TextFormat;
  /** for a project table found in a Word or PDF table */
  largeProjectWan?: number;
  /** PDF pages read at most (what is left of the message's page budget) */
  maxPages?: number;
}

export type ExtractJob = TableJob | TextJob;

export interface ProjectTableResult {
  found: boolean;
  sheet: string | null;
  headerRow: number | null;
  unit: '万元' | '亿元' | '元' | null;
  title: string | null;
  projects: TProject[];
  notes: string[];
  /** reading decisions (table, header, unit, skipped rows); `source` is filled in by the parser */
  evidence: TEvidence[];
}

export interface DocumentPage {
  num: number;
  text: string;
  hasImage?: boolean;
  imageOnly?: boolean;
  imageCoverage?: number;
  /** OFD: paths inside the file of the images drawn on the page (for OCR of pages without words) */
  images?: string[];
}

export interface DocumentTextResult {
  text: string;
  pages?: DocumentPage[];
  notes: string[];
  /** a project table read from a Word table or a PDF table */
  table?: ProjectTableResult;
}

export type ExtractResult = ProjectTableResult | DocumentTextResult;

/** Bounds the thread applies itself, before and while a reader runs. */
export interface ExtractBounds {
  /** real inflated bytes an .xlsx/.docx may have (counted, not declared) */
  maxUnpackedBytes: number;
  maxCompressionRatio: number;
  bombMinBytes: number;
  maxEntries: number;
}

export interface ExtractRequest {
  id: number;
  job: ExtractJob;
  data: Uint8Array;
  /** this job's own temp directory (exceljs spools there); the pool removes it whatever happens */
  tmpDir: string;
  bounds: ExtractBounds;
}

export type ExtractResponse =
  | {
      id: number;
      ok: true;
      result: ExtractResult;
      /** the thread read a legacy file with SheetJS: it is replaced, never reused */
      retire?: boolean;
    }
  | { id: number; ok: false; error: string; retire?: boolean };

/** Posted once by a thread when its readers are loaded (or failed to load): what `ExtractPool.warm` waits for. */
export interface ExtractReady {
  ready: true;
  /** V8's code cache of SheetJS, made by a legacy thread before it read any file: the next legacy threads start from it */
  sheetJsCodeCache?: Uint8Array;
}

/** Exit code of a thread that stopped itself for memory outside its heap (ArrayBuffers, zlib output). */
export const EXIT_EXTERNAL_MEMORY = 87;
