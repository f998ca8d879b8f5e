import type { Command } from 'commander';
import type { WorkerContext } from '@intake/pipeline-worker';
import { createRuntime } from '../runtime.js';

/** Staff-triggered reply operations (回执): preview, resend, the missing-items reminder. Never automatic. */
export function registerAckCommands(program: Command): void {
  const ack = program.command('ack').description('acknowledgment replies (回执): preview, resend, reminders');
  const withCtx = async <T>(fn: (ctx: WorkerContext) => Promise<T>): Promise<T> => {
    const rt = createRuntime('ack');
    try {
      const { buildWorkerContext } = await import('../worker-service.js');
      return await fn(await buildWorkerContext(rt));
    } finally {
      await rt.close();
    }
  };
  ack
    .command('preview')
    .description(
      'print the reply for a message (receipt no. 2020-0007-2) or the latest mail of an application (2020-0007)',
    )
    .argument('<receipt>')
    .option('--html', 'print the HTML part instead of the text')
    .action(async (receipt: string, opts: { html?: boolean }) => {
      const { previewAckFor } = await import('@intake/pipeline-worker');
      const r = await withCtx((ctx) => previewAckFor(ctx, receipt));
      process.stdout.write(`To: ${r.to}\nSubject: ${r.subject}\n\n${opts.html ? r.html : r.text}\n`);
    });
  ack
    .command('resend')
    .description("send the reply for a message again, with the application's current state")
    .argument('<receipt>')
    .action(async (receipt: string) => {
      const { resendAckFor } = await import('@intake/pipeline-worker');
      const r = await withCtx((ctx) => resendAckFor(ctx, receipt, 'cli'));
      process.stdout.write(`${r.kind} to ${r.to}: ${r.status}\n`);
    });
  ack
    .command('remind')
    .description('send the missing-items reminder to incomplete applicants and units that have not applied')
    .option('--dry-run', 'list who would get what, send nothing')
    .action(async (opts: { dryRun?: boolean }) => {
      const { sendReminderBatch } = await import('@intake/pipeline-worker');
      const r = await withCtx((ctx) => sendReminderBatch(ctx, { dryRun: !!opts.dryRun }));
      for (const o of r.outcomes)
        process.stdout.write(`${o.applicantCode}\t${o.to}\t${o.status}${o.error ? `\t${o.error}` : ''}\n`);
      if (r.unreachable.length) {
        process.stdout.write(
          `no known address for ${r.unreachable.length} unit(s) that have not applied: ${r.unreachable.map((u) => u.name).join('、')}\n`,
        );
      }
    });
}
