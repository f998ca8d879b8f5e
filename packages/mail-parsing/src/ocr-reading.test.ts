// Guards OCR as a reader (issue 10): a sealed 请示 scan whose name says nothing (扫描件.pdf) and a
// phone photo of 附件2 taken sideways (IMG_2035.JPG) were blind spots — no words, no 文号, no
// rows. Expected text is what the generator drew (SEALED_REQUEST, DRAWN_TABLE_PROJECTS), never an
// OCR output. OCR costs seconds a page on a busy 2-core machine: the few pages here are read once
// and every later parse reuses them through the shared cache (which is itself under test).
import { loadCampaignProfile, ZParsedMessage, type TParsedMessage } from '@intake/domain';
import {
  DRAWN_TABLE_PROJECTS,
  makeSealedRequestScanOfd,
  makeRequestTextPdf,
  makeSealedRequestScanPdf,
  makeTablePhotoJpeg,
  SEALED_REQUEST,
} from '@intake/fixture-generator';
import { createOcrService, MemoryOcrCache, normalizeOcrText, type OcrService, type TOcrPageRecord } from '@intake/ocr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParseOutcome } from './parse-message.js';
import { createParser, type MailMessageParser } from './parser.js';
import {
  BASE_HEADERS,
  filePart,
  rawMessage,
  rfc2231Filename,
  textPart,
  type Part,
} from './test-helpers/mime-builder.js';

/** Counts the pages the engine really read: a page served from the cache is never put again. */
class CountingCache extends MemoryOcrCache {
  puts = 0;
  override put(record: TOcrPageRecord): Promise<void> {
    this.puts++;
    return super.put(record);
  }
}

const profile = loadCampaignProfile();
const cache = new CountingCache();
let parser: MailMessageParser;
let ocr: OcrService;
let scanMail: Buffer;
let photoMail: Buffer;
let twoPageMail: Buffer;
let ofdMail: Buffer;
let scan: Buffer;

function mail(filename: string, type: string, content: Buffer, id: string, more: Part[] = []): Buffer {
  return rawMessage(
    [...BASE_HEADERS.filter((h) => !h.startsWith('Message-ID')), `Message-ID: <${id}@example.cn>`, 'Subject: 申报材料'],
    [textPart('请查收。'), filePart(content, type, rfc2231Filename(filename, 'UTF-8')), ...more],
  );
}

beforeAll(async () => {
  parser = createParser({ size: 1 });
  ocr = createOcrService({ cache, pageTimeoutMs: 120_000 });
  scan = await makeSealedRequestScanPdf({ pages: 1 });
  scanMail = mail('扫描件.pdf', 'application/pdf', scan, 'scan');
  photoMail = mail('IMG_2035.JPG', 'image/jpeg', await makeTablePhotoJpeg({ rotated90: true }), 'photo');
  // two copies of the same page: the same page image, so the second is a cache hit
  twoPageMail = mail('扫描件2.pdf', 'application/pdf', await makeSealedRequestScanPdf({ pages: 2 }), 'two');
  ofdMail = mail('请示.ofd', 'application/ofd', await makeSealedRequestScanOfd(), 'ofd');
});
afterAll(async () => {
  await parser.close();
  await ocr.close();
});

async function parse(raw: Buffer, maxOcrPages = 20, mode: 'inline' | 'defer' = 'inline'): Promise<ParseOutcome> {
  const out = await parser.parseDetailed(raw, { profile, limits: { maxOcrPages }, ocr: { service: ocr, mode } });
  expect(ZParsedMessage.safeParse(out.message).success).toBe(true);
  return out;
}

const only = (m: TParsedMessage) => m.attachments[0]!;
const pdfPart = (content: Buffer, filename: string) =>
  filePart(content, 'application/pdf', rfc2231Filename(filename, 'UTF-8'));

