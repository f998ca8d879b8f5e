import fs from 'node:fs/promises';
import type { TParsedMessage } from '@intake/domain';
import { parseWithPool, type ParseOptions, type ParseOutcome } from './parse-message.js';
import { ExtractPool, type ExtractPoolOptions } from './worker-pool.js';

/** A parser holding its own worker pool: for services that parse many messages. */
export interface MailMessageParser {
  parse(raw: Buffer, opts: ParseOptions): Promise<TParsedMessage>;
  /** the message plus per-file facts (extracted text, project-table readings) */
  parseDetailed(raw: Buffer, opts: ParseOptions): Promise<ParseOutcome>;
  /** Starts the extraction threads and waits until their readers are loaded (see ExtractPool.warm). */
  warm(): Promise<void>;
  /** Stops the workers. Safe to call twice. */
  close(): Promise<void>;
}

export type CreateParserOptions = ExtractPoolOptions;

export function createParser(opts: CreateParserOptions = {}): MailMessageParser {
  const pool = new ExtractPool(opts);
  return {
    parse: async (raw, o) => (await parseWithPool(raw, o, pool)).message,
    parseDetailed: (raw, o) => parseWithPool(raw, o, pool),
    warm: () => pool.warm(),
    close: () => pool.close(),
  };
}

let sharedPool: ExtractPool | null = null;

/** The default pool: its idle workers do not keep the process alive. */
function defaultPool(): ExtractPool {
  sharedPool ??= new ExtractPool({ unrefIdle: true });
  return sharedPool;
}

/** Parses one raw RFC 822 message with the shared default pool. */
export async function parseMessage(raw: Buffer, opts: ParseOptions): Promise<TParsedMessage> {
  return (await parseWithPool(raw, opts, defaultPool())).message;
}

export async function parseMessageDetailed(raw: Buffer, opts: ParseOptions): Promise<ParseOutcome> {
  return parseWithPool(raw, opts, defaultPool());
}

export async function parseMessageFile(path: string, opts: ParseOptions): Promise<TParsedMessage> {
  return parseMessage(await fs.readFile(path), opts);
}

/** Stops the shared default pool's workers (a later parse starts new ones). */
export async function closeParsers(): Promise<void> {
  const pool = sharedPool;
  sharedPool = null;
  await pool?.close();
}
