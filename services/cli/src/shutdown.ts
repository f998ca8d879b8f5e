import type { Runtime } from './runtime.js';

/**
 * SIGTERM/SIGINT: the poller finishes the message in hand, workers finish
 * their jobs, then connections close. A second signal exits at once.
 */
export function onShutdown(rt: Runtime, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const handler = (signal: string) => {
      if (stopping) process.exit(130);
      stopping = true;
      rt.logger.info({ code: 'shutdown.start', signal }, 'shutting down');
      stop()
        .then(() => rt.close())
        .then(resolve, (err: unknown) => {
          rt.logger.error({ code: 'shutdown.failed', err }, 'shutdown failed');
          process.exitCode = 1;
          resolve();
        });
    };
    process.on('SIGTERM', () => handler('SIGTERM'));
    process.on('SIGINT', () => handler('SIGINT'));
  });
}
