import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import type { Case } from '@intake/fixture-generator';
import { silentLogger } from '@intake/logger';
import { createParser } from '@intake/mail-parsing';
import { evaluateMessage } from '@intake/validation-rules';
import { bareParse } from './bare-libraries.js';
import { progress } from './progress.js';
import type { Figure } from './report.js';
import { perSecond, ratio } from './stats.js';

export interface ParseResult {
  figures: Figure[];
  rawMsgsPerSec: number | null;
}

/** `intake parse`'s library path: createParser().parse + evaluateMessage, one message at a time. */
async function runOurs(cases: Case[], rounds: number): Promise<{ ms: number; count: number; flagged: number }> {
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
    return { ms: performance.now() - t0, count, flagged };
  } finally {
    await parser.close();
  }
}

async function runBare(cases: Case[], rounds: number): Promise<{ ms: number; count: number; errors: number }> {
  for (const c of cases.slice(0, 3)) await bareParse(c.raw);
  const t0 = performance.now();
  let count = 0;
  let errors = 0;
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      errors += (await bareParse(c.raw)).errors;
      count++;
    }
  }
  return { ms: performance.now() - t0, count, errors };
}

/** parse.* figures: both loops over the same corpus, repeated `rounds` times, alternating halves to spread machine noise. */
export async function benchParse(cases: Case[], rounds: number): Promise<ParseResult> {
  const half = Math.max(1, Math.floor(rounds / 2));
  progress(`parse: ${cases.length} corpus messages × ${rounds} rounds, ours and the bare loop alternating`);
  const o1 = await runOurs(cases, half);
  const b1 = await runBare(cases, half);
  const o2 = rounds - half > 0 ? await runOurs(cases, rounds - half) : { ms: 0, count: 0, flagged: 0 };
  const b2 = rounds - half > 0 ? await runBare(cases, rounds - half) : { ms: 0, count: 0, errors: 0 };
  const ours = perSecond(o1.count + o2.count, o1.ms + o2.ms);
  const raw = perSecond(b1.count + b2.count, b1.ms + b2.ms);
  progress(`parse: ours ${ours?.toFixed(2)} msg/s, bare ${raw?.toFixed(2)} msg/s`);
  const n = o1.count + o2.count;
  return {
    rawMsgsPerSec: raw,
    figures: [
      {
        key: 'parse.msgsPerSec',
        value: ours,
        unit: 'msg/s',
        baseline: { label: 'bare mailparser+exceljs+pdf-parse', value: raw },
        ratio: ratio(ours, raw),
        note: `${n} messages (${cases.length}-message corpus × ${rounds}), sequential like \`intake parse\`; the bare loop reads only top-level .xlsx/.pdf (no unzip, no docx, no image checks), ${b1.errors + b2.errors} of its attachment reads failed`,
      },
      { key: 'parse.rawMsgsPerSec', value: raw, unit: 'msg/s' },
      { key: 'parse.ratio', value: ratio(ours, raw), unit: '×' },
      {
        key: 'parse.msPerMsg',
        value: ours ? 1000 / ours : null,
        unit: 'ms',
        baseline: { label: 'bare loop', value: raw ? 1000 / raw : null },
      },
    ],
  };
}
