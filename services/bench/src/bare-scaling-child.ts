/**
 * Child process of `workers.bareSpeedup2`: the fair floor's bare-library loop over the mails in
 * DIR, in a process of its own. It reads every file, warms up on the first WARM of them (3 when
 * not given), prints `ready`, waits for `go` on stdin (so two children start their clocks
 * together), then reads the mails round and round for SECONDS and prints how many it finished as JSON.
 *   node bare-scaling-child.js DIR SECONDS [WARM]
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { bareParse } from './bare-libraries.js';

async function main(): Promise<void> {
  const [dir, seconds, warm = '3'] = process.argv.slice(2);
  const limitMs = Number(seconds) * 1000;
  const warmCount = Number(warm);
  if (!dir || !(limitMs > 0) || !Number.isInteger(warmCount) || warmCount < 0)
    throw new Error('usage: bare-scaling-child.js DIR SECONDS [WARM]');
  const raws = fs
    .readdirSync(dir)
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f)));
  if (raws.length === 0) throw new Error(`no mails in ${dir}`);
  for (let i = 0; i < warmCount; i++) await bareParse(raws[i % raws.length]!);
  const lines = readline.createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) if (line.trim() === 'go') break;
  lines.close();
  const t0 = performance.now();
  let count = 0;
  // bounded by the clock: the figure is messages finished in a fixed time, not time for a fixed count
  while (performance.now() - t0 < limitMs) {
    await bareParse(raws[count % raws.length]!);
    count++;
  }
  process.stdout.write(`${JSON.stringify({ count, ms: performance.now() - t0 })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bare-scaling-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
