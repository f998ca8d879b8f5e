import type { TAttachment, TProject } from '@intake/domain';
import {
  addedRowIsRead,
  correctAttachments,
  correctProjectRows,
  matchAttachment,
  matchProjectRow,
  projectRefKey,
  type ApplicationEvaluation,
  type CorrectionSet,
} from '@intake/validation-rules';
import type { Queryable } from '../db.js';
import { correctionValue, splitAttachmentTargetKey, toCorrectionSet } from './correction-set.js';
import { correctionFieldLabel } from './correction-labels.js';
import type { CorrectionRow, CorrectionScope } from './correction-store.js';

/** A correction as the page and the exports show it beside the value it changed. */
export interface CorrectionRef {
  id: number;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  actor: string;
  at: Date;
  reason: string;
}

/**
 * - applied: the correction decides the value;
 * - agrees: the reading (after a reprocess, say) now says the same; it stays until staff remove it;
 * - not-found: its row or attachment is not in the mail any more (a re-read no longer finds it);
 * - not-current: it is on a project table a later mail replaced;
 * - removed: withdrawn by staff or superseded by a newer correction.
 */
export type CorrectionStatus = 'applied' | 'agrees' | 'not-found' | 'not-current' | 'removed';

export interface CorrectionInfo extends CorrectionRef {
  scope: CorrectionScope;
  messageSha256: string | null;
  targetKey: string;
  /** the value as read now (null when the target is gone or was added by staff) */
  readingNow: unknown;
  /** what was corrected, in words */
  targetLabel: string;
  status: CorrectionStatus;
  removedAt: Date | null;
  removedBy: string | null;
  removedReason: string | null;
}

/** A row of the application's project list as it counts, with what was read and what staff changed. */
export interface RegisterProject extends TProject {
  messageSha256: string | null;
  /** provenance key of the row as read (projectRefKey); null for rows staff added */
  refKey: string | null;
  /** key of the correction row that added it */
  addedKey: string | null;
  reading: TProject | null;
  corrections: CorrectionRef[];
}

export interface ReadFacts {
  applicant: { code: string; name: string } | null;
  cluster: string | null;
  field: string | null;
}

export interface MessageParts {
  attachments: TAttachment[];
  projects: TProject[];
}

export interface AppCorrections {
  all: CorrectionInfo[];
  set: CorrectionSet;
  /** the current project table's rows as they count, plus rows staff added */
  projects: RegisterProject[];
  /** rows of the current table staff marked "not a project" */
  excludedProjects: RegisterProject[];
  /** active fact corrections by field (applicant, cluster, field, the figures) */
  facts: Record<string, CorrectionRef>;
}

