/**
 * Bounds on the work one message may cause. A submission mailbox receives
 * whatever anyone sends: these keep a zip bomb, a 2 GB scan or a PDF that
 * sends pdf.js into a loop from stalling the pipeline or the process.
 */
export interface ParseLimits {
  /**
   * Raw messages larger than this are not MIME-parsed; only their headers are read.
   * @defaultValue 150 MiB
   */
  maxMessageBytes: number;
  /**
   * An attachment (or archive entry) larger than this is listed with an error and not read.
   * @defaultValue 60 MiB
   */
  maxAttachmentBytes: number;
  /**
   * Wall time for extracting one attachment's content in a worker; the worker is terminated past it.
   * @defaultValue 20 000 ms
   */
  attachmentTimeoutMs: number;
  /**
   * Bytes that archives of one message may unpack to, all archives and nesting levels together.
   * @defaultValue 200 MiB
   */
  maxTotalUnpackedBytes: number;
  /**
   * Entries one archive may hold (directories included); more and it is not expanded.
   * @defaultValue 500
   */
  maxArchiveEntries: number;
  /**
   * How deep archives and forwarded messages may nest (the message's own attachments are depth 0).
   * @defaultValue 3
   */
  maxDepth: number;
  /**
   * Declared uncompressed ÷ compressed size above which an entry counts as a bomb.
   * @defaultValue 200
   */
  maxCompressionRatio: number;
  /**
   * Entries smaller than this are never called bombs, whatever their ratio (a small
   * text file of spaces compresses 500:1 honestly).
   * @defaultValue 1 MiB
   */
  bombMinBytes: number;
  /**
   * Characters of extracted document text kept per attachment for detection and roles.
   * @defaultValue 200 000
   */
  maxTextChars: number;
  /**
   * Pages OCR may read per message (image-only PDF pages, images, TIFF frames together);
   * pages over it are listed unread with the reason.
   * @defaultValue 20
   */
  maxOcrPages: number;
  /**
   * Real inflated bytes an .xlsx/.docx may have, counted while inflating (never the zip's
   * declared sizes); more and the file is not read.
   * @defaultValue 128 MiB
   */
  maxOfficeUnpackedBytes: number;
  /**
   * Per-message budget: bytes of attachments handed to readers, all together. Files after it
   * is spent are listed unread with the reason.
   * @defaultValue 200 MiB
   */
  messageBudgetBytes: number;
  /**
   * Per-message budget: document pages read (PDF pages, all PDFs together); a PDF is read only
   * up to what is left, later files not at all once it is spent.
   * @defaultValue 1000
   */
  messageBudgetPages: number;
  /**
   * Per-message budget: wall time for reading the attachments, ms. A reader never runs past
   * what is left of it; files after it is spent are listed unread with the reason.
   * @defaultValue 120 000 ms
   */
  messageBudgetMs: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxMessageBytes: 150 * MiB,
  maxAttachmentBytes: 60 * MiB,
  attachmentTimeoutMs: 20_000,
  maxTotalUnpackedBytes: 200 * MiB,
  maxArchiveEntries: 500,
  maxDepth: 3,
  maxCompressionRatio: 200,
  bombMinBytes: 1 * MiB,
  maxTextChars: 200_000,
  maxOcrPages: 20,
  maxOfficeUnpackedBytes: 128 * MiB,
  messageBudgetBytes: 200 * MiB,
  messageBudgetPages: 1000,
  messageBudgetMs: 120_000,
});

export function resolveLimits(partial?: Partial<ParseLimits>): ParseLimits {
  const out: ParseLimits = { ...DEFAULT_PARSE_LIMITS };
  for (const [k, v] of Object.entries(partial ?? {})) {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) (out as unknown as Record<string, number>)[k] = v;
  }
  return out;
}
