import type { TParsedMessage } from '@intake/domain';
import type { Logger } from '@intake/logger';
import { createIsolatedParser, createParser, type ParseOutcome } from '@intake/mail-parsing';
import type { WorkerContext } from './worker-context.js';

/**
 * The reading issue's parser with its worker-thread pool: every attachment is
 * extracted in a thread with memory and time limits, so one bad file cannot
 * take the worker process down. OCR (when the context has it) runs in its own
 * sandboxed child processes: `defer` lists scanned pages for the OCR phase,
 * `inline` reads them now (the page cache makes pages read before free).
 * `parseIsolated` reads a whole message in a sandboxed child process, for a
 * message whose previous reading killed the worker process.
 */
export type OcrMode = 'defer' | 'inline' | 'off';

export interface ParsedForRegister {
  parsed: TParsedMessage;
  ocrPending: ParseOutcome['ocrPending'];
  /** what scan ↔ electronic pairing across messages needs (stored by the register, migration 007) */
  copyFacts: ParseOutcome['copyFacts'];
}

export interface MessageParseOptions {
  receivedAt: Date;
  receivedAtSource: string;
  logger: Logger;
  ocr?: OcrMode;
  /** read nothing inside the files: each is listed unread with this reason (a poison mail) */
  unreadReason?: string;
}

export interface MessageParser {
  parse(raw: Buffer, opts: MessageParseOptions): Promise<ParsedForRegister>;
  /** the same reading in a sandboxed child (RSS and time caps); rejects with a SandboxError when the child dies */
  parseIsolated(raw: Buffer, opts: MessageParseOptions): Promise<ParsedForRegister>;
  /** loads the extraction threads' readers now instead of on the first message */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export function createMessageParser(ctx: WorkerContext): MessageParser {
  const parser = createParser({
    ...(ctx.extractorModule ? { extractorModule: ctx.extractorModule } : {}),
    ...(ctx.parseThreads ? { size: ctx.parseThreads } : {}),
  });
  const l = ctx.parseLimits;
  const limits = {
    attachmentTimeoutMs: l.attachmentTimeoutMs,
    maxAttachmentBytes: l.maxAttachmentBytes,
    ...(l.maxOfficeUnpackedBytes === undefined ? {} : { maxOfficeUnpackedBytes: l.maxOfficeUnpackedBytes }),
    ...(l.messageBudgetBytes === undefined ? {} : { messageBudgetBytes: l.messageBudgetBytes }),
    ...(l.messageBudgetPages === undefined ? {} : { messageBudgetPages: l.messageBudgetPages }),
    ...(l.messageBudgetMs === undefined ? {} : { messageBudgetMs: l.messageBudgetMs }),
    ...(ctx.ocr ? { maxOcrPages: ctx.ocr.maxPages } : {}),
  };
  const isolated = createIsolatedParser({
    memoryMb: ctx.isolatedMemoryMb ?? 1024,
    // the message's own time budget, plus the child's start and the MIME reading
    timeoutMs: (l.messageBudgetMs ?? 120_000) + 60_000,
  });
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
        authservIds: ctx.authservIds ?? [],
        ...(o.unreadReason ? { unreadReason: o.unreadReason } : {}),
        ...(ctx.ocr && mode !== 'off' ? { ocr: { service: ctx.ocr.service, mode } } : {}),
      });
      return { parsed: out.message, ocrPending: out.ocrPending, copyFacts: out.copyFacts };
    },
    async parseIsolated(raw, o) {
      const out = await isolated.parse({
        raw,
        profile: ctx.profile,
        receivedAt: o.receivedAt,
        receivedAtSource: o.receivedAtSource as 'server',
        limits,
        // the child never OCRs: scans wait for the OCR phase as usual
        ocrDefer: ctx.ocr !== undefined && o.ocr !== 'off',
        ...(ctx.extractorModule ? { extractorModule: ctx.extractorModule } : {}),
        authservIds: ctx.authservIds ?? [],
      });
      return { parsed: out.message, ocrPending: out.ocrPending, copyFacts: out.copyFacts };
    },
    warm: () => parser.warm(),
    close: async () => {
      await Promise.all([parser.close(), isolated.close()]);
    },
  };
}
