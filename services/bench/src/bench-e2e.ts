import type { BulkMessage } from '@intake/fixture-generator';
import { bareParse } from './bare-libraries.js';
import { busyCores, cpuMsPerMessage, sampleCpu, sampleProcesses } from './cpu-busy.js';
import { appendAll } from './imap.js';
import { createDesk, peakRssMB, type Desk } from './pipeline.js';
import { progress } from './progress.js';
import type { Figure } from './report.js';
import { countRows, type Cleanup } from './resources.js';
import type { ServerEnv } from './servers.js';
import { perSecond, ratio, waitUntil } from './stats.js';

export interface E2eRun {
  workers: number;
  count: number;
  /** poller spawn → the last message's register row */
  ms: number;
  /** poller spawn → every ledger row done (validated, reply decided) */
  doneMs: number | null;
  /** how many runs were combined into this one */
  runs?: number;
  /** the largest peak RSS of a worker process, MB */
  workerPeakRssMB?: number | null;
  /** cores busy on average (whole machine) from poller spawn to the last register row */
  busyCores?: number | null;
  /** CPU ms per message over the same span, by part of the machine (worker, poller, postgres, …) */
  cpuMsPerMsg?: Record<string, number> | null;
}

/** How each worker process is set up: jobs per queue and extraction threads (undefined: the defaults). */
export interface WorkerShape {
  concurrency: number;
  parseThreads?: number;
  /**
   * Mails the workers read to the end before the clock starts (other mails than the timed ones):
   * V8 compiles the hot paths of the readers and the register while they run. Without them, each
   * process pays that compilation inside the clock, so a second process doubles it on a short
   * backlog (2.7 s of compiler threads' CPU per process over 200 mails, measured).
   */
  warm?: BulkMessage[];
}

/**
 * IMAP → register for a backlog: the backlog is APPENDed first (not timed),
 * `workers` worker processes are started and ready, then the poller process is
 * spawned and the clock runs until every message has its register row.
 */
export async function e2eRun(
  env: ServerEnv,
  cleanup: Cleanup,
  msgs: BulkMessage[],
  workers: number,
  shape: WorkerShape = { concurrency: 2 },
): Promise<E2eRun> {
  const { warm = [], ...deskShape } = shape;
  const desk = await createDesk(env, cleanup, { smtp: false, ...deskShape });
  const ws = Array.from({ length: workers }, () => desk.spawn('worker'));
  await Promise.all(ws.map((w) => w.waitForLog('worker.started')));
  if (warm.length > 0) await warmUp(desk, env, workers, warm);
  progress(`e2e ${workers} worker(s): appending ${msgs.length} submissions`);
  await appendAll(
    env,
    desk.user,
    msgs.map((m) => ({ raw: m.raw, internalDate: m.internalDate })),
  );
  progress(`e2e ${workers} worker(s): workers ready; poller started, clock running`);
  // read before the clock: walking /proc costs a few milliseconds that are not the desk's
  const procs0 = sampleProcesses();
  const t0 = performance.now();
  const cpu0 = sampleCpu();
  const poller = desk.spawn('poller');
  const n = msgs.length;
  let lastReport = 0;
  await waitUntil(
    async () => {
      if (poller.child.exitCode !== null) throw new Error(`poller exited early; see ${poller.logFile}`);
      const got = (await countRows(desk.iso.db, 'select count(*)::int as n from messages')) - warm.length;
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        progress(`e2e ${workers} worker(s): ${got}/${n} registered`);
      }
      return got >= n;
    },
    {
      timeoutMs: Math.max(180_000, n * 3_000),
      intervalMs: 50,
      what: `${n} messages registered (logs in ${desk.dir}/logs)`,
    },
  );
  const ms = performance.now() - t0;
  const cores = busyCores(cpu0, sampleCpu(), ms);
  const ours = new Map<number, string>([[process.pid, 'bench']]);
  for (const w of ws) if (w.child.pid) ours.set(w.child.pid, 'worker');
  if (poller.child.pid) ours.set(poller.child.pid, 'poller');
  const cpuMsPerMsg = cpuMsPerMessage(procs0, sampleProcesses(), ours, n);
  let doneMs: number | null = null;
  try {
    await waitUntil(
      async () =>
        (await countRows(desk.iso.db, `select count(*)::int as n from mail_ledger where status <> 'done'`)) === 0,
      { timeoutMs: 60_000, intervalMs: 50, what: 'every ledger row done' },
    );
    doneMs = performance.now() - t0;
  } catch (err) {
    progress(`e2e ${workers} worker(s): ${(err as Error).message}`);
  }
  progress(
    `e2e ${workers} worker(s): ${n} registered in ${(ms / 1000).toFixed(1)} s (${(n / (ms / 1000)).toFixed(2)} msg/s)`,
  );
  const rss = ws.map((w) => peakRssMB(w.child.pid)).filter((v): v is number => v !== null);
  for (const p of desk.procs) p.child.kill('SIGTERM');
  await Promise.all(desk.procs.map((p) => p.exited));
  return {
    workers,
    count: n,
    ms,
    doneMs,
    runs: 1,
    workerPeakRssMB: rss.length ? Math.max(...rss) : null,
    busyCores: cores,
    cpuMsPerMsg,
  };
}

