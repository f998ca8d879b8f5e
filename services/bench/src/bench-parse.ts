import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import type { Case } from '@intake/fixture-generator';
import { silentLogger } from '@intake/logger';
import { createParser } from '@intake/mail-parsing';
import { evaluateMessage } from '@intake/validation-rules';
import { bareParse, bareParseTopLevel, type BareCounts } from './bare-libraries.js';
import { progress } from './progress.js';
import type { Figure } from './report.js';
import { perSecond, ratio } from './stats.js';

export interface ParseResult {
  figures: Figure[];
  /** the fair floor's rate (issue 14.1) */
  rawMsgsPerSec: number | null;
  /** the old top-level-only loop's rate */
  rawTopLevelMsgsPerSec: number | null;
}

/** `intake parse`'s library path: createParser().parse + evaluateMessage, one message at a time. */
async function runOurs(
  cases: Case[],
  rounds: number,
): Promise<{ ms: number; cpuMs: number; count: number; flagged: number }> {
  const profile = loadCampaignProfile(null);
  const directory = buildApplicantDirectory(profile);
  const parser = createParser({});
  try {
    // one warm-up pass over a few messages: starts the worker threads, JITs the hot paths
    for (const c of cases.slice(0, 3))
      await parser.parse(c.raw, {
        profile,
        directory,
        receivedAt: c.internalDate,
        receivedAtSource: 'argument',
        logger: silentLogger,
      });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let count = 0;
    let flagged = 0;
    for (let r = 0; r < rounds; r++) {
      for (const c of cases) {
        const parsed = await parser.parse(c.raw, {
          profile,
          directory,
          receivedAt: c.internalDate,
          receivedAtSource: 'argument',
          logger: silentLogger,
        });
        parsed.flags = evaluateMessage(parsed, profile);
        if (parsed.flags.length) flagged++;
        count++;
      }
    }
    return { ms: performance.now() - t0, cpuMs: cpuMsSince(cpu0), count, flagged };
  } finally {
    await parser.close();
  }
}

async function runBare(cases: Case[], rounds: number, bare: (raw: Buffer) => Promise<BareCounts>): Promise<Run> {
  for (const c of cases.slice(0, 3)) await bare(c.raw);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let count = 0;
  let errors = 0;
  let files = 0;
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const got = await bare(c.raw);
      errors += got.errors;
      files += got.files;
      count++;
    }
  }
  return { ms: performance.now() - t0, cpuMs: cpuMsSince(cpu0), count, errors, files };
}

/**
 * CPU of every thread of this process since `since`: ours reads in extraction threads and
 * starts a legacy-spreadsheet thread ahead of need, which wall time alone would not show.
 */
function cpuMsSince(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

type Run = { ms: number; cpuMs: number; count: number; errors: number; files: number };
const add = (a: Run, b: Run): Run => ({
  ms: a.ms + b.ms,
  cpuMs: a.cpuMs + b.cpuMs,
  count: a.count + b.count,
  errors: a.errors + b.errors,
  files: a.files + b.files,
});
const NONE: Run = { ms: 0, cpuMs: 0, count: 0, errors: 0, files: 0 };

/**
 * parse.* figures: ours, the fair floor (every attachment, zips opened) and the old top-level loop
 * over the same corpus, repeated `rounds` times, alternating halves to spread machine noise.
 */
export async function benchParse(cases: Case[], rounds: number): Promise<ParseResult> {
  const half = Math.max(1, Math.floor(rounds / 2));
  const rest = rounds - half;
  progress(`parse: ${cases.length} corpus messages × ${rounds} rounds, ours and the bare loops alternating`);
  const o1 = await runOurs(cases, half);
  const b1 = await runBare(cases, half, bareParse);
  const t1 = await runBare(cases, half, bareParseTopLevel);
  const o2 = rest > 0 ? await runOurs(cases, rest) : { ms: 0, cpuMs: 0, count: 0, flagged: 0 };
  const b2 = rest > 0 ? await runBare(cases, rest, bareParse) : NONE;
  const t2 = rest > 0 ? await runBare(cases, rest, bareParseTopLevel) : NONE;
  const floor = add(b1, b2);
  const top = add(t1, t2);
  const ours = perSecond(o1.count + o2.count, o1.ms + o2.ms);
  const raw = perSecond(floor.count, floor.ms);
  const rawTop = perSecond(top.count, top.ms);
  progress(
    `parse: ours ${ours?.toFixed(2)} msg/s, fair floor ${raw?.toFixed(2)} msg/s, top-level loop ${rawTop?.toFixed(2)} msg/s`,
  );
  const n = o1.count + o2.count;
  return {
    rawMsgsPerSec: raw,
    rawTopLevelMsgsPerSec: rawTop,
    figures: [
      {
        key: 'parse.msgsPerSec',
        value: ours,
        unit: 'msg/s',
        baseline: {
          label: 'fair floor: bare mailparser+exceljs+SheetJS+pdf-parse+mammoth+word-extractor, archives opened',
          value: raw,
        },
        ratio: ratio(ours, raw),
        note: `${n} messages (${cases.length}-message corpus × ${rounds}), sequential like \`intake parse\`; the floor read ${floor.files / rounds} files per corpus pass (.xlsx/.xls/.et/.pdf/.docx/.doc, inside zip/RAR/7z too; ${floor.errors} reads failed), the old top-level loop ${top.files / rounds} (${top.errors} failed)`,
      },
      { key: 'parse.rawMsgsPerSec', value: raw, unit: 'msg/s' },
      { key: 'parse.ratio', value: ratio(ours, raw), unit: '×', note: 'against the fair floor' },
      {
        key: 'parse.ratioTopLevel',
        value: ratio(ours, rawTop),
        unit: '×',
        baseline: { label: 'old loop: top-level .xlsx/.pdf only, msg/s', value: rawTop, unit: 'msg/s' },
      },
      {
        key: 'parse.msPerMsg',
        value: ours ? 1000 / ours : null,
        unit: 'ms',
        baseline: { label: 'fair floor', value: raw ? 1000 / raw : null },
      },
      {
        key: 'parse.cpuMsPerMsg',
        value: n > 0 ? (o1.cpuMs + o2.cpuMs) / n : null,
        unit: 'ms',
        baseline: { label: 'fair floor', value: floor.count > 0 ? floor.cpuMs / floor.count : null },
        note: 'CPU time of all threads of the process per message (user + system)',
      },
    ],
  };
}
