import { isSandboxError } from '@intake/sandbox';
import { beginParseAttempt, endParseAttempt } from '@intake/register-store';
import type { MessageParseOptions, MessageParser, ParsedForRegister } from '../message-parser.js';
import type { WorkerContext } from '../worker-context.js';

/**
 * A mail that kills its reader must not become a crash loop (BullMQ retries a
 * job whose worker process died). Every reading is bracketed by an attempt
 * marker in the register (parse_attempts); a marker still set when the next
 * attempt begins means the previous process died mid-read. That message is
 * then read once more in a sandboxed child process (RSS and time caps, so it
 * can kill nothing but the child — and a worker killed for another reason,
 * an operator's kill -9, costs only a slower re-read). If the child dies too,
 * the mail is poison: registered with every attachment listed unread and the
 * reason (UNREADABLE_ATTACHMENT), and never read again by this job.
 */
export async function readGuarded(
  ctx: WorkerContext,
  parser: MessageParser,
  sha256: string,
  raw: Buffer,
  opts: MessageParseOptions,
): Promise<ParsedForRegister> {
  const log = opts.logger;
  const attempt = await beginParseAttempt(ctx.db, sha256);
  try {
    if (!attempt.interrupted) return await parser.parse(raw, opts);
    log.warn(
      { code: 'message.read-interrupted', interruptions: attempt.interruptions },
      'the previous reading of this message died with its process; reading it again in a sandboxed child',
    );
    try {
      return await parser.parseIsolated(raw, opts);
    } catch (err) {
      if (!isSandboxError(err) || err.failure === 'task-failed' || err.failure === 'closed') throw err;
      const reason = `读取此邮件的进程崩溃，隔离重读也失败（${err.message}），附件未读取，请人工查看原件 (poison: the mail killed its reader twice; not read again)`;
      log.error({ code: 'message.poison', err, failure: err.failure }, 'mail killed its reader: registered unread');
      return await parser.parse(raw, { ...opts, unreadReason: reason });
    }
  } finally {
    await endParseAttempt(ctx.db, sha256);
  }
}
