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

type Run = { ms: number; cpuMs: number; count: number; errors: number; files: number };

/**
 * `intake parse`'s library path: createParser().parse + evaluateMessage, one message at a time.
 * One parser for every round, as one `intake parse` process would use it.
 */
async function oursSession(cases: Case[]): Promise<{ round: () => Promise<Run>; close: () => Promise<void> }> {
  const profile = loadCampaignProfile(null);
  const directory = buildApplicantDirectory(profile);
  const parser = createParser({});
  const parseOne = (c: Case) =>
    parser.parse(c.raw, {
      profile,
      directory,
      receivedAt: c.internalDate,
      receivedAtSource: 'argument',
      logger: silentLogger,
    });
  // one warm-up pass over a few messages: starts the worker threads, JITs the hot paths
  for (const c of cases.slice(0, 3)) await parseOne(c);
  return {
    round: async () => {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      let count = 0;
      for (const c of cases) {
        const parsed = await parseOne(c);
        parsed.flags = evaluateMessage(parsed, profile);
        count++;
      }
      return { ms: performance.now() - t0, cpuMs: cpuMsSince(cpu0), count, errors: 0, files: 0 };
    },
    close: () => parser.close(),
  };
}

async function bareRound(cases: Case[], bare: (raw: Buffer) => Promise<BareCounts>): Promise<Run> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let count = 0;
  let errors = 0;
  let files = 0;
  for (const c of cases) {
    const got = await bare(c.raw);
    errors += got.errors;
    files += got.files;
    count++;
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
 * over the same corpus, `rounds` times each, one round of each in turn: a slow spell of this
 * machine (a neighbour's burst) then falls on all three alike rather than on one block of rounds.
 */
export async function benchParse(cases: Case[], rounds: number): Promise<ParseResult> {
  progress(`parse: ${cases.length} corpus messages × ${rounds} rounds, ours and the bare loops taking turns by round`);
  const ours = await oursSession(cases);
  for (const c of cases.slice(0, 3)) {
    await bareParse(c.raw);
    await bareParseTopLevel(c.raw);
  }
  let o = NONE;
  let floor = NONE;
  let top = NONE;
  try {
    for (let r = 0; r < rounds; r++) {
      o = add(o, await ours.round());
      floor = add(floor, await bareRound(cases, bareParse));
      top = add(top, await bareRound(cases, bareParseTopLevel));
    }
  } finally {
    await ours.close();
  }
  const oursRate = perSecond(o.count, o.ms);
  const raw = perSecond(floor.count, floor.ms);
  const rawTop = perSecond(top.count, top.ms);
  progress(
    `parse: ours ${oursRate?.toFixed(2)} msg/s, fair floor ${raw?.toFixed(2)} msg/s, top-level loop ${rawTop?.toFixed(2)} msg/s`,
  );
  const n = o.count;
  return {
    rawMsgsPerSec: raw,
    rawTopLevelMsgsPerSec: rawTop,
    figures: [
      {
        key: 'parse.msgsPerSec',
        value: oursRate,
        unit: 'msg/s',
        baseline: {
          label: 'fair floor: bare mailparser+exceljs+SheetJS+pdf-parse+mammoth+word-extractor, archives opened',
          value: raw,
        },
        ratio: ratio(oursRate, raw),
        note: `${n} messages (${cases.length}-message corpus × ${rounds}), sequential like \`intake parse\`; the floor read ${floor.files / rounds} files per corpus pass (.xlsx/.xls/.et/.pdf/.docx/.doc, inside zip/RAR/7z too; ${floor.errors} reads failed), the old top-level loop ${top.files / rounds} (${top.errors} failed)`,
      },
      { key: 'parse.rawMsgsPerSec', value: raw, unit: 'msg/s' },
      { key: 'parse.ratio', value: ratio(oursRate, raw), unit: '×', note: 'against the fair floor' },
      {
        key: 'parse.ratioTopLevel',
        value: ratio(oursRate, rawTop),
        unit: '×',
        baseline: { label: 'old loop: top-level .xlsx/.pdf only, msg/s', value: rawTop, unit: 'msg/s' },
      },
      {
        key: 'parse.msPerMsg',
        value: oursRate ? 1000 / oursRate : null,
        unit: 'ms',
        baseline: { label: 'fair floor', value: raw ? 1000 / raw : null },
      },
      {
        key: 'parse.cpuMsPerMsg',
        value: n > 0 ? o.cpuMs / n : null,
        unit: 'ms',
        baseline: { label: 'fair floor', value: floor.count > 0 ? floor.cpuMs / floor.count : null },
        note: 'CPU time of all threads of the process per message (user + system)',
      },
    ],
  };
}
