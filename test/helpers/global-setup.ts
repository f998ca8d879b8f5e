import type { TestProject } from 'vitest/node';
import { ensureServers, releaseServers } from './servers.js';

/**
 * Global setup of the `integration` project: installs (as root) and starts the
 * real servers through scripts/servers, exports their env to the test workers,
 * and on teardown stops only servers that test runs started, once no other
 * concurrent run still uses them (leases, see scripts/servers/README.md). A
 * developer's already-running servers survive. A server that cannot start
 * fails the run with its log tail (from start.sh), never a silent skip.
 *
 * INTAKE_KEEP_SERVERS=1 leaves everything running after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = await ensureServers(undefined, { leasePid: process.pid });
  // Workers are forked after global setup and inherit process.env; helpers
  // such as isolated-db.ts read TEST_* from there. inject('intakeServers')
  // offers the same values typed.
  for (const [key, value] of Object.entries(env)) process.env[key] = String(value);
  project.provide('intakeServers', env);

  return async () => {
    await releaseServers(process.pid, { keep: process.env.INTAKE_KEEP_SERVERS === '1' });
  };
}
