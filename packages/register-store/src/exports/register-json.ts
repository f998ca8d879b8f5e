import type { ApplicantDirectory, TCampaignProfile, TMetrics } from '@intake/domain';
import type { ApplicationEvaluation } from '@intake/validation-rules';
import type { Queryable } from '../db.js';
import { SUMMARY_COLUMNS, applyCopyPairs, loadMessages, toSummary, type RegisteredMessage } from '../applications.js';
import { loadAppCorrections, readFactsOf } from '../corrections/load-app-corrections.js';
import { listMissingApplicants } from '../missing-applicants.js';
import { toCorrectedFacts, toCorrectionLog, toExportAttachment, toExportProject } from './export-corrections.js';
import {
  ZRegisterExport,
  type TRegisterApplication,
  type TRegisterExport,
  type TRegisterMessage,
} from './register-schema.js';

const NO_METRICS: TMetrics = {
  totalOutput2019: null,
  largeEnterprises: null,
  projectCount: null,
  largeProjects: null,
  totalInvestment: null,
};

export interface ExportOptions {
  /** @defaultValue now */
  generatedAt?: Date;
}

/**
 * The whole register as CONTRACT.md's Register JSON, validated against
 * ZRegisterExport before it leaves (a shape bug fails here, not in a user's
 * script). Every fact holds its effective value: staff corrections applied,
 * each corrected one marked with its reading and who corrected it.
 */
export async function exportRegisterJson(
  q: Queryable,
  profile: TCampaignProfile,
  directory: ApplicantDirectory,
  opts: ExportOptions = {},
): Promise<TRegisterExport> {
  const apps = await q.query(`select ${SUMMARY_COLUMNS}, a.evaluation from applications a order by a.receipt_no`);
  const messages = await loadMessages(q, 'all');
  const corrections = await loadAppCorrections(
    q,
    apps.map((r) => ({ id: Number(r.id), evaluation: r.evaluation as ApplicationEvaluation | null })),
    messages,
    'all',
  );
  const dupRows = await q.query<{ project_key: string }>(
    'select project_key from application_projects group by project_key having count(*) > 1',
  );
  const duplicateKeys = new Set(dupRows.map((r) => r.project_key));
  const aliases = await q.query<{ receipt_no: string; application_id: number }>(
    'select receipt_no, application_id from application_aliases order by receipt_no',
  );
  const applications = apps.map((r): TRegisterApplication => {
    const s = toSummary(r);
    const e = r.evaluation as ApplicationEvaluation | null;
    const c = corrections.get(s.id)!;
    const own = applyCopyPairs(messages.get(s.id) ?? [], e?.copyPairs);
    return {
      receiptNo: s.receiptNo,
      applicant: s.applicant,
      cluster: s.cluster,
      field: s.field,
      firstReceivedAt: s.firstReceivedAt ? new Date(s.firstReceivedAt).toISOString() : null,
      lastReceivedAt: s.lastReceivedAt ? new Date(s.lastReceivedAt).toISOString() : null,
      copies: s.copies,
      documents: s.documents,
      metrics: e?.metrics ?? NO_METRICS,
      flags: e?.flags ?? [],
      messages: own.map(toExportMessage),
      projects: c.projects.map((p) => toExportProject(p, duplicateKeys)),
      review: { status: s.reviewStatus, note: s.reviewNote },
      late: s.late,
      correctedFacts: toCorrectedFacts(c.facts, readFactsOf(own), e),
      excludedProjects: c.excludedProjects.map((p) => toExportProject(p, new Set())),
      correctionLog: toCorrectionLog(c.all),
      mergedReceiptNos: aliases.filter((x) => x.application_id === s.id).map((x) => x.receipt_no),
    };
  });
  const missing = await listMissingApplicants(q, directory);
  const out: TRegisterExport = {
    campaign: profile.id,
    generatedAt: (opts.generatedAt ?? new Date()).toISOString(),
    applications,
    missingApplicants: missing.units,
  };
  const check = ZRegisterExport.safeParse(out);
  if (!check.success) {
    throw new Error(
      `register export does not match its schema: ${check.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return out;
}

function toExportMessage(m: RegisteredMessage): TRegisterMessage {
  return {
    messageId: m.messageId,
    from: m.from,
    subject: m.subject,
    receivedAt: new Date(m.receivedAt).toISOString(),
    attachments: m.attachments.map(toExportAttachment),
    ack: m.ack ? { status: m.ack.status, at: m.ack.at, reason: m.ack.reason } : null,
    receiptNo: m.receiptNo,
    sha256: m.sha256,
    late: m.late,
    flags: m.flags,
    sender: { address: m.fromAddress, status: m.senderStatus },
    authentication: m.authentication,
  };
}
