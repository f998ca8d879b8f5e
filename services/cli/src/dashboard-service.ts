import type { Runtime } from './runtime.js';

/** Filled in by the dashboard service; until then `start` runs without it and says so. */
export async function startDashboardService(rt: Runtime): Promise<{ close(): Promise<void> }> {
  rt.logger.warn({ code: 'dashboard.missing' }, 'the dashboard is not built yet');
  return { close: async () => undefined };
}
