export { parseMessage, parseMessageDetailed, parseMessageFile, createParser, closeParsers } from './parser.js';
export type { MailMessageParser, CreateParserOptions } from './parser.js';
export type { ParseOptions, ParseOutcome } from './parse-message.js';
export { DEFAULT_PARSE_LIMITS, resolveLimits, type ParseLimits } from './limits.js';
export { LOOP_GUARD_HEADER } from './mail-headers.js';
export { ExtractPool, ExtractTimeoutError, type ExtractPoolOptions } from './worker-pool.js';
export type { FileFacts, ForwardedFacts, ParserLogger } from './file-facts.js';
export type { FileFormat } from './sniff-format.js';
export { assessAuthentication, findAuthFailures, type AuthAssessment, type AuthVerdict } from './auth-results.js';
export { parseAuthResultsHeader, parseReceivedSpf, type AuthResultsHeader } from './auth-results-header.js';
export { decodeUnknownBytes, decodeEncodedWords, repairMojibakeName } from './charset.js';
export { decodeZipEntryName } from './zip-listing.js';
export { findAttachmentBytes } from './find-attachment.js';
export {
  pagesWithoutText,
  isOcrImage,
  MIN_OCR_IMAGE_BYTES,
  type ParseOcrOptions,
  type LeafOcr,
} from './ocr-reading.js';
export { createIsolatedParser, type IsolatedParser, type IsolatedParserOptions } from './isolated-parse.js';
export type { IsolatedParseInput, IsolatedParseOutput } from './isolated-parse-task.js';
export { ExtractCrashError, ExtractRefusedError } from './worker-pool.js';
// the bench's fair floor opens zips with the desk's own reader (issue 14.1)
export { expandZip, type UnpackBudget } from './archive-expand.js';
export { expandArchive } from './expand-archive.js';