/** The warm-up mails through a poller of their own, read to the end (validated, reply decided); then that poller stops. */
async function warmUp(desk: Desk, env: ServerEnv, workers: number, warm: BulkMessage[]): Promise<void> {
  progress(`e2e ${workers} worker(s): warming up on ${warm.length} other submissions`);
  await appendAll(
    env,
    desk.user,
    warm.map((m) => ({ raw: m.raw, internalDate: m.internalDate })),
  );
  const poller = desk.spawn('poller');
  await waitUntil(
    async () => {
      if (poller.child.exitCode !== null) throw new Error(`warm-up poller exited early; see ${poller.logFile}`);
      const registered = await countRows(desk.iso.db, 'select count(*)::int as n from messages');
      const open = await countRows(desk.iso.db, `select count(*)::int as n from mail_ledger where status <> 'done'`);
      return registered >= warm.length && open === 0;
    },
    { timeoutMs: Math.max(180_000, warm.length * 3_000), intervalMs: 50, what: `${warm.length} warm-up mails read` },
  );
  poller.child.kill('SIGTERM');
  await poller.exited;
}

/** The fair floor (bare-libraries.ts) over the e2e mails themselves: an extra, like-for-like baseline. */
export async function bareParseRate(msgs: BulkMessage[]): Promise<number | null> {
  for (const m of msgs.slice(0, 3)) await bareParse(m.raw);
  const t0 = performance.now();
  for (const m of msgs) await bareParse(m.raw);
  return perSecond(msgs.length, performance.now() - t0);
}

/** Several runs of one configuration as one: total messages over total time. */
export function combineRuns(runs: E2eRun[]): E2eRun {
  if (runs.length === 0) throw new Error('no e2e runs to combine');
  const sum = (f: (r: E2eRun) => number) => runs.reduce((n, r) => n + f(r), 0);
  const done = runs.every((r) => r.doneMs !== null) ? sum((r) => r.doneMs ?? 0) : null;
  return {
    workers: runs[0]!.workers,
    count: sum((r) => r.count),
    ms: sum((r) => r.ms),
    doneMs: done,
    runs: runs.length,
    workerPeakRssMB: Math.max(...runs.map((r) => r.workerPeakRssMB ?? 0)) || null,
    busyCores: weightedCores(runs),
    cpuMsPerMsg: meanCpu(runs),
  };
}

/** CPU ms per message by part over several runs, weighted by their messages; null when a run has none. */
function meanCpu(runs: E2eRun[]): Record<string, number> | null {
  if (runs.some((r) => !r.cpuMsPerMsg)) return null;
  const n = runs.reduce((a, r) => a + r.count, 0);
  const sum: Record<string, number> = {};
  for (const r of runs)
    for (const [part, ms] of Object.entries(r.cpuMsPerMsg ?? {})) sum[part] = (sum[part] ?? 0) + ms * r.count;
  return Object.fromEntries(Object.entries(sum).map(([part, total]) => [part, Math.round((total / n) * 10) / 10]));
}

const cpuTotal = (cpu: Record<string, number>) => Math.round(Object.values(cpu).reduce((a, b) => a + b, 0) * 10) / 10;
const cpuNote = (cpu: Record<string, number> | null | undefined) =>
  cpu
    ? `${cpuTotal(cpu)} ms (${Object.entries(cpu)
        .filter(([, ms]) => ms >= 0.5)
        .map(([part, ms]) => `${part} ${ms}`)
        .join(', ')})`
    : 'not measured';

/** Busy cores over several runs, weighted by each run's time; null when a run has none. */
function weightedCores(runs: E2eRun[]): number | null {
  if (runs.some((r) => r.busyCores === null || r.busyCores === undefined)) return null;
  const ms = runs.reduce((n, r) => n + r.ms, 0);
  return Math.round((runs.reduce((n, r) => n + (r.busyCores ?? 0) * r.ms, 0) / ms) * 100) / 100;
}

const coresNote = (one: E2eRun, two: E2eRun | null): string =>
  one.busyCores === null || one.busyCores === undefined
    ? ''
    : `; cores busy on average (whole machine): ${one.busyCores} with 1 process${two?.busyCores === null || two?.busyCores === undefined ? '' : `, ${two.busyCores} with 2`}`;

