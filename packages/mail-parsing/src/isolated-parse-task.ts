import type { TCampaignProfile, TParsedMessage } from '@intake/domain';
import type { OcrService } from '@intake/ocr';
import type { ParseLimits } from './limits.js';
import type { ParseOutcome } from './parse-message.js';
import { createParser, type MailMessageParser } from './parser.js';
import type { ReceivedAtSource } from './received-at.js';

/**
 * Runs in a sandbox child process (@intake/sandbox): one whole message read
 * the ordinary way (MIME in the child, attachments in a one-thread pool), for
 * a message whose previous reading killed its worker process. Whatever it does
 * now, it can only kill this child, whose memory and time the pool caps.
 */

export interface IsolatedParseInput {
  raw: Uint8Array;
  profile: TCampaignProfile;
  receivedAt: Date | null;
  receivedAtSource?: ReceivedAtSource;
  limits?: Partial<ParseLimits>;
  /** list pages without a text layer for the OCR phase (the child never OCRs) */
  ocrDefer: boolean;
  extractorModule?: string;
  /** AUTHSERV_ID, as the worker's own reading gets it */
  authservIds?: readonly string[];
}

export interface IsolatedParseOutput {
  message: TParsedMessage;
  ocrPending: ParseOutcome['ocrPending'];
  copyFacts: ParseOutcome['copyFacts'];
}

let parser: MailMessageParser | null = null;

/** Defer mode only lists pages; a call to the service here would be a bug. */
const NO_OCR = new Proxy(
  {},
  {
    get() {
      throw new Error('OCR is not run in the isolated re-read');
    },
  },
) as OcrService;

export async function parseIsolated(input: IsolatedParseInput): Promise<IsolatedParseOutput> {
  parser ??= createParser({ size: 1, ...(input.extractorModule ? { extractorModule: input.extractorModule } : {}) });
  const raw = Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength);
  const out = await parser.parseDetailed(raw, {
    profile: input.profile,
    receivedAt: input.receivedAt,
    ...(input.receivedAtSource ? { receivedAtSource: input.receivedAtSource } : {}),
    ...(input.limits ? { limits: input.limits } : {}),
    ...(input.ocrDefer ? { ocr: { service: NO_OCR, mode: 'defer' as const } } : {}),
    ...(input.authservIds ? { authservIds: input.authservIds } : {}),
  });
  return { message: out.message, ocrPending: out.ocrPending, copyFacts: out.copyFacts };
}
