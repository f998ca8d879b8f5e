import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { ingestMessage } from '@intake/mail-poller';
import { createRuntime } from '../runtime.js';
import { listImportFiles, readImportFile } from '../import-sources.js';

/** Backfills and mail exported from another client go through the same archive → ledger → queue path. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('feed .eml files, folders of them, or mbox files through the full pipeline')
    .argument('<paths...>', '.eml files, folders, mbox files')
    .action(async (paths: string[]) => {
      const rt = createRuntime('import');
      try {
        const files = listImportFiles(paths);
        const deps = {
          db: await rt.db(),
          rawStore: await rt.rawStore(),
          queues: await rt.queues(),
          logger: rt.logger,
          isStopping: () => false,
        };
        const tty = process.stderr.isTTY;
        const bar = tty
          ? new SingleBar(
              { format: '导入 {bar} {value}/{total} 文件 | {messages} 封邮件', hideCursor: true },
              Presets.shades_classic,
            )
          : null;
        bar?.start(files.length, 0, { messages: 0 });
        const summary = {
          files: files.length,
          messages: 0,
          queued: 0,
          failed: 0,
          bySource: {} as Record<string, number>,
        };
        for (const file of files) {
          try {
            for (const item of readImportFile(file)) {
              summary.messages++;
              summary.bySource[item.receivedAtSource] = (summary.bySource[item.receivedAtSource] ?? 0) + 1;
              const r = await ingestMessage(deps, {
                raw: item.raw,
                delivery: {
                  origin: 'import',
                  mailbox: '(import)',
                  sourceRef: item.sourceRef,
                  receivedAt: item.receivedAt,
                  receivedAtSource: item.receivedAtSource,
                },
              });
              if (r.status === 'queued') summary.queued++;
              bar?.update({ messages: summary.messages });
            }
          } catch (err) {
            summary.failed++;
            rt.logger.error({ code: 'import.failed', file, err }, 'could not import file');
          }
          bar?.increment();
        }
        bar?.stop();
        const src = Object.entries(summary.bySource)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ');
        process.stdout.write(
          `imported ${summary.messages} message(s) from ${summary.files} file(s): ${summary.queued} queued, ${summary.failed} file(s) failed` +
            (src ? ` (receipt time from ${src})` : '') +
            '\n',
        );
        if (summary.failed > 0) process.exitCode = 1;
      } finally {
        await rt.close();
      }
    });
}
