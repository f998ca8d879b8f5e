import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { PDFParse } from 'pdf-parse';

function isXlsx(name: string, type: string): boolean {
  return /\.xlsx$/i.test(name) || type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}

function isPdf(name: string, type: string): boolean {
  return /\.pdf$/i.test(name) || type === 'application/pdf';
}

/** exceljs load of one .xlsx; errors are counted, not thrown (a corrupt file is part of the input). */
export async function loadXlsx(data: Buffer): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return wb.worksheets.reduce((n, ws) => n + ws.rowCount, 0);
}

/** pdf-parse getText of one PDF. */
export async function pdfText(data: Buffer): Promise<number> {
  const parser = new PDFParse({ data });
  try {
    const r = await parser.getText();
    return r.text.length;
  } finally {
    await parser.destroy();
  }
}

/**
 * The baseline of `parse`: mailparser, then exceljs on each top-level .xlsx
 * and pdf-parse getText on each top-level PDF — no archives, no .docx/.doc,
 * no image checks, no applicant/metric logic, no sandbox.
 */
export async function bareParse(raw: Buffer): Promise<{ errors: number }> {
  const mail = await simpleParser(raw);
  let errors = 0;
  for (const a of mail.attachments) {
    const name = a.filename ?? '';
    try {
      if (isXlsx(name, a.contentType)) await loadXlsx(a.content);
      else if (isPdf(name, a.contentType)) await pdfText(a.content);
    } catch {
      errors++;
    }
  }
  return { errors };
}
