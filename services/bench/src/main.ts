/**
 * `npm run bench [-- --json] [-- --quick] [-- --only parse,memory,…]`: every
 * figure of CONTRACT.md §Benchmark, each measured beside its baseline in the
 * same run. The table (or, with --json, one JSON document) goes to stdout;
 * progress goes to stderr.
 */
import { generateBulk, generateCorpus, type BulkMessage } from '@intake/fixture-generator';
import { benchDashboard } from './bench-dashboard.js';
import { bareParseRate, combineRuns, e2eFigures, e2eRun, singleFigures, type E2eRun } from './bench-e2e.js';
import { benchBareScaling } from './bare-scaling.js';
import {
  drainBacklog,
  drainLargeBacklog,
  ingestFigures,
  largeFigures,
  postgresRawFigures,
  type DrainResult,
} from './bench-ingest.js';
import { benchLatency } from './bench-latency.js';
import { benchLyingOffice } from './bench-lying-office.js';
import { benchMemory } from './bench-memory.js';
import { benchOcr } from './bench-ocr.js';
import { benchParse } from './bench-parse.js';
import { backlogTemplates } from './inputs.js';
import { progress } from './progress.js';
import { buildReport, machineInfo, renderTable, type Figure } from './report.js';
import { Cleanup, makeTempDir } from './resources.js';
import { releaseServers, startServers } from './servers.js';

