import type { ApplicantDirectory, ApplicantUnit, TEvidence } from '@intake/domain';
import { toMatchable } from './text-normalize.js';

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
  /**
   * Full names of places outside the province ("大庆市", "哈尔滨市"): one named in the
   * subject, sender name, file names or table titles, with no unit of ours there,
   * means the sender is not one of ours.
   */
  otherPlaces?: readonly string[];
}

export interface ApplicantDetection {
  applicant: { code: string; name: string } | null;
  evidence: TEvidence | null;
  candidates: Array<{ code: string; name: string; score: number; source: string }>;
}

/** Trust in each kind of source: the subject is typed by the sender, file text mentions many places. */
const SOURCE_WEIGHTS: Array<[RegExp, number]> = [
  [/^sender/, 20],
  [/^subject/, 8],
  [/^title:/, 6],
  [/^filename:/, 5],
  [/^text:/, 2],
];
const SENDER_SCORE = 1000;
/** The recipient side, which every submission names and which never is the applicant. */
const RECIPIENT =
  /(吉林)?省(发展和改革委员会|发展改革委员会|发展和改革委|发展改革委|发改委)(高技术产业处|高技术处)?|高技术(产业)?处/g;
const SUBMITTER_AFTER = /^(发展和改革|发展改革|发改|人民政府|政府|委员会|管委会|管理委员会)/;
/** "长春市生物医药产业集群": the place names the cluster (up to 16 characters of industry in between, no punctuation) */
const CLUSTER_AFTER = /^[^,，。；;、:：()（）“”"《》\s]{0,16}产业集群/;
/** "长春应用化学研究所", "长春光机所", "通化东宝药业股份有限公司", "长春中医药大学": a place inside an organisation's name */
const ORGANISATION_SUFFIX =
  '(研究所|研究院|研究中心|光机所|应化所|物理所|地理所|大学|学院|学校|中学|小学|医院|公司|集团|银行|海关|机场|报社|电视台|出版社|协会|商会|学会|基金会|分院|药业|厂)';
/** In text the organisation's name may run long; where the sender chose its words only a name right after the place counts */
const ORGANISATION_AFTER = {
  text: new RegExp(`^[^,，。；;、:：()（）“”"《》\\s]{0,12}?${ORGANISATION_SUFFIX}`),
  chosen: new RegExp(`^[^,，。；;、:：()（）“”"《》\\s]{0,6}?${ORGANISATION_SUFFIX}`),
};
const MAJORITY_MIN = 3;

interface UnitMatch {
  unit: ApplicantUnit;
  start: number;
  end: number;
  full: boolean;
}

/**
 * Who applies. The sender mapping decides when it knows the address. Else the
 * places the sender chose to write — subject, sender name, file names, table
 * titles — count in full, while document and body text only count where a
 * place stands as a unit ("长春市发展和改革委员会", "长春市人民政府", "长春市…产业集群"):
 * materials mention neighbours, partners and institutes ("中国科学院长春应用化学研究所").
 * Bare mentions in text count only when one unit has a clear majority of them.
 * If the chosen places name no unit of ours but a place elsewhere ("大庆市"),
 * the applicant is unknown whatever the text says.
 */
export function detectApplicant(candidates: ApplicantCandidateText[], ctx: DetectApplicantContext): ApplicantDetection {
  const scores = new Map<string, Score>();
  const sender = senderMatch(ctx);
  if (sender)
    scores.set(sender.code, {
      score: SENDER_SCORE,
      source: 'sender',
      snippet: ctx.fromAddress ?? '',
      best: SENDER_SCORE,
    });
  const patterns = buildPatterns(ctx);
  const bare = new Map<string, { n: number; source: string; snippet: string }>();
  const chosenTexts: Array<{ text: string; source: string }> = [];
  let chosenNamesOurs = false;
  for (const cand of candidates) {
    const weight = cand.weight ?? SOURCE_WEIGHTS.find(([re]) => re.test(cand.source))?.[1] ?? 1;
    const chosen = isChosenSource(cand.source);
    const text = prepare(cand.text, ctx.provinceName ?? '吉林省');
    if (chosen) chosenTexts.push({ text, source: cand.source });
    for (const m of findUnits(text, patterns, chosen ? ORGANISATION_AFTER.chosen : ORGANISATION_AFTER.text)) {
      if (m.inOrganisation) continue;
      const snippet = text.slice(Math.max(0, m.start - 15), m.start + 25);
      if (!chosen && !m.unitLike) {
        const b = bare.get(m.unit.code);
        if (b) b.n++;
        else bare.set(m.unit.code, { n: 1, source: cand.source, snippet });
        continue;
      }
      if (chosen) chosenNamesOurs = true;
      addScore(scores, m.unit.code, m.score * weight, cand.source, snippet);
    }
  }
  addMajority(scores, bare);
  const foreign = sender || chosenNamesOurs ? null : findOtherPlace(chosenTexts, ctx.otherPlaces);
  const ranked = [...scores.entries()]
    .map(([code, v]) => ({
      code,
      name: ctx.directory.byCode.get(code)?.name ?? code,
      score: Math.round(v.score * 100) / 100,
      source: v.source,
      snippet: v.snippet,
    }))
    .sort((a, b) => b.score - a.score);
  const top = foreign ? undefined : ranked[0];
  return {
    applicant: top ? { code: top.code, name: top.name } : null,
    evidence: top
      ? { field: 'applicant', value: top.code, text: top.snippet, source: top.source }
      : foreign
        ? { field: 'applicant', value: null, text: `省外地区：${foreign.place}`, source: foreign.source }
        : null,
    candidates: ranked.map(({ code, name, score, source }) => ({ code, name, score, source })),
  };
}

interface Score {
  score: number;
  source: string;
  snippet: string;
  best: number;
}

function addScore(scores: Map<string, Score>, code: string, add: number, source: string, snippet: string): void {
  const prev = scores.get(code);
  if (!prev) scores.set(code, { score: add, source, snippet, best: add });
  else {
    prev.score += add;
    if (add > prev.best) Object.assign(prev, { source, snippet, best: add });
  }
}

/** Sources the sender words on purpose; "text:…" (document and body text) is the rest. */
const isChosenSource = (source: string): boolean => !/^text:/.test(source);

/** Bare mentions in text: only a unit named at least 3 times and twice as often as any other. */
function addMajority(
  scores: Map<string, Score>,
  bare: Map<string, { n: number; source: string; snippet: string }>,
): void {
  const counts = [...bare.entries()].sort((a, b) => b[1].n - a[1].n);
  const [first, second] = counts;
  if (!first || first[1].n < MAJORITY_MIN || (second && first[1].n < 2 * second[1].n)) return;
  addScore(scores, first[0], Math.min(first[1].n, 6), first[1].source, first[1].snippet);
}

/** A place outside the province named in full where the sender chose its words (e.g. "大庆市"). */
function findOtherPlace(
  texts: Array<{ text: string; source: string }>,
  places: readonly string[] | undefined,
): { place: string; source: string } | null {
  if (!places || places.length === 0) return null;
  for (const t of texts) {
    const place = places.find((p) => t.text.includes(p));
    if (place) return { place, source: t.source };
  }
  return null;
}

function senderMatch(ctx: DetectApplicantContext): { code: string } | null {
  const from = ctx.fromAddress?.trim().toLowerCase();
  if (!from) return null;
  const exact = ctx.senders.find((s) => s.address.toLowerCase() === from);
  if (exact && ctx.directory.byCode.has(exact.applicantCode)) return { code: exact.applicantCode };
  const domain = from.slice(from.lastIndexOf('@'));
  const byDomain = ctx.senders.find(
    (s) =>
      s.address.startsWith('@') &&
      (domain === s.address.toLowerCase() || domain.endsWith(`.${s.address.slice(1).toLowerCase()}`)),
  );
  return byDomain && ctx.directory.byCode.has(byDomain.applicantCode) ? { code: byDomain.applicantCode } : null;
}

/** Removes the recipient and the province name ("吉林省吉林市" → "吉林市"). */
function prepare(raw: string, provinceName: string): string {
  return toMatchable(raw).replace(RECIPIENT, '〇').split(provinceName).join('〇');
}

type Pattern = { unit: ApplicantUnit; form: string; full: boolean };

const patternCache = new WeakMap<ApplicantDirectory, Pattern[]>();

function buildPatterns(ctx: DetectApplicantContext): Pattern[] {
  const cached = patternCache.get(ctx.directory);
  if (cached) return cached;
  // 吉林 alone is the province far more often than 吉林市
  const provinceStem = (ctx.provinceName ?? '吉林省').replace(/省$/, '');
  const list: Pattern[] = [];
  for (const unit of ctx.directory.units) {
    list.push({ unit, form: unit.name, full: true });
    for (const s of unit.shortNames) if (s !== provinceStem && s.length >= 2) list.push({ unit, form: s, full: false });
  }
  list.sort((a, b) => b.form.length - a.form.length);
  patternCache.set(ctx.directory, list);
  return list;
}

interface UnitHit {
  unit: ApplicantUnit;
  start: number;
  score: number;
  unitLike: boolean;
  inOrganisation: boolean;
}

/**
 * Longest non-overlapping matches, each scored; a county right after its
 * prefecture takes the place. `unitLike`: the place stands as the unit
 * (followed by its government/commission, or naming the cluster);
 * `inOrganisation`: it is part of an institute's, university's or company's name.
 */
function findUnits(text: string, patterns: Pattern[], organisationAfter: RegExp): UnitHit[] {
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
  return matches.map((m, idx) => {
    const after = text.slice(m.end, m.end + 24);
    const submitter = SUBMITTER_AFTER.test(after);
    let score = (m.full ? 3 : 2) + (submitter ? 3 : 0);
    const next = matches[idx + 1];
    // "通化市梅河口市": the county named after its prefecture is the unit meant
    const prefixOfCounty = next !== undefined && next.start === m.end && next.unit.parentCode === m.unit.code;
    if (prefixOfCounty) score = 0.5;
    const prev = matches[idx - 1];
    const countyAfterPrefecture = prev !== undefined && prev.end === m.start && m.unit.parentCode === prev.unit.code;
    if (countyAfterPrefecture) score += 2;
    const unitLike = submitter || CLUSTER_AFTER.test(after);
    const inOrganisation = !unitLike && !prefixOfCounty && organisationAfter.test(after);
    return { unit: m.unit, start: m.start, score, unitLike, inOrganisation };
  });
}
