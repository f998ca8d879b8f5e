import type { Command } from 'commander';
import { createRuntime } from '../runtime.js';

/** Staff and operator commands: failed jobs, replies, dashboard accounts. */
export function registerOpsCommands(program: Command): void {
  const queue = program.command('queue').description('the job queues');
  queue
    .command('status')
    .description('waiting/active/failed/delayed counts per queue')
    .action(async () => {
      const rt = createRuntime('queue');
      try {
        const q = await rt.queues();
        for (const queue of q.all) {
          const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
          process.stdout.write(
            `${queue.name.padEnd(12)} ${Object.entries(c)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}\n`,
          );
        }
      } finally {
        await rt.close();
      }
    });
  queue
    .command('failed')
    .description('failed jobs with their reason')
    .action(async () => {
      const rt = createRuntime('queue');
      try {
        const q = await rt.queues();
        for (const queue of q.all) {
          for (const job of await queue.getFailed(0, 200)) {
            process.stdout.write(
              `${queue.name}\t${job.id}\t${new Date(job.finishedOn ?? job.timestamp).toISOString()}\tattempts=${job.attemptsMade}\t${job.failedReason}\n`,
            );
          }
        }
      } finally {
        await rt.close();
      }
    });
  queue
    .command('retry')
    .description('retry failed jobs (all, or the given job ids)')
    .argument('[jobIds...]')
    .action(async (jobIds: string[]) => {
      const rt = createRuntime('queue');
      try {
        const q = await rt.queues();
        let n = 0;
        for (const queue of q.all) {
          for (const job of await queue.getFailed(0, 10_000)) {
            if (jobIds.length && !jobIds.includes(String(job.id))) continue;
            await job.retry('failed');
            n++;
          }
        }
        process.stdout.write(`retried ${n} job(s)\n`);
      } finally {
        await rt.close();
      }
    });
}
