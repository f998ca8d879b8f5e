import type { Command } from 'commander';
import { createRuntime } from '../runtime.js';
import { onShutdown } from '../shutdown.js';

// services are imported when their command runs: `intake poller` on a small
// machine loads no parser, no dashboard
const loadPoller = () => import('../poller-service.js');
const loadWorkers = () => import('../worker-service.js');
const loadDashboard = () => import('../dashboard-service.js');

export function registerServiceCommands(program: Command): void {
  program
    .command('start')
    .description('the whole pipeline in one process: poller, all workers, dashboard')
    .action(async () => {
      const rt = createRuntime('start');
      const workers = await (await loadWorkers()).startWorkers(rt);
      const dashboard = await (await loadDashboard()).startDashboardService(rt);
      const poller = await (await loadPoller()).startPoller(rt);
      await onShutdown(rt, async () => {
        await poller.stop();
        await dashboard.close();
        await workers.close();
      });
    });

  program
    .command('poller')
    .description('only the mailbox poller (IMAP → archive → ledger → queue)')
    .action(async () => {
      const rt = createRuntime('poller');
      const poller = await (await loadPoller()).startPoller(rt);
      await onShutdown(rt, () => poller.stop());
    });

  program
    .command('worker')
    .description('only the pipeline workers (parse, group, validate, register, acknowledge)')
    .action(async () => {
      const rt = createRuntime('worker');
      const workers = await (await loadWorkers()).startWorkers(rt);
      rt.logger.info({ code: 'worker.started', concurrency: rt.env.WORKER_CONCURRENCY }, 'workers started');
      await onShutdown(rt, () => workers.close());
    });

  program
    .command('dashboard')
    .description('only the staff dashboard')
    .action(async () => {
      const rt = createRuntime('dashboard');
      const dashboard = await (await loadDashboard()).startDashboardService(rt);
      await onShutdown(rt, () => dashboard.close());
    });
}
