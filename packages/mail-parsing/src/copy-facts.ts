import type { TCampaignProfile, TCopyFacts, TFlag } from '@intake/domain';
import { mismatchFlags, normalizeForPairing, pairCopies } from '@intake/validation-rules';
import type { FileFacts } from './file-facts.js';

/**
 * Scan ↔ electronic pairing within one message (issue 10 §5): each file's
 * pairing facts (kept by the register for pairing across messages), `copyOf`
 * and `similarity` set both ways on the pairs found, and a
 * SCAN_ELECTRONIC_MISMATCH for each pair that disagrees.
 */
/** Characters of the words kept for the dashboard's side-by-side view. */
const EXCERPT_CHARS = 4000;

export function copyFactsOf(f: FileFacts): TCopyFacts | null {
  const a = f.attachment;
  if (a.error || a.copy === 'unknown' || a.roles.length === 0) return null;
  const tableRead = f.table?.found === true && f.projects.length > 0;
  const amounts = f.projects.flatMap((p) => (p.totalInvestment === null ? [] : [p.totalInvestment]));
  return {
    sha256: a.sha256,
    path: a.path,
    copy: a.copy,
    roles: a.roles,
    text: normalizeForPairing(f.text ?? ''),
    projectNames: f.projects.map((p) => p.name),
    projectCount: tableRead ? f.projects.length : null,
    totalInvestment:
      tableRead && amounts.length > 0 ? Math.round(amounts.reduce((s, n) => s + n, 0) * 10_000) / 10_000 : null,
    uncertainAmounts: f.projects.some((p) => p.lowConfidence === true),
    document: a.document ?? null,
    excerpt: (f.text ?? '').slice(0, EXCERPT_CHARS),
  };
}

/** Pairs the message's scans with its electronic files; marks the attachments; returns the flags. */
export function pairWithinMessage(
  files: FileFacts[],
  profile: TCampaignProfile,
): { copyFacts: TCopyFacts[]; flags: TFlag[] } {
  const copyFacts = files.flatMap((f) => {
    const c = copyFactsOf(f);
    return c ? [c] : [];
  });
  const pairs = pairCopies(copyFacts.map((facts) => ({ messageKey: 'message', facts })));
  const byPath = new Map(files.map((f) => [f.attachment.path, f.attachment]));
  for (const p of pairs) {
    const scan = byPath.get(p.scan.facts.path);
    const elec = byPath.get(p.electronic.facts.path);
    if (!scan || !elec) continue;
    scan.copyOf = elec.sha256;
    elec.copyOf = scan.sha256;
    scan.similarity = elec.similarity = p.similarity;
  }
  return { copyFacts, flags: mismatchFlags(pairs, profile.labels) };
}
