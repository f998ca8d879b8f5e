import { randomBytes } from 'node:crypto';
import { AppError, type ApplicantDirectory, type TCampaignProfile } from '@intake/domain';
import { PROJECT_FIELDS, projectKey, type ProjectField } from '@intake/validation-rules';
import type { Db, Queryable } from '../db.js';
import { lockApplicantsOf, lockApplication } from '../application-groups.js';
import { writeAudit } from '../audit-log.js';
import { revalidateApplications } from '../revalidate-applications.js';
import { toCorrectionSet, attachmentTargetKey } from './correction-set.js';
import { ZCorrectionRequest, type TCorrectionRequest } from './correction-request.js';
import { insertCorrection, loadCorrections, type CorrectionRow, type NewCorrection } from './correction-store.js';
import { currentAttachment, currentProjectLine, loadMessageReading } from './correction-targets.js';
import { setApplicationIdentity } from './identity-correction.js';

export interface CorrectionContext {
  actor: string;
  profile: TCampaignProfile;
  directory: ApplicantDirectory;
}

interface AppState {
  id: number;
  receiptNo: string;
  applicant: { code: string; name: string } | null;
  cluster: string | null;
  field: string | null;
  metrics: Record<string, unknown>;
  active: CorrectionRow[];
}

type Draft = Omit<NewCorrection, 'applicationId' | 'reason' | 'actor'>;

const refused = (message: string) => new AppError('INVALID_INPUT', { message, permanent: true });

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

async function loadState(q: Queryable, applicationId: number): Promise<AppState> {
  const rows = await q.query<{
    receipt_no: string;
    applicant_code: string | null;
    applicant_name: string | null;
    cluster: string | null;
    field: string | null;
    evaluation: { metrics?: Record<string, unknown> } | null;
  }>('select receipt_no, applicant_code, applicant_name, cluster, field, evaluation from applications where id = $1', [
    applicationId,
  ]);
  const a = rows[0];
  if (!a) throw new AppError('NOT_FOUND', { message: '申报不存在', permanent: true });
  return {
    id: applicationId,
    receiptNo: a.receipt_no,
    applicant: a.applicant_code ? { code: a.applicant_code, name: a.applicant_name ?? a.applicant_code } : null,
    cluster: a.cluster,
    field: a.field,
    metrics: a.evaluation?.metrics ?? {},
    active: (await loadCorrections(q, [applicationId])).get(applicationId) ?? [],
  };
}

/**
 * `old_value` is always what the value was before staff touched it: a second
 * correction of the same target carries the first one's forward, so the
 * history reads reading → correction, and removing a correction of who the
 * application is can restore it.
 */
function originalValue(
  state: AppState,
  d: Pick<Draft, 'scope' | 'messageSha256' | 'targetKey' | 'field'>,
  now: unknown,
) {
  const prior = state.active.find(
    (c) =>
      c.scope === d.scope && c.messageSha256 === d.messageSha256 && c.targetKey === d.targetKey && c.field === d.field,
  );
  return prior ? prior.oldValue : now;
}

function factDraft(state: AppState, field: string, now: unknown, value: unknown): Draft {
  if (same(now, value)) throw refused('与当前值相同，无需校正');
  const d = { scope: 'application' as const, messageSha256: null, targetKey: '', projectKey: null, field };
  return { ...d, oldValue: originalValue(state, d, now), newValue: value };
}

async function projectDrafts(
  q: Queryable,
  state: AppState,
  r: Extract<TCorrectionRequest, { kind: 'project' }>,
): Promise<Draft[]> {
  const m = await loadMessageReading(q, state.id, r.messageSha256);
  const line = m ? currentProjectLine(m, r.refKey, toCorrectionSet(state.active)) : null;
  if (!line) throw refused('找不到该项目行（可能已重新处理），请刷新页面后重试');
  const base = { scope: 'project' as const, messageSha256: r.messageSha256, targetKey: r.refKey };
  const key = projectKey(line.reading);
  const excludedNow = line.effective === null;
  const draft = (field: string, now: unknown, value: unknown): Draft => {
    const d = { ...base, projectKey: key, field };
    return { ...d, oldValue: originalValue(state, d, now), newValue: value };
  };
  // marking a row "not a project" (or back) is the one change recorded; its other cells stay as they are
  if (r.notProject !== excludedNow) return [draft('notProject', excludedNow, r.notProject)];
  if (excludedNow) throw refused('该行已标记为“不是项目”，请先取消该标记');
  const now = line.effective!;
  const out = PROJECT_FIELDS.filter((f: ProjectField) => !same(now[f], r[f])).map((f) => draft(f, now[f], r[f]));
  if (out.length === 0) throw refused('与当前值相同，无需校正');
  return out;
}

