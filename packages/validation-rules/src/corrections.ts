import type { TAttachment, TCopyType, TDocumentRole, TProject } from '@intake/domain';
import { projectKey } from './project-key.js';

/**
 * Staff corrections as the rules see them: the effective value of a fact is
 * the correction where one exists, the reading otherwise. Every fix names its
 * target by something a re-read reproduces — the message's raw sha256, an
 * attachment's sha256 and path, a project row's provenance (source file,
 * sheet, row) with its normalized name+owner as a fallback — never a database
 * row id, so `intake reprocess` finds the same targets again.
 */
export const FACT_FIELDS = [
  'applicant',
  'cluster',
  'field',
  'totalOutput2019',
  'largeEnterprises',
  'dataYear',
] as const;
export type FactField = (typeof FACT_FIELDS)[number];

export const PROJECT_FIELDS = ['name', 'owner', 'location', 'totalInvestment', 'period'] as const;
export type ProjectField = (typeof PROJECT_FIELDS)[number];

/** The figures a fact fix overrides in the application's metrics. */
export interface FigureFixes {
  totalOutput2019?: number | null;
  largeEnterprises?: number | null;
  dataYear?: number | null;
}

export interface ProjectFix {
  id: number;
  messageKey: string;
  /** projectRefKey of the row as it was read */
  refKey: string;
  /** projectKey of the row as it was read: finds it again if a re-read moved it */
  projectKey: string | null;
  field: ProjectField | 'notProject';
  value: string | number | boolean | null;
}

export interface AddedProjectFix {
  id: number;
  project: Pick<TProject, 'name' | 'owner' | 'location' | 'totalInvestment' | 'period'>;
}

export interface AttachmentFix {
  id: number;
  messageKey: string;
  sha256: string;
  path: string;
  field: 'copy' | 'roles';
  value: TCopyType | TDocumentRole[];
}

export interface CorrectionSet {
  /** only the keys present are corrected (a fix to null means "unknown", which is a value) */
  figures: FigureFixes;
  /** present when the field is corrected */
  field?: string | null;
  attachments: AttachmentFix[];
  projects: ProjectFix[];
  added: AddedProjectFix[];
}

export const NO_CORRECTIONS: CorrectionSet = { figures: {}, attachments: [], projects: [], added: [] };

export function hasCorrections(c: CorrectionSet | undefined): boolean {
  return (
    !!c &&
    (Object.keys(c.figures).length > 0 ||
      c.field !== undefined ||
      c.attachments.length > 0 ||
      c.projects.length > 0 ||
      c.added.length > 0)
  );
}

/** Where a project row came from: the same cell row of the same file reads the same row again. */
export function projectRefKey(p: { source?: string | null | undefined; sheet: string; row: number }): string {
  return JSON.stringify([p.source ?? null, p.sheet, p.row]);
}

/** The row a fix is about: by provenance, else the one row with the same normalized name+owner; -1 if none. */
export function matchProjectRow(rows: readonly TProject[], fix: Pick<ProjectFix, 'refKey' | 'projectKey'>): number {
  const byRef = rows.findIndex((r) => projectRefKey(r) === fix.refKey);
  if (byRef >= 0) return byRef;
  if (!fix.projectKey) return -1;
  const byKey = rows.flatMap((r, i) => (projectKey(r) === fix.projectKey ? [i] : []));
  return byKey.length === 1 ? byKey[0]! : -1;
}

/** The attachment a fix is about: same sha256 and path, else the one attachment with that sha256; -1 if none. */
export function matchAttachment(atts: readonly TAttachment[], fix: Pick<AttachmentFix, 'sha256' | 'path'>): number {
  const exact = atts.findIndex((a) => a.sha256 === fix.sha256 && a.path === fix.path);
  if (exact >= 0) return exact;
  const bySha = atts.flatMap((a, i) => (a.sha256 === fix.sha256 ? [i] : []));
  return bySha.length === 1 ? bySha[0]! : -1;
}

export interface AttachmentLine {
  reading: TAttachment;
  effective: TAttachment;
  fixIds: number[];
}

/**
 * A message's attachments with staff fixes applied. A corrected attachment
 * counts even if our reader could not open it: staff looked at the file and
 * vouched for its copy type or role, so `error` is dropped from the effective
 * value (the reading keeps it, and UNREADABLE_ATTACHMENT stays on the message).
 */
export function correctAttachments(
  messageKey: string,
  atts: readonly TAttachment[],
  fixes: readonly AttachmentFix[],
): AttachmentLine[] {
  const lines: AttachmentLine[] = atts.map((a) => ({ reading: a, effective: a, fixIds: [] }));
  for (const f of fixes) {
    if (f.messageKey !== messageKey) continue;
    const i = matchAttachment(atts, f);
    if (i < 0) continue;
    const line = lines[i]!;
    const { error: _error, ...rest } = line.effective;
    line.effective =
      f.field === 'copy'
        ? { ...rest, copy: f.value as TCopyType }
        : { ...rest, roles: [...(f.value as TDocumentRole[])] };
    line.fixIds.push(f.id);
  }
  return lines;
}

export interface ProjectLine {
  /** the row as read; null for a row staff added */
  reading: TProject | null;
  /** the row as it counts; null when staff marked it "not a project" */
  effective: TProject | null;
  fixIds: number[];
  /** the correction that added this row */
  addedId?: number;
}

/** Sheet name of rows staff added by hand. */
export const ADDED_SHEET = '人工补录';

function applyProjectFix(p: TProject, f: ProjectFix): TProject {
  switch (f.field) {
    case 'totalInvestment':
      return { ...p, totalInvestment: typeof f.value === 'number' ? f.value : null };
    case 'name':
      return { ...p, name: typeof f.value === 'string' && f.value ? f.value : p.name };
    default:
      return { ...p, [f.field]: typeof f.value === 'string' && f.value !== '' ? f.value : null };
  }
}

/**
 * The current project table's rows with fixes applied, plus the rows staff
 * added. An added row that the reading now lists too (same normalized name +
 * owner) is not counted twice: the reading's row stands for it.
 */
export function correctProjectRows(
  messageKey: string | null,
  rows: readonly TProject[],
  fixes: readonly ProjectFix[],
  added: readonly AddedProjectFix[],
): ProjectLine[] {
  const lines: ProjectLine[] = rows.map((r) => ({ reading: r, effective: r, fixIds: [] }));
  for (const f of fixes) {
    if (messageKey === null || f.messageKey !== messageKey) continue;
    const i = matchProjectRow(rows, f);
    if (i < 0) continue;
    const line = lines[i]!;
    line.fixIds.push(f.id);
    if (f.field === 'notProject') {
      if (f.value === true) line.effective = null;
      continue;
    }
    if (line.effective) line.effective = applyProjectFix(line.effective, f);
  }
  const readKeys = new Set(rows.map((r) => projectKey(r)));
  let n = 0;
  for (const a of added) {
    if (readKeys.has(projectKey(a.project))) continue;
    n += 1;
    const p: TProject = { ...a.project, sheet: ADDED_SHEET, row: n };
    lines.push({ reading: null, effective: p, fixIds: [a.id], addedId: a.id });
  }
  return lines;
}

/** Whether the reading already says what an added row says (the page then offers to remove the correction). */
export function addedRowIsRead(rows: readonly TProject[], a: AddedProjectFix): boolean {
  const k = projectKey(a.project);
  return rows.some((r) => projectKey(r) === k);
}
