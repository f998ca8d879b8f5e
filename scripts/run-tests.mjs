#!/usr/bin/env node
// The one test command (`npm test` after the build, and .ci/run): the static
// checks (lint, format, type-check of every file, tests included), then every
// vitest project — unit and integration against the real servers that the
// integration global setup starts with scripts/servers — then one closing
// line "N passed, N failed, N skipped" that any CI can read. A failed check or
// a test file that failed outside its tests (a hook, an import) counts as failed.
//
// `node scripts/run-tests.mjs FILE…` runs just those test files, without the checks.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const withChecks = args.length === 0;

/** Static checks: each one counts as one passed or failed "test" in the closing line. */
const CHECKS = [
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']],
  ['type-check (packages)', 'npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only']],
  ['type-check (test/)', 'npx', ['tsc', '-p', 'tsconfig.json']],
];

let checksPassed = 0;
const checksFailed = [];
if (withChecks) {
  for (const [name, cmd, cmdArgs] of CHECKS) {
    process.stdout.write(`\n[checks] ${name}\n`);
    const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
    if (r.status === 0) checksPassed++;
    else checksFailed.push(name);
  }
  process.stdout.write(
    `[checks] ${checksPassed} passed${checksFailed.length ? `, failed: ${checksFailed.join(', ')}` : ''}\n`,
  );
}

// Start the real servers for the whole run (unit tests of the register run on
// PostgreSQL too), under a lease that the integration global setup shares;
// they are stopped at the end unless someone else still holds a lease.
const lease = ['--lease-pid', String(process.pid)];
const started = spawnSync('bash', [path.join(root, 'scripts/servers/start.sh'), ...lease], { stdio: 'inherit' });
if (started.status !== 0) {
  process.stdout.write(`\n${checksPassed} passed, ${checksFailed.length + 1} failed, 0 skipped\n`);
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
const vitestArgs = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...args];
const r = spawnSync('npx', vitestArgs, {
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

let passed = checksPassed;
let failed = checksFailed.length;
let skipped = 0;
const failedSuites = [];
try {
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // a file that failed outside its tests (an import, a beforeAll/afterAll hook) has no failed
  // test of its own to count: count the file
  for (const f of report.testResults ?? []) {
    const failedInside = (f.assertionResults ?? []).some((a) => a.status === 'failed');
    if (f.status === 'failed' && !failedInside) failedSuites.push(path.relative(root, f.name));
  }
  failed += failedSuites.length;
  fs.rmSync(out, { force: true });
} catch {
  failedSuites.push('(no vitest report)');
  failed += 1;
}
// vitest failed for a reason none of the above counted (an unhandled error between tests)
if (r.status !== 0 && failed === 0) {
  failedSuites.push('(vitest exited with an error)');
  failed = 1;
}
if (checksFailed.length) process.stdout.write(`\nfailed checks: ${checksFailed.join(', ')}`);
if (failedSuites.length) process.stdout.write(`\nfailed outside a test: ${failedSuites.join(', ')}`);
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
