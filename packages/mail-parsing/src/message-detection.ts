import { detectApplicant, detectCluster, detectField } from '@intake/content-extraction';
import type { ApplicantDirectory, TCampaignProfile, TEvidence } from '@intake/domain';
import type { FileFacts, ForwardedFacts } from './file-facts.js';
import { otherPlacesOf } from './other-places.js';

/**
 * Who applied, for which cluster and field. The detectors weigh the
 * candidates; this module only decides what the candidates are and how much
 * each kind of place is worth: a subject line or a filename is written on
 * purpose, a paragraph of the materials may mention neighbouring cities.
 */

export interface DetectionInput {
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  body: string;
  facts: FileFacts[];
  forwarded: ForwardedFacts[];
}

interface Candidate {
  text: string;
  source: string;
  weight?: number;
}

const DOC_HEAD_CHARS = 3000;

/**
 * Candidate texts, with the source names the detectors weigh by kind:
 * "sender", "subject", "filename:<path>", "title:<path>", "text:<path>".
 */
export function buildCandidates(input: DetectionInput): Candidate[] {
  const out: Candidate[] = [];
  const add = (text: string | null | undefined, source: string, weight?: number): void => {
    if (text && text.trim()) out.push({ text: text.trim(), source, ...(weight === undefined ? {} : { weight }) });
  };
  add(input.subject, 'subject');
  add(input.fromName, 'sender');
  for (const fw of input.forwarded) {
    add(fw.subject, `subject:${fw.path}`);
    // whoever wrote the forwarded original may be a county the forwarder collected from: weaker than our own sender
    add(fw.fromName, `text:${fw.path}#sender`, 5);
    add(fw.body.slice(0, DOC_HEAD_CHARS), `text:${fw.path}#body`);
  }
  for (const f of input.facts) {
    add(f.attachment.filename.replace(/\.[A-Za-z0-9]{1,8}$/, ''), `filename:${f.attachment.path}`);
    if (f.table?.title) add(f.table.title, `title:${f.attachment.path}`);
    else if (f.text) add(f.text.slice(0, DOC_HEAD_CHARS), `text:${f.attachment.path}`);
  }
  add(input.body.slice(0, DOC_HEAD_CHARS), 'text:body');
  return out;
}

/** Evidence names its source as the per-message JSON does: an attachment path, "subject", "body" or "sender". */
function asList(e: TEvidence | TEvidence[] | null | undefined): TEvidence[] {
  const list = e == null ? [] : Array.isArray(e) ? e : [e];
  return list.map((v) => ({
    ...v,
    source: v.source === 'text:body' ? 'body' : v.source.replace(/^(filename|title|text|subject):/, ''),
  }));
}

export interface Detection {
  applicant: { code: string; name: string } | null;
  cluster: string | null;
  field: string | null;
  evidence: TEvidence[];
}

export function detectAll(input: DetectionInput, profile: TCampaignProfile, directory: ApplicantDirectory): Detection {
  const candidates = buildCandidates(input);
  const applicant = detectApplicant(candidates, {
    directory,
    senders: profile.senders,
    otherPlaces: otherPlacesOf(profile, directory),
    ...(input.fromAddress ? { fromAddress: input.fromAddress } : {}),
  });
  const cluster = detectCluster(
    candidates.map(({ text, source }) => ({ text, source })),
    applicant.applicant?.name,
  );
  const texts = candidates.map((c) => c.text);
  const field = detectField(cluster.cluster, texts, profile.fields);
  return {
    applicant: applicant.applicant,
    cluster: cluster.cluster,
    field: field.field,
    evidence: [...asList(applicant.evidence), ...asList(cluster.evidence), ...asList(field.evidence)],
  };
}
