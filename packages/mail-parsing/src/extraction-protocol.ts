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

export interface ExtractRequest {
  id: number;
  job: ExtractJob;
  data: Uint8Array;
}

export type ExtractResponse =
  { id: number; ok: true; result: ExtractResult } | { id: number; ok: false; error: string };
