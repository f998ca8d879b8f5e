import type { TProject } from '@intake/domain';

/** Messages between the parser and its extraction workers (structured-clone safe). */

export type TTableFormat = 'xlsx' | 'xls' | 'csv';
export type TTextFormat = 'docx' | 'doc' | 'wps' | 'pdf' | 'txt';

export interface TTableJob {
  op: 'table';
  format: TTableFormat;
  filename: string;
  largeProjectWan?: number;
}

export interface TTextJob {
  op: 'text';
  format: TTextFormat;
}

export type TExtractJob = TTableJob | TTextJob;

export interface TProjectTableResult {
  found: boolean;
  sheet: string | null;
  headerRow: number | null;
  unit: '万元' | '亿元' | '元' | null;
  title: string | null;
  projects: TProject[];
  notes: string[];
}

export interface TDocumentPage {
  num: number;
  text: string;
  hasImage?: boolean;
  imageOnly?: boolean;
  imageCoverage?: number;
}

export interface TDocumentTextResult {
  text: string;
  pages?: TDocumentPage[];
  notes: string[];
}

export type TExtractResult = TProjectTableResult | TDocumentTextResult;

export interface TExtractRequest {
  id: number;
  job: TExtractJob;
  data: Uint8Array;
}

export type TExtractResponse =
  | { id: number; ok: true; result: TExtractResult }
  | { id: number; ok: false; error: string };