export function e2eFigures(
  one: E2eRun,
  two: E2eRun | null,
  rawParse: { floor: number | null; topLevel: number | null },
  avgKb: number,
  rawSame: number | null,
): Figure[] {
  const r1 = perSecond(one.count, one.ms);
  const r2 = two ? perSecond(two.count, two.ms) : null;
  return [
    {
      key: 'e2e.msgsPerSec',
      value: r1,
      unit: 'msg/s',
      baseline: { label: 'parse.rawMsgsPerSec (fair floor)', value: rawParse.floor },
      ratio: ratio(r1, rawParse.floor),
      note: `${one.count / (one.runs ?? 1)} realistic submissions (${avgKb.toFixed(0)} KB each) × ${one.runs ?? 1} run(s) IMAP → register row, poller + 1 worker process (WORKER_CONCURRENCY=2), clock from poller spawn (process start-up included); every ledger row done after ${one.doneMs === null ? '—' : (one.doneMs / 1000 / (one.runs ?? 1)).toFixed(1)} s per run; baseline is the bare parse loop on the corpus (different mails)`,
    },
    { key: 'e2e.ratioToRawParse', value: ratio(r1, rawParse.floor), unit: '×', note: 'against the fair floor' },
    {
      key: 'e2e.ratioToRawParseTopLevel',
      value: ratio(r1, rawParse.topLevel),
      unit: '×',
      baseline: { label: 'old top-level loop, msg/s', value: rawParse.topLevel, unit: 'msg/s' },
    },
    {
      key: 'e2e.ratioToRawParseSameMails',
      value: ratio(r1, rawSame),
      unit: '×',
      baseline: { label: 'bare loop on the e2e mails, msg/s', value: rawSame, unit: 'msg/s' },
    },
    { key: 'e2e.seconds', value: one.ms / 1000 / (one.runs ?? 1), unit: 's', note: 'per run of the backlog, 1 worker' },
    {
      key: 'workers.speedup2',
      value: ratio(r2, r1),
      unit: '×',
      baseline: { label: '1 worker, msg/s', value: r1, unit: 'msg/s' },
      note: two
        ? `2 worker processes: ${r2?.toFixed(2)} msg/s on the same ${two.count / (two.runs ?? 1)} messages × ${two.runs ?? 1} run(s) (fresh mailbox, schema, queue prefix each; order 1,2,2,1 workers); this machine has 2 cores shared with the poller, PostgreSQL and Redis${coresNote(one, two)}`
        : 'not measured',
    },
    { key: 'workers.msgsPerSec2', value: r2, unit: 'msg/s' },
    {
      key: 'workers.peakRssMB',
      value: Math.max(one.workerPeakRssMB ?? 0, two?.workerPeakRssMB ?? 0) || null,
      unit: 'MB',
      note: 'largest peak RSS (VmHWM) of a worker process over the e2e runs',
    },
  ];
}

/**
 * workers.speedup2single (issue 14.4): processes that cannot use more than one core each, 2 against 1,
 * with workers that have read `warmed` other mails before the clock (a worker in service has); the
 * same runs from cold, as the figure was first measured, are workers.speedup2singleCold.
 */
export function singleFigures(
  warm: { one: E2eRun; two: E2eRun; warmed: number },
  cold: { one: E2eRun; two: E2eRun },
): Figure[] {
  const figure = (key: string, one: E2eRun, two: E2eRun, how: string, aim?: string): Figure => {
    const r1 = perSecond(one.count, one.ms);
    const r2 = perSecond(two.count, two.ms);
    return {
      key,
      value: ratio(r2, r1),
      unit: '×',
      baseline: { label: '1 single-job process, msg/s', value: r1, unit: 'msg/s' },
      ...(aim ? { aim } : {}),
      note: `WORKER_CONCURRENCY=1, PARSE_THREADS=1 per process: 2 processes ${r2?.toFixed(2)} msg/s vs 1 on the same ${one.count / (one.runs ?? 1)} messages × ${one.runs ?? 1} run(s), ${how}${coresNote(one, two)}`,
    };
  };
  return [
    {
      key: 'workers.cpuMsPerMsgSingle',
      value: warm.one.cpuMsPerMsg ? cpuTotal(warm.one.cpuMsPerMsg) : null,
      unit: 'ms',
      baseline: {
        label: 'with 2 processes',
        value: warm.two.cpuMsPerMsg ? cpuTotal(warm.two.cpuMsPerMsg) : null,
        unit: 'ms',
      },
      note: `CPU of every process on the machine per message, from poller spawn to the last register row, warmed single-job runs (/proc/<pid>/stat): 1 process ${cpuNote(warm.one.cpuMsPerMsg)}; 2 processes ${cpuNote(warm.two.cpuMsPerMsg)}. Two processes can reach at most 2 cores ÷ the total with 2 per message`,
    },
    figure(
      'workers.speedup2single',
      warm.one,
      warm.two,
      `each process warmed on ${warm.warmed} other mails read to the end before the clock`,
      '≥ 1.7×',
    ),
    figure(
      'workers.speedup2singleCold',
      cold.one,
      cold.two,
      'from cold: readers loaded, nothing read before the clock (V8 compiles the hot paths inside it, once per process)',
    ),
  ];
}