export function toRef(r: CorrectionRow): CorrectionRef {
  return {
    id: r.id,
    field: r.field,
    oldValue: r.oldValue,
    newValue: correctionValue(r) ?? r.newValue,
    actor: r.actor,
    at: r.at,
    reason: r.reason,
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export interface StatusInputs {
  facts: ReadFacts;
  evaluation: ApplicationEvaluation | null;
  messages: ReadonlyMap<string, MessageParts>;
}

function attachmentStatus(r: CorrectionRow, v: unknown, m: MessageParts | undefined) {
  const i = m ? matchAttachment(m.attachments, splitAttachmentTargetKey(r.targetKey)) : -1;
  if (!m || i < 0) return { status: 'not-found' as const, readingNow: null };
  const a = m.attachments[i]!;
  const now: unknown = r.field === 'copy' ? a.copy : [...a.roles].sort();
  return { status: same(now, v) ? ('agrees' as const) : ('applied' as const), readingNow: now };
}

function projectStatus(r: CorrectionRow, v: unknown, m: MessageParts | undefined, currentTable: string | null) {
  const i = m ? matchProjectRow(m.projects, { refKey: r.targetKey, projectKey: r.projectKey }) : -1;
  if (!m || i < 0) return { status: 'not-found' as const, readingNow: null };
  const row = m.projects[i]!;
  const now: unknown = r.field === 'notProject' ? false : row[r.field as keyof TProject];
  if (r.messageSha256 !== currentTable) return { status: 'not-current' as const, readingNow: now };
  return { status: same(now, v) ? ('agrees' as const) : ('applied' as const), readingNow: now };
}

/** How one correction stands against what the mail says now. */
export function correctionStatus(
  r: CorrectionRow,
  inputs: StatusInputs,
): Pick<CorrectionInfo, 'status' | 'readingNow'> {
  const v = correctionValue(r) ?? r.newValue;
  const currentTable = inputs.evaluation?.currentByRole['project-table']?.messageKey ?? null;
  const m = r.messageSha256 ? inputs.messages.get(r.messageSha256) : undefined;
  let out: Pick<CorrectionInfo, 'status' | 'readingNow'>;
  if (r.scope === 'application') {
    const metrics = inputs.evaluation?.reading?.metrics ?? inputs.evaluation?.metrics;
    const now: unknown =
      r.field === 'applicant' || r.field === 'cluster' || r.field === 'field'
        ? inputs.facts[r.field]
        : (metrics?.[r.field as keyof typeof metrics] ?? null);
    out = { status: same(now, v) ? 'agrees' : 'applied', readingNow: now };
  } else if (r.scope === 'attachment') out = attachmentStatus(r, v, m);
  else if (r.scope === 'project') out = projectStatus(r, v, m, currentTable);
  else {
    const rows = currentTable ? (inputs.messages.get(currentTable)?.projects ?? []) : [];
    const read = addedRowIsRead(rows, { id: r.id, project: v as { name: string; owner: string | null } & TProject });
    out = { status: read ? 'agrees' : 'applied', readingNow: null };
  }
  return r.removedAt ? { ...out, status: 'removed' } : out;
}

/**
 * Everything the page and the exports show about one application's
 * corrections: every correction with its status, the project list as it
 * counts (corrected rows with their readings, added rows, excluded rows),
 * and the active fact corrections.
 */
export function buildAppCorrections(rows: readonly CorrectionRow[], inputs: StatusInputs): AppCorrections {
  const active = rows.filter((r) => !r.removedAt);
  const set = toCorrectionSet(active);
  const byId = new Map(active.map((r) => [r.id, r]));
  const currentTable = inputs.evaluation?.currentByRole['project-table']?.messageKey ?? null;
  const tableRows = currentTable ? (inputs.messages.get(currentTable)?.projects ?? []) : [];
  const lines = correctProjectRows(currentTable, tableRows, set.projects, set.added);
  const projects: RegisterProject[] = [];
  const excludedProjects: RegisterProject[] = [];
  for (const l of lines) {
    const refs = l.fixIds.map((id) => byId.get(id)).filter((r): r is CorrectionRow => !!r);
    const p: RegisterProject = {
      ...(l.effective ?? l.reading!),
      messageSha256: l.reading ? currentTable : null,
      refKey: l.reading ? projectRefKey(l.reading) : null,
      addedKey: l.addedId !== undefined ? (byId.get(l.addedId)?.targetKey ?? null) : null,
      reading: l.reading,
      corrections: refs.map(toRef),
    };
    (l.effective ? projects : excludedProjects).push(p);
  }
  const facts: Record<string, CorrectionRef> = {};
  for (const r of active) if (r.scope === 'application') facts[r.field] = toRef(r);
  const all = rows.map((r) => ({
    ...toRef(r),
    targetLabel: targetLabel(r, inputs),
    scope: r.scope,
    messageSha256: r.messageSha256,
    targetKey: r.targetKey,
    removedAt: r.removedAt,
    removedBy: r.removedBy,
    removedReason: r.removedReason,
    ...correctionStatus(r, inputs),
  }));
  return { all, set, projects, excludedProjects, facts };
}

/** [source, sheet, row] of projectRefKey; null for a key this code did not write. */
function parseRefKey(key: string): { sheet: string; row: number } | null {
  let v: unknown;
  try {
    v = JSON.parse(key);
  } catch (err) {
    // keys are written by projectRefKey; one that is not JSON is only labelled less precisely
    if (!(err instanceof SyntaxError)) throw err;
    return null;
  }
  return Array.isArray(v) && typeof v[1] === 'string' && typeof v[2] === 'number' ? { sheet: v[1], row: v[2] } : null;
}

function targetLabel(r: CorrectionRow, inputs: StatusInputs): string {
  const m = r.messageSha256 ? inputs.messages.get(r.messageSha256) : undefined;
  if (r.scope === 'application') return correctionFieldLabel(r.field);
  if (r.scope === 'project-added') {
    const v = correctionValue(r) as { name?: string } | undefined;
    return `补录项目：${v?.name ?? ''}`;
  }
  if (r.scope === 'attachment') {
    const t = splitAttachmentTargetKey(r.targetKey);
    const i = m ? matchAttachment(m.attachments, t) : -1;
    const name = i >= 0 ? m!.attachments[i]!.filename : t.path;
    return `附件：${name} · ${correctionFieldLabel(r.field)}`;
  }
  const i = m ? matchProjectRow(m.projects, { refKey: r.targetKey, projectKey: r.projectKey }) : -1;
  const row = i >= 0 ? m!.projects[i]! : null;
  const ref = parseRefKey(r.targetKey);
  const where = ref ? `${ref.sheet} 第${ref.row}行` : '';
  return `项目：${row ? `${row.name}（${where}）` : where} · ${correctionFieldLabel(r.field)}`;
}

/** The attachments and project rows, as read, of the messages the given corrections name (plus the current tables). */
export async function loadMessageParts(q: Queryable, sha256s: readonly string[]): Promise<Map<string, MessageParts>> {
  const out = new Map<string, MessageParts>();
  if (sha256s.length === 0) return out;
  const rows = await q.query<{ sha256: string; attachments: TAttachment[] | null; projects: TProject[] | null }>(
    `select sha256, parsed->'attachments' as attachments, parsed->'projects' as projects from messages
     where sha256 = any($1::text[])`,
    [[...new Set(sha256s)]],
  );
  for (const r of rows) out.set(r.sha256, { attachments: r.attachments ?? [], projects: r.projects ?? [] });
  return out;
}

/** An attachment as it counts, with what was read when staff corrected it. */
export type RegisteredAttachment = TAttachment & {
  /** present when staff corrected it: the copy type, roles and error as read */
  reading?: Pick<TAttachment, 'copy' | 'roles' | 'error'>;
  corrections?: CorrectionRef[];
};

/** A message's attachments with staff fixes applied (see correctAttachments). */
export function effectiveAttachments(
  messageSha256: string,
  atts: readonly TAttachment[],
  set: CorrectionSet,
  rows: readonly CorrectionRow[],
): RegisteredAttachment[] {
  if (set.attachments.length === 0) return [...atts];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return correctAttachments(messageSha256, atts, set.attachments).map((l) => {
    if (l.fixIds.length === 0) return l.effective;
    const reading = {
      copy: l.reading.copy,
      roles: l.reading.roles,
      ...(l.reading.error ? { error: l.reading.error } : {}),
    };
    const corrections = l.fixIds
      .map((id) => byId.get(id))
      .filter((r): r is CorrectionRow => !!r)
      .map(toRef);
    return { ...l.effective, reading, corrections };
  });
}