function addedDraft(state: AppState, r: Extract<TCorrectionRequest, { kind: 'project-added' }>): Draft {
  const value = {
    name: r.name,
    owner: r.owner,
    location: r.location,
    totalInvestment: r.totalInvestment,
    period: r.period,
  };
  const targetKey = r.targetKey ?? `add-${randomBytes(8).toString('hex')}`;
  const prior = r.targetKey
    ? state.active.find((c) => c.scope === 'project-added' && c.targetKey === r.targetKey)
    : undefined;
  if (r.targetKey && !prior) throw refused('找不到该补录项目（可能已撤销），请刷新页面后重试');
  if (prior && same(prior.newValue, value)) throw refused('与当前值相同，无需校正');
  return {
    scope: 'project-added',
    messageSha256: null,
    targetKey,
    projectKey: projectKey(value),
    field: 'row',
    oldValue: null,
    newValue: value,
  };
}

async function attachmentDrafts(
  q: Queryable,
  state: AppState,
  r: Extract<TCorrectionRequest, { kind: 'attachment' }>,
): Promise<Draft[]> {
  const m = await loadMessageReading(q, state.id, r.messageSha256);
  const att = m ? currentAttachment(m, r, toCorrectionSet(state.active)) : null;
  if (!att) throw refused('找不到该附件，请刷新页面后重试');
  const base = {
    scope: 'attachment' as const,
    messageSha256: r.messageSha256,
    targetKey: attachmentTargetKey(att.reading.sha256, att.reading.path),
    projectKey: null,
  };
  const roles = [...new Set(r.roles)].sort();
  const out: Draft[] = [];
  if (att.effective.copy !== r.copy) {
    const d = { ...base, field: 'copy' };
    out.push({ ...d, oldValue: originalValue(state, d, att.effective.copy), newValue: r.copy });
  }
  if (!same([...att.effective.roles].sort(), roles)) {
    const d = { ...base, field: 'roles' };
    out.push({ ...d, oldValue: originalValue(state, d, att.effective.roles), newValue: roles });
  }
  if (out.length === 0) throw refused('与当前值相同，无需校正');
  return out;
}

async function drafts(q: Queryable, state: AppState, r: TCorrectionRequest, ctx: CorrectionContext): Promise<Draft[]> {
  switch (r.kind) {
    case 'applicant': {
      const unit = ctx.directory.byCode.get(r.applicantCode);
      if (!unit) throw refused('申报单位不在吉林省的市（州）、县（市）名单中');
      return [factDraft(state, 'applicant', state.applicant, { code: unit.code, name: unit.name })];
    }
    case 'cluster':
      return [factDraft(state, 'cluster', state.cluster, r.value)];
    case 'field':
      return [factDraft(state, 'field', state.field, r.value)];
    case 'totalOutput2019':
    case 'largeEnterprises':
    case 'dataYear':
      return [factDraft(state, r.kind, state.metrics[r.kind] ?? null, r.value)];
    case 'project':
      return projectDrafts(q, state, r);
    case 'project-added':
      return [addedDraft(state, r)];
    case 'attachment':
      return attachmentDrafts(q, state, r);
  }
}

/**
 * Record a staff correction (one row per changed field, never touching what
 * was read), log it in the audit log, and re-evaluate the flags at once —
 * this application's and those of applications sharing a project with it.
 * The 回执 is not touched: staff preview and resend it if they choose.
 */
export async function correctApplication(
  db: Db,
  applicationId: number,
  request: unknown,
  ctx: CorrectionContext,
): Promise<{ correctionIds: number[]; revalidated: number[] }> {
  const parsed = ZCorrectionRequest.safeParse(request);
  if (!parsed.success) throw refused(parsed.error.issues[0]?.message ?? '输入无效');
  const r = parsed.data;
  const correctionIds = await db.tx(async (q) => {
    // who the application is decides its group: take the applicant locks before the row lock
    if (r.kind === 'applicant' || r.kind === 'cluster')
      await lockApplicantsOf(q, ctx.profile, [applicationId], r.kind === 'applicant' ? [r.applicantCode] : []);
    const exists = await q.query('select 1 from applications where id = $1', [applicationId]);
    if (!exists[0]) throw new AppError('NOT_FOUND', { message: '申报不存在', permanent: true });
    await lockApplication(q, applicationId);
    const state = await loadState(q, applicationId);
    const ids: number[] = [];
    for (const d of await drafts(q, state, r, ctx)) {
      const id = await insertCorrection(q, { ...d, applicationId, reason: r.reason, actor: ctx.actor });
      ids.push(id);
      await writeAudit(q, {
        actor: ctx.actor,
        action: 'correction',
        applicationId,
        details: {
          correctionId: id,
          scope: d.scope,
          field: d.field,
          target: d.targetKey,
          from: d.oldValue,
          to: d.newValue,
          reason: r.reason,
        },
      });
    }
    if (r.kind === 'applicant' || r.kind === 'cluster') {
      const unit = r.kind === 'applicant' ? ctx.directory.byCode.get(r.applicantCode)! : null;
      await setApplicationIdentity(
        q,
        applicationId,
        {
          applicant: unit ? { code: unit.code, name: unit.name } : state.applicant,
          cluster: r.kind === 'cluster' ? r.value : state.cluster,
        },
        ctx.profile,
      );
    }
    return ids;
  });
  const { validated } = await revalidateApplications(db, [applicationId], ctx.profile);
  return { correctionIds, revalidated: validated };
}
