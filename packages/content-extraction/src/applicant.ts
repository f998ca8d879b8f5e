import type { ApplicantDirectory, ApplicantUnit, TEvidence } from '@intake/domain';
import { squeeze, toHalfWidth } from './text-normalize.js';

export interface ApplicantCandidateText {
  text: string;
  /** "sender", "subject", "filename:<path>", "title:<path>", "text:<path>" */
  source: string;
  /** overrides the weight of the source kind */
  weight?: number;
}

export interface DetectApplicantContext {
  directory: ApplicantDirectory;
  senders: Array<{ address: string; applicantCode: string }>;
  fromAddress?: string | null;
  /**
   * The province, whose name must not be read as its namesake city.
   * @defaultValue '吉林省'
   */
  provinceName?: string;
}

export interface ApplicantDetection {
  applicant: { code: string; name: string } | null;
  evidence: TEvidence | null;
  candidates: Array<{ code: string; name: string; score: number; source: string }>;
}

/** Trust in each kind of source: the subject is typed by the sender, file text mentions many places. */
const SOURCE_WEIGHTS: Array<[RegExp, number]> = [[/^sender/, 20], [/^subject/, 8], [/^title:/, 6], [/^filename:/, 5], [/^text:/, 2]];
const SENDER_SCORE = 1000;
/** The recipient side, which every submission names and which never is the applicant. */
const RECIPIENT = /(吉林)?省(发展和改革委员会|发展改革委员会|发展和改革委|发展改革委|发改委)(高技术产业处|高技术处)?|高技术(产业)?处/g;
const SUBMITTER_AFTER = /^(发展和改革|发展改革|发改|人民政府|政府)/;

interface UnitMatch { unit: ApplicantUnit; start: number; end: number; full: boolean }

export function detectApplicant(candidates: ApplicantCandidateText[], ctx: DetectApplicantContext): ApplicantDetection {
  const scores = new Map<string, { score: number; source: string; snippet: string; best: number }>();
  const sender = senderMatch(ctx);
  if (sender) scores.set(sender.code, { score: SENDER_SCORE, source: 'sender', snippet: ctx.fromAddress ?? '', best: SENDER_SCORE });
  const patterns = buildPatterns(ctx);
  for (const cand of candidates) {
    const weight = cand.weight ?? SOURCE_WEIGHTS.find(([re]) => re.test(cand.source))?.[1] ?? 1;
    const text = prepare(cand.text, ctx.provinceName ?? '吉林省');
    for (const [code, hit] of scoreText(text, patterns)) {
      const add = hit.score * weight;
      const prev = scores.get(code);
      const snippet = text.slice(Math.max(0, hit.start - 15), hit.start + 25);
      if (!prev) scores.set(code, { score: add, source: cand.source, snippet, best: add });
      else {
        prev.score += add;
        if (add > prev.best) Object.assign(prev, { source: cand.source, snippet, best: add });
      }
    }
  }
  const ranked = [...scores.entries()]
    .map(([code, v]) => ({ code, name: ctx.directory.byCode.get(code)?.name ?? code, score: Math.round(v.score * 100) / 100, source: v.source, snippet: v.snippet }))
    .sort((a, b) => b.score - a.score);
  const top = ranked[0];
  return {
    applicant: top ? { code: top.code, name: top.name } : null,
    evidence: top ? { field: 'applicant', value: top.code, text: top.snippet, source: top.source } : null,
    candidates: ranked.map(({ code, name, score, source }) => ({ code, name, score, source })),
  };
}

function senderMatch(ctx: DetectApplicantContext): { code: string } | null {
  const from = ctx.fromAddress?.trim().toLowerCase();
  if (!from) return null;
  const exact = ctx.senders.find((s) => s.address.toLowerCase() === from);
  if (exact && ctx.directory.byCode.has(exact.applicantCode)) return { code: exact.applicantCode };
  const domain = from.slice(from.lastIndexOf('@'));
  const byDomain = ctx.senders.find((s) => s.address.startsWith('@') && (domain === s.address.toLowerCase() || domain.endsWith(`.${s.address.slice(1).toLowerCase()}`)));
  return byDomain && ctx.directory.byCode.has(byDomain.applicantCode) ? { code: byDomain.applicantCode } : null;
}

/** Removes the recipient and the province name ("吉林省吉林市" → "吉林市"). */
function prepare(raw: string, provinceName: string): string {
  return squeeze(toHalfWidth(raw)).replace(RECIPIENT, '〇').split(provinceName).join('〇');
}

type TPattern = { unit: ApplicantUnit; form: string; full: boolean };

const patternCache = new WeakMap<ApplicantDirectory, TPattern[]>();

function buildPatterns(ctx: DetectApplicantContext): TPattern[] {
  const cached = patternCache.get(ctx.directory);
  if (cached) return cached;
  // 吉林 alone is the province far more often than 吉林市
  const provinceStem = (ctx.provinceName ?? '吉林省').replace(/省$/, '');
  const list: TPattern[] = [];
  for (const unit of ctx.directory.units) {
    list.push({ unit, form: unit.name, full: true });
    for (const s of unit.shortNames) if (s !== provinceStem && s.length >= 2) list.push({ unit, form: s, full: false });
  }
  list.sort((a, b) => b.form.length - a.form.length);
  patternCache.set(ctx.directory, list);
  return list;
}

/** Longest non-overlapping matches; a county right after its prefecture takes the place. */
function scoreText(text: string, patterns: TPattern[]): Map<string, { score: number; start: number }> {
  const taken = new Uint8Array(text.length);
  const matches: UnitMatch[] = [];
  for (const p of patterns) {
    for (let i = text.indexOf(p.form); i >= 0; i = text.indexOf(p.form, i + 1)) {
      const end = i + p.form.length;
      if (taken.subarray(i, end).some((x) => x === 1)) continue;
      taken.fill(1, i, end);
      matches.push({ unit: p.unit, start: i, end, full: p.full });
    }
  }
  matches.sort((a, b) => a.start - b.start);
  const out = new Map<string, { score: number; start: number }>();
  matches.forEach((m, idx) => {
    let score = m.full ? 3 : 2;
    if (SUBMITTER_AFTER.test(text.slice(m.end, m.end + 6))) score += 3;
    const next = matches[idx + 1];
    // "通化市梅河口市": the county named after its prefecture is the unit meant
    if (next && next.start === m.end && next.unit.parentCode === m.unit.code) score = 0.5;
    const prev = matches[idx - 1];
    if (prev && prev.end === m.start && m.unit.parentCode === prev.unit.code) score += 2;
    const cur = out.get(m.unit.code);
    if (!cur || score > cur.score) out.set(m.unit.code, { score, start: m.start });
  });
  return out;
}
