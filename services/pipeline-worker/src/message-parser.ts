import type { TParsedMessage } from '@intake/domain';
import type { Logger } from '@intake/logger';
import { createParser, type ParseOutcome } from '@intake/mail-parsing';
import type { WorkerContext } from './worker-context.js';

/**
 * The reading issue's parser with its worker-thread pool: every attachment is
 * extracted in a thread with memory and time limits, so one bad file cannot
 * take the worker process down. OCR (when the context has it) runs in its own
 * sandboxed child processes: `defer` lists scanned pages for the OCR phase,
 * `inline` reads them now (the page cache makes pages read before free).
 */
export type OcrMode = 'defer' | 'inline' | 'off';

export interface ParsedForRegister {
  parsed: TParsedMessage;
  ocrPending: ParseOutcome['ocrPending'];
  /** what scan ↔ electronic pairing across messages needs (stored by the register, migration 007) */
  copyFacts: ParseOutcome['copyFacts'];
}

export interface MessageParser {
  parse(
    raw: Buffer,
    opts: { receivedAt: Date; receivedAtSource: string; logger: Logger; ocr?: OcrMode },
  ): Promise<ParsedForRegister>;
  close(): Promise<void>;
}

export function createMessageParser(ctx: WorkerContext): MessageParser {
  const parser = createParser({});
  const limits = {
    attachmentTimeoutMs: ctx.parseLimits.attachmentTimeoutMs,
    maxAttachmentBytes: ctx.parseLimits.maxAttachmentBytes,
    ...(ctx.ocr ? { maxOcrPages: ctx.ocr.maxPages } : {}),
  };
  return {
    async parse(raw, o) {
      const mode = ctx.ocr ? (o.ocr ?? 'defer') : 'off';
      const out = await parser.parseDetailed(raw, {
        profile: ctx.profile,
        directory: ctx.directory,
        receivedAt: o.receivedAt,
        limits,
        receivedAtSource: o.receivedAtSource as 'server',
        logger: o.logger,
        ...(ctx.ocr && mode !== 'off' ? { ocr: { service: ctx.ocr.service, mode } } : {}),
      });
      return { parsed: out.message, ocrPending: out.ocrPending, copyFacts: out.copyFacts };
    },
    close: () => parser.close(),
  };
}
