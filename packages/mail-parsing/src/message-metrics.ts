import { extractMetrics } from '@intake/content-extraction';
import type { TCampaignProfile, TEvidence, TMetrics, TProject } from '@intake/domain';
import type { FileFacts } from './file-facts.js';

/**
 * Message-level figures. Unknown stays null, never 0: "no project table read"
 * and "a table with no projects" are different answers for the reviewers.
 */

const norm = (s: string | null): string =>
  (s ?? '')
    .replace(/\s+/g, '')
    .replace(/[（(].*?[)）]/g, '')
    .toLowerCase();

/**
 * Projects of every table in the message. The same table sent twice (an
 * .xlsx plus the copy inside 材料.zip) must not double the count, so a row
 * whose name and owner already came from another file is dropped; repeats
 * inside one table are kept (those are the applicant's own duplicates).
 */
export function mergeProjects(facts: FileFacts[]): TProject[] {
  const firstSource = new Map<string, string>();
  const out: TProject[] = [];
  for (const f of facts) {
    for (const p of f.projects) {
      const key = `${norm(p.name)}|${norm(p.owner)}`;
      const src = firstSource.get(key);
      if (src !== undefined && src !== p.source) continue;
      firstSource.set(key, p.source ?? '');
      out.push(p);
    }
  }
  return out;
}

export function projectMetrics(
  projects: TProject[],
  tableFound: boolean,
  profile: TCampaignProfile,
): Pick<TMetrics, 'projectCount' | 'largeProjects' | 'totalInvestment'> {
  if (!tableFound) return { projectCount: null, largeProjects: null, totalInvestment: null };
  const known = projects.filter((p) => p.totalInvestment !== null);
  const threshold = profile.thresholds.largeProjectInvestmentWan;
  return {
    projectCount: projects.length,
    largeProjects: projects.filter((p) => p.totalInvestment !== null && p.totalInvestment >= threshold).length,
    totalInvestment:
      known.length > 0 ? Math.round(known.reduce((s, p) => s + (p.totalInvestment ?? 0), 0) * 10_000) / 10_000 : null,
  };
}

/** Materials first, then the formal document, then anything else with text, then the body. */
function textSources(facts: FileFacts[], body: string): Array<{ text: string; source: string }> {
  const rank = (f: FileFacts): number =>
    f.attachment.roles.includes('materials') ? 0 : f.attachment.roles.includes('formal-document') ? 1 : 2;
  const withText = facts.filter((f) => f.text && f.table === null).sort((a, b) => rank(a) - rank(b));
  const out = withText.map((f) => ({ text: f.text!, source: f.attachment.path }));
  if (body.trim()) out.push({ text: body, source: 'body' });
  return out;
}

/**
 * Output, large enterprises and data year: the first source that states each one wins. Output
 * and data year come from the same source, together: a 2018 figure in the materials (output
 * null, data year 2018) is not completed by a figure from the body.
 */
export function textMetrics(
  facts: FileFacts[],
  body: string,
  profile: TCampaignProfile,
): {
  totalOutput2019: number | null;
  largeEnterprises: number | null;
  dataYear: number | null;
  evidence: TEvidence[];
} {
  const out = {
    totalOutput2019: null as number | null,
    largeEnterprises: null as number | null,
    dataYear: null as number | null,
    evidence: [] as TEvidence[],
  };
  let outputRead = false;
  for (const { text, source } of textSources(facts, body)) {
    const m = extractMetrics(text, source, { dataYear: profile.dataYear });
    if (!outputRead && (m.totalOutput2019 !== null || m.dataYear !== null)) {
      outputRead = true;
      out.totalOutput2019 = m.totalOutput2019;
      out.dataYear = m.dataYear;
      out.evidence.push(...m.evidence.filter((e) => OUTPUT_FIELDS.has(e.field)));
    }
    if (out.largeEnterprises === null && m.largeEnterprises !== null) {
      out.largeEnterprises = m.largeEnterprises;
      out.evidence.push(...m.evidence.filter((e) => e.field === 'largeEnterprises'));
    }
    if (outputRead && out.largeEnterprises !== null) break;
  }
  return out;
}

const OUTPUT_FIELDS = new Set<TEvidence['field']>(['totalOutput2019', 'totalOutput', 'dataYear']);

export function computeMetrics(
  facts: FileFacts[],
  projects: TProject[],
  body: string,
  profile: TCampaignProfile,
): { metrics: TMetrics; evidence: TEvidence[] } {
  const tableFound = facts.some((f) => f.table?.found === true);
  const t = textMetrics(facts, body, profile);
  return {
    metrics: {
      totalOutput2019: t.totalOutput2019,
      largeEnterprises: t.largeEnterprises,
      ...projectMetrics(projects, tableFound, profile),
      dataYear: t.dataYear,
    },
    evidence: t.evidence,
  };
}
