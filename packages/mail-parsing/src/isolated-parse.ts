import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SandboxPool } from '@intake/sandbox';
import type { IsolatedParseInput, IsolatedParseOutput } from './isolated-parse-task.js';

/**
 * Reading a whole message in a sandboxed child process (wall-time and RSS caps
 * on the child and all it starts, a temp dir of its own): for the one message
 * in a great many whose previous reading killed the worker process. Ordinary
 * mail never comes here; the fast path stays in worker threads.
 */
export interface IsolatedParserOptions {
  /** @defaultValue 1024 */
  memoryMb?: number;
  /** @defaultValue 180 000 */
  timeoutMs?: number;
}

export interface IsolatedParser {
  parse(input: IsolatedParseInput): Promise<IsolatedParseOutput>;
  close(): Promise<void>;
}

/** The built task module (the child imports plain JS): beside this file, or in dist/ under vitest. */
function taskModule(): string {
  const here = new URL(import.meta.url);
  const sibling = fileURLToPath(new URL('./isolated-parse-task.js', here));
  if (!here.pathname.endsWith('.ts') && fs.existsSync(sibling)) return pathToFileURL(sibling).href;
  return pathToFileURL(fileURLToPath(new URL('../dist/isolated-parse-task.js', here))).href;
}

export function createIsolatedParser(opts: IsolatedParserOptions = {}): IsolatedParser {
  let pool: SandboxPool | null = null;
  return {
    parse(input) {
      pool ??= new SandboxPool({
        size: 1,
        memoryMb: opts.memoryMb ?? 1024,
        timeoutMs: opts.timeoutMs ?? 180_000,
        // one message per child: nothing of a hostile mail outlives its reading
        maxTasksPerChild: 1,
      });
      return pool.run<IsolatedParseOutput>({ module: taskModule(), fn: 'parseIsolated', input });
    },
    async close() {
      await pool?.close();
      pool = null;
    },
  };
}