const SECTIONS = ['parse', 'memory', 'ingest', 'e2e', 'latency', 'dashboard', 'ocr'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  json: boolean;
  quick: boolean;
  /** backlog.seconds100k and the peak RSS of poller and workers (issue 14.6): long, not in CI */
  large: boolean;
  only: Set<Section>;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, quick: false, large: false, only: new Set(SECTIONS) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') o.json = true;
    else if (a === '--quick') o.quick = true;
    else if (a === '--large') o.large = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const list = a.includes('=') ? a.slice(7) : (argv[++i] ?? '');
      const picked = list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const p of picked)
        if (!SECTIONS.includes(p as Section))
          throw new Error(`--only: unknown section ${p} (one of ${SECTIONS.join(', ')})`);
      o.only = new Set(picked as Section[]);
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(`usage: npm run bench -- [--json] [--quick] [--large] [--only ${SECTIONS.join(',')}]\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

function sizesFor(quick: boolean) {
  return quick
    ? {
        parseRounds: 2,
        backlogSmall: 200,
        backlogBig: 2_000,
        backlogLarge: 20_000,
        e2eMessages: 40,
        e2eRepeats: 1,
        warmMessages: 20,
        bareScalingSeconds: 3,
        latencySamples: 12,
        scanMB: 50,
        xlsxMB: 20,
        dashboardApps: 1_000,
        dashboardRuns: 9,
        ocrPages: 4,
        ocrScanPages: 6,
        ocrBacklogPages: 12,
        ocrLatencySamples: 6,
      }
    : {
        parseRounds: 8,
        backlogSmall: 1_000,
        backlogBig: 10_000,
        backlogLarge: 100_000,
        e2eMessages: 200,
        e2eRepeats: 2,
        warmMessages: 60,
        bareScalingSeconds: 8,
        latencySamples: 40,
        scanMB: 50,
        xlsxMB: 20,
        dashboardApps: 5_000,
        dashboardRuns: 15,
        ocrPages: 10,
        ocrScanPages: 20,
        ocrBacklogPages: 50,
        ocrLatencySamples: 15,
      };
}

/** Runs one section; a failure becomes null figures and a note, and the bench goes on. */
async function section(
  name: string,
  keys: string[],
  rows: Figure[],
  notes: string[],
  fn: () => Promise<Figure[]>,
): Promise<void> {
  const t0 = Date.now();
  progress(`== ${name}`);
  try {
    rows.push(...(await fn()));
  } catch (err) {
    const msg = `${name} failed: ${(err as Error).message}`;
    progress(msg);
    notes.push(msg);
    for (const key of keys)
      if (!rows.some((r) => r.key === key))
        rows.push({ key, value: null, unit: '', note: `not measured: ${name} failed` });
  }
  progress(`== ${name} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

export async function main(argv: string[]): Promise<void> {
  const opts = parseArgs(argv.slice(2));
  const startedAt = Date.now();
  const machine = machineInfo();
  const sizes = sizesFor(opts.quick);
  const rows: Figure[] = [];
  const notes: string[] = [];
  const cleanup = new Cleanup();
  const on = (s: Section) => opts.only.has(s);
  let released = false;
  const onSignal = () => {
    void cleanup
      .runAll()
      .then(() => (released ? undefined : releaseServers()))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    progress('starting servers (scripts/servers/start.sh, leased to this process)');
    const env = await startServers();
    progress('generating input: corpus and bulk submissions');
    const corpus = (await generateCorpus()).cases;
    const bulk: BulkMessage[] = await generateBulk(Math.max(sizes.e2eMessages, 60), 4242);
    const e2eMsgs = bulk.slice(0, sizes.e2eMessages);
    let rawParse: number | null = null;
    let rawParseTop: number | null = null;

    if (on('parse'))
      await section(
        'parse',
        ['parse.msgsPerSec', 'parse.rawMsgsPerSec', 'parse.ratio', 'parse.ratioTopLevel'],
        rows,
        notes,
        async () => {
          const r = await benchParse(corpus, sizes.parseRounds);
          rawParse = r.rawMsgsPerSec;
          rawParseTop = r.rawTopLevelMsgsPerSec;
          return r.figures;
        },
      );
    if (on('memory'))
      await section('memory', ['memory.bigScanPeakRssMB', 'memory.bigXlsxPeakRssMB'], rows, notes, () =>
        benchMemory(makeTempDir(cleanup, 'memory'), { scanMB: sizes.scanMB, xlsxMB: sizes.xlsxMB }),
      );
    if (on('memory'))
      await section(
        'memory (lying office files)',
        ['memory.lyingXlsxPeakRssMB', 'memory.lyingDocxPeakRssMB'],
        rows,
        notes,
        () => benchLyingOffice(makeTempDir(cleanup, 'lying')),
      );
    if (on('ingest'))
      await section(
        'ingest',
        [
          'ingest.msgsPerSec',
          'ingest.rawFetchMsgsPerSec',
          'ingest.ratio',
          'ingest.ratioRawStorePostgres',
          'backlog.seconds1k',
          'backlog.seconds10k',
          ...(opts.large ? ['backlog.seconds100k'] : []),
        ],
        rows,
        notes,
        async () => {
          const templates = backlogTemplates(corpus, bulk[0]!.raw);
          const small: DrainResult = await drainBacklog(env, cleanup, templates, sizes.backlogSmall);
          // the same backlog with RAW_STORE=postgres, right after the fs one so both see the same machine
          let pgRaw: DrainResult | null = null;
          try {
            pgRaw = await drainBacklog(env, cleanup, templates, sizes.backlogSmall, 'postgres');
          } catch (err) {
            notes.push(`backlog ${sizes.backlogSmall} with RAW_STORE=postgres failed: ${(err as Error).message}`);
          }
          let big: DrainResult | null = null;
          try {
            big = await drainBacklog(env, cleanup, templates, sizes.backlogBig);
          } catch (err) {
            notes.push(`backlog ${sizes.backlogBig} failed: ${(err as Error).message}`);
          }
          const out = ingestFigures(small, big);
          if (pgRaw) out.push(...postgresRawFigures(pgRaw));
          if (opts.large)
            out.push(...largeFigures(await drainLargeBacklog(env, cleanup, templates, sizes.backlogLarge), big));
          return out;
        },
      );
    if (on('e2e'))
      await section(
        'e2e',
        [
          'e2e.msgsPerSec',
          'e2e.ratioToRawParse',
          'e2e.ratioToRawParseTopLevel',
          'workers.speedup2',
          'workers.speedup2single',
          'workers.speedup2singleCold',
          'workers.cpuMsPerMsgSingle',
          'workers.bareSpeedup2',
          'workers.bareSpeedup2Cold',
        ],
        rows,
        notes,
        async () => {
          // ABBA order (1, 2, 2, 1 workers) in the full run: drift in the machine's load hits both sides alike
          const runs: E2eRun[] = [];
          const order = sizes.e2eRepeats > 1 ? [1, 2, 2, 1] : [1, 2];
          for (const w of order) runs.push(await e2eRun(env, cleanup, e2eMsgs, w));
          const one = combineRuns(runs.filter((r) => r.workers === 1));
          const two = combineRuns(runs.filter((r) => r.workers === 2));
          const avgKb = e2eMsgs.reduce((n, m) => n + m.raw.length, 0) / e2eMsgs.length / 1024;
          if (rawParse === null)
            notes.push('e2e.ratioToRawParse needs the parse section (run without --only or include parse)');
          progress('e2e: the bare parse loop over the same mails');
          const rawSame = await bareParseRate(e2eMsgs);
          // another seed: other Message-IDs, so none of the warm-up mails is taken for a timed one
          const warmMsgs = await generateBulk(sizes.warmMessages, 4343);
          const single = { cold: [] as E2eRun[], warm: [] as E2eRun[] };
          for (const w of order) {
            single.cold.push(await e2eRun(env, cleanup, e2eMsgs, w, { concurrency: 1, parseThreads: 1 }));
            single.warm.push(
              await e2eRun(env, cleanup, e2eMsgs, w, { concurrency: 1, parseThreads: 1, warm: warmMsgs }),
            );
          }
          const byWorkers = (runs: E2eRun[]) => ({
            one: combineRuns(runs.filter((r) => r.workers === 1)),
            two: combineRuns(runs.filter((r) => r.workers === 2)),
          });
          return [
            ...e2eFigures(one, two, { floor: rawParse, topLevel: rawParseTop }, avgKb, rawSame),
            ...singleFigures({ ...byWorkers(single.warm), warmed: warmMsgs.length }, byWorkers(single.cold)),
            ...(await benchBareScaling(e2eMsgs, sizes.bareScalingSeconds, sizes.warmMessages)),
          ];
        },
      );
    if (on('latency'))
      await section(
        'latency',
        ['e2e.latencyMs.p50', 'e2e.latencyMs.p95', 'e2e.latencyMs.p99', 'reply.latencyMs.p50', 'reply.latencyMs.p99'],
        rows,
        notes,
        () => benchLatency(env, cleanup, bulk.slice(0, 60), sizes.latencySamples),
      );
    if (on('dashboard'))
      await section('dashboard', ['dashboard.firstPageMs'], rows, notes, () =>
        benchDashboard(env, cleanup, bulk.slice(0, 12), sizes.dashboardApps, sizes.dashboardRuns),
      );
    if (on('ocr'))
      await section(
        'ocr',
        [
          'ocr.pagesPerSec',
          'ocr.rawPagesPerSec',
          'ocr.ratio',
          'ocr.peakRssMB',
          'e2e.latencyMs.sealedScan2Pages',
          'e2e.latencyMs.electronicUnderScanLoadP50',
        ],
        rows,
        notes,
        () => benchOcr(env, cleanup, sizes),
      );
  } finally {
    progress('cleaning up: processes, schemas, queues, temp dirs; releasing the servers');
    notes.push(...(await cleanup.runAll()).map((f) => `cleanup: ${f}`));
    await releaseServers().catch((err: unknown) => notes.push(`releasing the servers failed: ${String(err)}`));
    released = true;
  }
  const report = buildReport({ rows, notes, quick: opts.quick, sizes, startedAt, machine });
  process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderTable(report));
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  main(process.argv).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
