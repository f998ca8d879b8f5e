import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { BulkMessage } from '@intake/fixture-generator';
import type { Figure } from './report.js';
import { ratio } from './stats.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bare-scaling-child.js');
const Result = z.object({ count: z.number().int().nonnegative(), ms: z.number().positive() });

interface Child {
  proc: ChildProcess;
  ready: Promise<void>;
  result: Promise<z.infer<typeof Result>>;
}

function startChild(dir: string, seconds: number, warm: number): Child {
  const proc = spawn(process.execPath, [CHILD, dir, String(seconds), String(warm)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  proc.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.includes('ready\n')) markReady();
  });
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const result = new Promise<z.infer<typeof Result>>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code) => {
      markReady();
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`bare-scaling child exited ${String(code)}: ${err.slice(-400)}`));
        return;
      }
      try {
        resolve(Result.parse(JSON.parse(last)));
      } catch (e) {
        reject(new Error(`bare-scaling child printed ${last.slice(0, 200)}`, { cause: e }));
      }
    });
  });
  return { proc, ready, result };
}

/** Messages per second of `n` bare-loop processes started together. */
async function rate(dir: string, n: number, seconds: number, warm: number): Promise<number> {
  const children = Array.from({ length: n }, () => startChild(dir, seconds, warm));
  try {
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.proc.stdin?.end('go\n');
    const results = await Promise.all(children.map((c) => c.result));
    return results.reduce((sum, r) => sum + (r.count / r.ms) * 1000, 0);
  } finally {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  }
}

/**
 * workers.bareSpeedup2: what a second process gains the bare libraries themselves on this machine,
 * the ceiling beside workers.speedup2single. Two processes of the fair floor's loop over the e2e
 * mails, clocks started together, against one; 1, 2, 2, 1 so drift in the machine's load hits both.
 * Each process first reads `warm` mails, as the desk's workers do before workers.speedup2single's
 * clock; workers.bareSpeedup2Cold warms on 3, beside workers.speedup2singleCold.
 */
export async function benchBareScaling(msgs: BulkMessage[], seconds: number, warm: number): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-bare-scaling-'));
  try {
    msgs.forEach((m, i) => fs.writeFileSync(path.join(dir, `${String(i).padStart(5, '0')}.eml`), m.raw));
    const figure = async (key: string, warmCount: number, beside: string): Promise<Figure> => {
      const one = [await rate(dir, 1, seconds, warmCount)];
      const two = [await rate(dir, 2, seconds, warmCount), await rate(dir, 2, seconds, warmCount)];
      one.push(await rate(dir, 1, seconds, warmCount));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const r1 = mean(one);
      const r2 = mean(two);
      return {
        key,
        value: ratio(r2, r1),
        unit: '×',
        baseline: {
          label: '1 process of the bare fair-floor loop, msg/s',
          value: Math.round(r1 * 100) / 100,
          unit: 'msg/s',
        },
        note: `the bare libraries' own gain from a second process on this machine (${msgs.length} e2e mails, ${warmCount} read before the clock, ${seconds} s per run, runs 1, 2, 2, 1): 2 processes ${r2.toFixed(2)} msg/s; the ceiling beside ${beside}`,
      };
    };
    return [
      await figure('workers.bareSpeedup2', warm, 'workers.speedup2single'),
      await figure('workers.bareSpeedup2Cold', 3, 'workers.speedup2singleCold'),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
