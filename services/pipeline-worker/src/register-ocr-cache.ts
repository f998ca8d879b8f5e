import { ZOcrPageRecord, type OcrCache, type TOcrPageRecord } from '@intake/ocr';
import { getOcrPage, putOcrPage, type Queryable } from '@intake/register-store';

/**
 * The OCR page cache in the register (migration 008): every worker on the
 * same database shares it (RAW_STORE=postgres, several machines), and the
 * dashboard reads a page's lines from it.
 */
export function createRegisterOcrCache(db: Queryable): OcrCache {
  return {
    async get(imageSha256, engine) {
      const raw = await getOcrPage(db, imageSha256, engine);
      if (raw === null) return null;
      // a row written by another version of the record shape is a miss: the page is read again
      const parsed = ZOcrPageRecord.safeParse(raw);
      return parsed.success ? parsed.data : null;
    },
    put: (record: TOcrPageRecord) => putOcrPage(db, record.imageSha256, record.engine, record),
  };
}
