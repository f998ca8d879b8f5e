import type { TParsedMessage } from '@intake/domain';
import type { Logger } from '@intake/logger';
import { createParser } from '@intake/mail-parsing';
import type { WorkerContext } from './worker-context.js';

/**
 * The reading issue's parser with its worker-thread pool: every attachment is
 * extracted in a thread with memory and time limits, so one bad file cannot
 * take the worker process down.
 */
export interface MessageParser {
  parse(raw: Buffer, opts: { receivedAt: Date; receivedAtSource: string; logger: Logger }): Promise<TParsedMessage>;
  close(): Promise<void>;
}

export function createMessageParser(ctx: WorkerContext): MessageParser {
  const parser = createParser({});
  const limits = {
    attachmentTimeoutMs: ctx.parseLimits.attachmentTimeoutMs,
    maxAttachmentBytes: ctx.parseLimits.maxAttachmentBytes,
  };
  return {
    parse: (raw, o) =>
      parser.parse(raw, {
        profile: ctx.profile,
        directory: ctx.directory,
        receivedAt: o.receivedAt,
        limits,
        receivedAtSource: o.receivedAtSource as 'server',
        logger: o.logger,
      }),
    close: () => parser.close(),
  };
}
