#!/usr/bin/env node
// The one test command (`npm test` after the build, and .ci/run): every vitest
// project — unit and integration against the real servers that the
// integration global setup starts with scripts/servers — then one closing
// line "N passed, N failed, N skipped" that any CI can read.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// Start the real servers for the whole run (unit tests of the register run on
// PostgreSQL too), under a lease that the integration global setup shares;
// they are stopped at the end unless someone else still holds a lease.
const lease = ['--lease-pid', String(process.pid)];
const started = spawnSync('bash', [path.join(root, 'scripts/servers/start.sh'), ...lease], { stdio: 'inherit' });
if (started.status !== 0) {
  process.stdout.write('\n0 passed, 1 failed, 0 skipped\n');
  process.exit(1);
}
const serverEnv = Object.fromEntries(
  fs
    .readFileSync(path.join(process.env.INTAKE_SERVERS_DIR ?? path.join(root, '.servers'), 'env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

const out = path.join(os.tmpdir(), `intake-vitest-${process.pid}.json`);
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${out}`,
  ...process.argv.slice(2),
];
const r = spawnSync('npx', args, {
  stdio: 'inherit',
  env: { ...process.env, ...serverEnv, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR },
});
spawnSync(
  'bash',
  [
    path.join(root, 'scripts/servers/stop.sh'),
    '--release-pid',
    String(process.pid),
    ...(process.env.INTAKE_KEEP_SERVERS === '1' ? ['--keep'] : []),
  ],
  { stdio: 'inherit' },
);
let passed = 0,
  failed = 0,
  skipped = 0;
try {
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // a file that failed to load counts as a failure even with no test inside it
  failed += (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length;
  fs.rmSync(out, { force: true });
} catch {
  failed = Math.max(failed, 1);
}
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