describe('OCR in extraction', () => {
  it('reads the title, 文号 and date of a sealed 请示 scan named 扫描件.pdf', async () => {
    const out = await parse(scanMail);
    const att = only(out.message);
    expect(att.copy).toBe('scan');
    expect(att.text?.source).toBe('ocr');
    expect(att.text?.confidence).toBeGreaterThan(0.8);
    const text = normalizeOcrText(out.files[0]!.text ?? '');
    expect(text).toContain(SEALED_REQUEST.title);
    expect(text).toContain(SEALED_REQUEST.number);
    expect(text).toContain(SEALED_REQUEST.date);
    // the page record the documents engineer and the dashboard read
    const page = out.files[0]!.ocr!.pages[0]!;
    expect(page.page).toBe(1);
    expect(page.record.imageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(page.record.lines.some((l) => normalizeOcrText(l.text).includes(SEALED_REQUEST.number))).toBe(true);
    expect(page.record.redShare).toBeGreaterThan(0.002);
    // issue 10 §2/§3: the words make it the 请示, and its facts are read exactly
    expect(att.roles).toContain('formal-document');
    expect(att.document).toEqual({
      number: '长发改高技〔2020〕86号',
      issuer: '长春市发展和改革委员会',
      title: '关于申报长春市生物医药产业集群的请示',
      date: '2020-05-12',
      sealed: true,
    });
  });

  it('pairs the scan with its electronic copy both ways, and flags a copy whose 文号 and date differ', async () => {
    const same = await makeRequestTextPdf();
    const out = await parse(mail('扫描件.pdf', 'application/pdf', scan, 'pair', [pdfPart(same, '请示.pdf')]));
    const [s, e] = out.message.attachments;
    expect(e?.copy).toBe('electronic');
    expect(e?.document).toMatchObject({ number: '长发改高技〔2020〕86号', date: '2020-05-12', sealed: null });
    expect(s?.copyOf).toBe(e?.sha256);
    expect(e?.copyOf).toBe(s?.sha256);
    expect(s?.similarity).toBeGreaterThan(0.8);
    expect(out.message.flags.map((f) => f.code)).not.toContain('SCAN_ELECTRONIC_MISMATCH');

    const other = await makeRequestTextPdf({
      ...SEALED_REQUEST,
      number: '长发改高技〔2020〕87号',
      date: '2020年5月15日',
    });
    const bad = await parse(mail('扫描件.pdf', 'application/pdf', scan, 'bad', [pdfPart(other, '请示.pdf')]));
    expect(bad.message.flags.filter((f) => f.code === 'SCAN_ELECTRONIC_MISMATCH').map((f) => f.detail)).toEqual([
      '扫描件.pdf（扫描版）与 请示.pdf（电子版）不一致：文号：扫描版“长发改高技〔2020〕86号”，电子版“长发改高技〔2020〕87号”；成文日期：扫描版2020-05-12，电子版2020-05-15',
    ]);
  });

  it('turns a sideways phone photo of 附件2 upright and reads its rows', async () => {
    const out = await parse(photoMail);
    const att = only(out.message);
    expect(out.files[0]!.ocr!.pages[0]!.record.rotation).toBe(270);
    expect(att.roles).toContain('project-table');
    expect(out.files[0]!.table?.found).toBe(true);
    const rows = out.message.projects;
    expect(rows.every((p) => p.sheet === 'page 1' && p.ocrConfidence !== undefined)).toBe(true);
    const names = new Set(rows.map((p) => p.name));
    const hits = DRAWN_TABLE_PROJECTS.filter((p) => names.has(p.name));
    // the drawn table has 12 rows; OCR may misread a character, but not most of them
    expect(hits.length).toBeGreaterThanOrEqual(10);
    const first = rows.find((p) => p.name === DRAWN_TABLE_PROJECTS[0]!.name);
    expect(first).toMatchObject({ owner: DRAWN_TABLE_PROJECTS[0]!.owner, totalInvestment: 52000 });
    // a row OCR is unsure of is marked, never silently trusted
    for (const p of rows) {
      const low = Object.values(p.ocrConfidence ?? {}).some((c) => c < 0.8);
      expect(p.lowConfidence === true).toBe(low);
    }
  });

  it('does not OCR a cached page twice', async () => {
    const before = cache.puts;
    const out = await parse(scanMail);
    expect(out.files[0]!.ocr!.pages.every((p) => p.cached)).toBe(true);
    expect(cache.puts).toBe(before);
  });

  it('keeps to the OCR page budget per message and lists the pages over it', async () => {
    const out = await parse(twoPageMail, 1);
    const ocrFacts = out.files[0]!.ocr!;
    expect(ocrFacts.pages.map((p) => p.page)).toEqual([1]);
    expect(ocrFacts.unread).toEqual([{ page: 2, reason: expect.stringContaining('OCR页数上限（1页）') as string }]);
    expect(only(out.message).notes?.some((n) => n.startsWith('第2页未识别'))).toBe(true);
  });

  it('in defer mode lists the scan as pending without reading it', async () => {
    const out = await parse(twoPageMail, 20, 'defer');
    expect(out.ocrPending).toEqual([{ path: '扫描件2.pdf', filename: '扫描件2.pdf', pages: [1, 2] }]);
    expect(only(out.message).text).toEqual({ source: 'none', chars: 0, pending: true });
  });

  it('reads an image-only OFD scan through its page image, as the scan of the 请示', async () => {
    const out = await parse(ofdMail);
    const att = only(out.message);
    expect(att.error).toBeUndefined();
    expect(att.copy).toBe('scan');
    expect(att.text?.source).toBe('ocr');
    const text = normalizeOcrText(out.files[0]!.text ?? '');
    expect(text).toContain(SEALED_REQUEST.number);
    expect(text).toContain(SEALED_REQUEST.date);
    expect(out.files[0]!.ocr!.pages.map((p) => p.page)).toEqual([1]);
  });

  it('defers an image-only OFD page like a PDF page, and keeps it within the page budget', async () => {
    const deferred = await parse(ofdMail, 20, 'defer');
    expect(deferred.ocrPending).toEqual([{ path: '请示.ofd', filename: '请示.ofd', pages: [1] }]);
    const over = await parse(ofdMail, 0);
    expect(over.files[0]!.ocr!.unread).toEqual([
      { page: 1, reason: expect.stringContaining('OCR页数上限（0页）') as string },
    ]);
  });
});
