import type { Queryable } from './db.js';

/**
 * The `ocr_pages` table (migration 008), owned here: one OCR record per page
 * image sha256. The record's shape is @intake/ocr's ZOcrPageRecord; callers
 * validate it on the way out (this store keeps it as JSON).
 */
export async function getOcrPage(db: Queryable, imageSha256: string, engine: string): Promise<unknown> {
  const rows = await db.query<{ record: unknown }>(
    'select record from ocr_pages where image_sha256 = $1 and engine = $2',
    [imageSha256, engine],
  );
  return rows[0]?.record ?? null;
}

/** Insert or replace (a record of a newer engine replaces an older one for the same image). */
export async function putOcrPage(db: Queryable, imageSha256: string, engine: string, record: unknown): Promise<void> {
  await db.query(
    `insert into ocr_pages (image_sha256, engine, record) values ($1, $2, $3::jsonb)
     on conflict (image_sha256) do update set engine = excluded.engine, record = excluded.record, created_at = now()`,
    [imageSha256, engine, JSON.stringify(record)],
  );
}
