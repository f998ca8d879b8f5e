/**
 * The OCR page cache (@intake/ocr): what OCR read from one page image, keyed
 * by the image's sha256 and the engine that read it. Shared by every worker
 * on the register (RAW_STORE=postgres, several machines), so a reprocess or
 * the second phase of a message never pays for a page twice, and the
 * dashboard shows a page's lines without OCR'ing it again.
 */
export const M008_OCR_PAGES = {
  id: 8,
  name: 'ocr-pages',
  sql: `
create table ocr_pages (
  image_sha256 text primary key check (image_sha256 ~ '^[0-9a-f]{64}$'),
  engine text not null,
  record jsonb not null,
  created_at timestamptz not null default now()
);
`,
} as const;
