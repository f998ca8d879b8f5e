import type { TProject } from '@intake/domain';
import { projectKey, type ApplicationEvaluation } from '@intake/validation-rules';
import type {
  CorrectionInfo,
  CorrectionRef,
  ReadFacts,
  RegisterProject,
  RegisteredAttachment,
} from '../corrections/correction-view.js';
import type {
  TCorrectionLogEntry,
  TCorrectionNote,
  TRegisterApplication,
  TRegisterMessage,
} from './register-schema.js';

/**
 * How corrections appear in the register JSON (additive to CONTRACT.md's
 * format): the facts keep their names and hold the values that count; a
 * corrected one says so beside it, with the reading and who corrected it.
 */
type ExportProject = TRegisterApplication['projects'][number];
type ExportAttachment = TRegisterMessage['attachments'][number];

const iso = (d: Date | string): string => new Date(d).toISOString();

function note(c: CorrectionRef, original: unknown): TCorrectionNote {
  return {
    field: c.field,
    original: original ?? null,
    value: c.newValue ?? null,
    by: c.actor,
    at: iso(c.at),
    reason: c.reason,
  };
}

function plainProject(p: TProject): TProject {
  return {
    name: p.name,
    owner: p.owner,
    location: p.location,
    totalInvestment: p.totalInvestment,
    period: p.period,
    row: p.row,
    sheet: p.sheet,
    ...(p.source ? { source: p.source } : {}),
  };
}

export function toExportProject(p: RegisterProject, duplicateKeys: ReadonlySet<string>): ExportProject {
  const base: ExportProject = { ...plainProject(p), duplicate: duplicateKeys.has(projectKey(p)) };
  if (p.corrections.length === 0) return base;
  const original = p.reading
    ? {
        name: p.reading.name,
        owner: p.reading.owner,
        location: p.reading.location,
        totalInvestment: p.reading.totalInvestment,
        period: p.reading.period,
      }
    : null;
  const readingOf = (field: string): unknown =>
    field === 'notProject' ? false : p.reading ? (p.reading as unknown as Record<string, unknown>)[field] : null;
  return {
    ...base,
    corrected: true,
    ...(p.reading ? {} : { added: true }),
    original,
    corrections: p.corrections.map((c) => note(c, readingOf(c.field))),
  };
}

export function toExportAttachment(a: RegisteredAttachment): ExportAttachment {
  const { reading, corrections, ...rest } = a;
  if (!reading || !corrections?.length) return rest;
  const readingOf = (field: string): unknown => (field === 'copy' ? reading.copy : reading.roles);
  return {
    ...rest,
    corrected: true,
    original: reading,
    corrections: corrections.map((c) => note(c, readingOf(c.field))),
  };
}

const FACT_PATHS: Record<string, string> = {
  applicant: 'applicant',
  cluster: 'cluster',
  field: 'field',
  totalOutput2019: 'metrics.totalOutput2019',
  largeEnterprises: 'metrics.largeEnterprises',
  dataYear: 'metrics.dataYear',
};

export function toCorrectedFacts(
  facts: Readonly<Record<string, CorrectionRef>>,
  read: ReadFacts,
  evaluation: ApplicationEvaluation | null,
): TRegisterApplication['correctedFacts'] {
  const metrics = evaluation?.reading?.metrics ?? evaluation?.metrics;
  const out: TRegisterApplication['correctedFacts'] = {};
  for (const [field, c] of Object.entries(facts)) {
    const original =
      field === 'applicant' || field === 'cluster' || field === 'field'
        ? read[field]
        : (metrics?.[field as keyof typeof metrics] ?? null);
    out[FACT_PATHS[field] ?? field] = { ...note(c, original), corrected: true };
  }
  return out;
}

export function toCorrectionLog(all: readonly CorrectionInfo[]): TCorrectionLogEntry[] {
  return all.map((c) => ({
    id: c.id,
    scope: c.scope,
    target: c.targetLabel,
    field: c.field,
    before: c.oldValue ?? null,
    original: c.readingNow ?? null,
    value: c.newValue ?? null,
    by: c.actor,
    at: iso(c.at),
    reason: c.reason,
    status: c.status,
    removedAt: c.removedAt ? iso(c.removedAt) : null,
    removedBy: c.removedBy,
    removedReason: c.removedReason,
  }));
}
