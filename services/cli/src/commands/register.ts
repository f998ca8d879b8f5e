import { UsageError } from '../usage-error.js';
import type { Command } from 'commander';
import fs from 'node:fs';
import { createRuntime } from '../runtime.js';

type Format = 'xlsx' | 'json' | 'csv' | 'html';

/** `intake register export` and `intake reprocess`: the register as staff use it, and re-reading archived mail. */
export function registerRegisterCommands(program: Command): void {
  const register = program.command('register').description('the intake register');
  register
    .command('export')
    .description('export the register as xlsx, json, csv or a self-contained html page')
    .requiredOption('--format <format>', 'xlsx | json | csv | html')
    .option('--out <file>', 'write to this file (JSON and CSV go to stdout without it)')
    .action(async (opts: { format: string; out?: string }) => {
      const format = opts.format as Format;
      if (!['xlsx', 'json', 'csv', 'html'].includes(format))
        throw new UsageError(`--format must be xlsx, json, csv or html, not ${opts.format}`);
      if (format === 'xlsx' && !opts.out && process.stdout.isTTY)
        throw new UsageError('--format xlsx writes binary data: give --out FILE (or redirect stdout)');
      const rt = createRuntime('register-export');
      try {
        const { renderExport } = await import('../register-export.js');
        const data = await renderExport(rt, format);
        if (opts.out) fs.writeFileSync(opts.out, data);
        else process.stdout.write(data);
      } finally {
        await rt.close();
      }
    });

  program
    .command('reprocess')
    .description('re-run parsing and checks from the archived raw mail (no fetching, no replies)')
    .option('--all', 'every registered message')
    .argument('[receipts...]', 'application or message receipt numbers (e.g. 2020-0007 or 2020-0007-2)')
    .action(async (receipts: string[], opts: { all?: boolean }) => {
      if (!opts.all && receipts.length === 0) throw new UsageError('give --all or one or more receipt numbers');
      const rt = createRuntime('reprocess');
      try {
        const { reprocess } = await import('../reprocess.js');
        const n = await reprocess(rt, { all: !!opts.all, receipts });
        process.stdout.write(
          `reprocessed ${n} message(s) with the current code; staff corrections kept, no replies sent\n`,
        );
      } finally {
        await rt.close();
      }
    });
}
