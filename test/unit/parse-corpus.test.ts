// Guards: `intake parse` (parseMessage) reads every fixture mail the way the
// expectation written from RULES.md says — applicant, cluster, field, each
// attachment's kind/copy/roles, figures and the message-level flags.
import { loadCampaignProfile, type TParsedMessage } from '@intake/domain';
import { CORPUS_AUTHSERV_ID, generateCorpus, type Case, type ExpectedAttachment } from '@intake/fixture-generator';
import { closeParsers, parseMessage } from '@intake/mail-parsing';
import { evaluateMessage } from '@intake/validation-rules';
import { afterAll, describe, expect, it } from 'vitest';

const profile = loadCampaignProfile();
const corpus = await generateCorpus();

const norm = (p: string): string => p.replace(/[\u0000-\u001f\s]/g, '');

function attachmentDiffs(exp: ExpectedAttachment[], got: TParsedMessage['attachments']): string[] {
  const diffs: string[] = [];
  const used = new Set<number>();
  for (const e of exp) {
    let i = got.findIndex((g) => g.path === e.path);
    if (i < 0) i = got.findIndex((g) => norm(g.path) === norm(e.path));
    if (i < 0) {
      diffs.push(`missing attachment ${JSON.stringify(e.path)}`);
      continue;
    }
    used.add(i);
    const g = got[i];
    if (!g) continue;
    if (g.kind !== e.kind) diffs.push(`${e.path}: kind ${g.kind} ≠ ${e.kind}`);
    if (g.copy !== e.copy) diffs.push(`${e.path}: copy ${g.copy} ≠ ${e.copy}`);
    if ([...g.roles].sort().join() !== [...e.roles].sort().join())
      diffs.push(`${e.path}: roles [${g.roles}] ≠ [${e.roles}]`);
    // an unreadable container may report the error on itself or on the member it refused
    const hasError = g.error != null || got.some((x) => x.path.startsWith(g.path + '/') && x.error != null);
    if (hasError !== (e.error === true))
      diffs.push(`${e.path}: error ${g.error ?? 'none'} but expected ${e.error ? 'an error' : 'none'}`);
  }
  got.forEach((g, i) => {
    if (!used.has(i) && (g.roles.length > 0 || g.copy !== 'unknown'))
      diffs.push(`unexpected attachment ${JSON.stringify(g.path)} (${g.kind}/${g.copy}/[${g.roles}])`);
  });
  return diffs;
}

function metricDiffs(c: Case, got: TParsedMessage): string[] {
  const diffs: string[] = [];
  for (const [k, v] of Object.entries(c.expected.metrics)) {
    const a = (got.metrics as Record<string, unknown>)[k] ?? null;
    const tol = k === 'totalInvestment' ? 0.5 : 0.01;
    const ok = v == null ? a == null : typeof a === 'number' && Math.abs(a - v) <= tol;
    if (!ok) diffs.push(`metrics.${k}: ${JSON.stringify(a)} ≠ ${JSON.stringify(v)}`);
  }
  return diffs;
}

function diffCase(c: Case, got: TParsedMessage): string[] {
  const e = c.expected;
  const diffs: string[] = [];
  if (JSON.stringify(got.applicant) !== JSON.stringify(e.applicant))
    diffs.push(`applicant ${JSON.stringify(got.applicant)} ≠ ${JSON.stringify(e.applicant)}`);
  if (got.cluster !== e.cluster) diffs.push(`cluster ${JSON.stringify(got.cluster)} ≠ ${JSON.stringify(e.cluster)}`);
  if (got.field !== e.field) diffs.push(`field ${JSON.stringify(got.field)} ≠ ${JSON.stringify(e.field)}`);
  diffs.push(...attachmentDiffs(e.attachments, got.attachments));
  if (got.projects.length !== e.projectCount) diffs.push(`projects ${got.projects.length} ≠ ${e.projectCount}`);
  diffs.push(...metricDiffs(c, got));
  const gotFlags = [...new Set(got.flags.map((f) => f.code))].sort();
  const expFlags = [...e.flags].sort();
  if (gotFlags.join() !== expFlags.join()) diffs.push(`flags [${gotFlags}] ≠ [${expFlags}]`);
  return diffs;
}

afterAll(async () => {
  await closeParsers();
});

describe('parseMessage over the fixture corpus', () => {
  it.each(corpus.cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const got = await parseMessage(c.raw, {
      profile,
      receivedAt: c.internalDate,
      authservIds: [CORPUS_AUTHSERV_ID],
      evaluateFlags: (m) => evaluateMessage(m, profile),
    });
    expect(diffCase(c, got).join('\n'), c.description).toBe('');
  });
});
