import { z } from 'zod';
import { AppError, type ApplicantDirectory, type TCampaignProfile } from '@intake/domain';
import type { Db, Queryable } from './db.js';
import {
  applicantNames,
  findOrCreate,
  lockApplicantsOf,
  lockApplication,
  lockKey,
  LOCK_MESSAGE,
  moveMessage,
} from './application-groups.js';
import { writeAudit } from './audit-log.js';
import { ZReason } from './corrections/correction-request.js';
import { applicationGroupKey, normalizeClusterName } from './normalize.js';
import { revalidateApplications } from './revalidate-applications.js';

/**
 * Staff put mail together or apart: merge two applications of one applicant
 * (the retired receipt number keeps leading to the merged one), or move some
 * messages of an application into a new one (a second cluster the reader
 * took for the first). Moved messages are marked assigned by hand, so a
 * reprocess never moves them back; their corrections travel with them.
 */
const refused = (message: string) => new AppError('INVALID_INPUT', { message, permanent: true });

export interface StaffContext {
  actor: string;
  profile: TCampaignProfile;
}

interface AppRow {
  id: number;
  receipt_no: string;
  applicant_code: string | null;
  applicant_name: string | null;
}

async function appRow(q: Queryable, id: number): Promise<AppRow> {
  const rows = await q.query<AppRow>(
    'select id, receipt_no, applicant_code, applicant_name from applications where id = $1',
    [id],
  );
  if (!rows[0]) throw new AppError('NOT_FOUND', { message: '申报不存在', permanent: true });
  return { ...rows[0], id: rows[0].id };
}

async function messagesOf(q: Queryable, applicationId: number): Promise<Array<{ id: number; identity_key: string }>> {
  const rows = await q.query<{ id: number; identity_key: string }>(
    'select id, identity_key from messages where application_id = $1 order by received_at, id',
    [applicationId],
  );
  return rows.map((r) => ({ id: r.id, identity_key: r.identity_key }));
}

/** Move messages under their identity locks (the order registerMessage takes them), then revalidate. */
async function moveAll(
  q: Queryable,
  msgs: Array<{ id: number; identity_key: string }>,
  fromId: number,
  toId: number,
  opts: { actor: string; retireReason: string },
): Promise<number[]> {
  const affected = new Set<number>([fromId, toId]);
  for (const m of msgs) {
    for (const id of await moveMessage(q, m.id, fromId, toId, true, opts)) affected.add(id);
    await q.query('update messages set assigned_manually = true, updated_at = now() where id = $1', [m.id]);
  }
  return [...affected];
}

export const ZMergeRequest = z.object({
  intoReceiptNo: z
    .string({ error: '请填写要并入的受理编号' })
    .trim()
    .regex(/^\d{4}-\d{4}$/, '请填写要并入的受理编号，如 2020-0003'),
  reason: ZReason,
});

/**
 * Merge application `fromId` into the application numbered `intoReceiptNo`:
 * all its messages move there, its receipt number redirects there, its own
 * corrections move there unless the target corrected the same fact.
 */
export async function mergeApplications(
  db: Db,
  fromId: number,
  request: unknown,
  ctx: StaffContext,
): Promise<{ applicationId: number; revalidated: number[] }> {
  const parsed = ZMergeRequest.safeParse(request);
  if (!parsed.success) throw refused(parsed.error.issues[0]?.message ?? '输入无效');
  const { intoReceiptNo, reason } = parsed.data;
  const { intoId, affected } = await db.tx(async (q) => {
    const from = await appRow(q, fromId);
    const target = await q.query<{ id: number }>('select id from applications where receipt_no = $1', [intoReceiptNo]);
    if (!target[0]) throw refused(`受理编号 ${intoReceiptNo} 不存在`);
    const into = await appRow(q, target[0].id);
    if (into.id === from.id) throw refused('不能把申报并入它自己');
    if (from.applicant_code && from.applicant_code !== into.applicant_code)
      throw refused('只能合并同一申报单位的两份申报（或把未识别单位的申报并入）');
    const msgs = await messagesOf(q, from.id);
    for (const m of msgs) await lockKey(q, LOCK_MESSAGE, m.identity_key);
    await lockApplicantsOf(q, ctx.profile, [from.id, into.id], []);
    for (const id of [from.id, into.id].sort((a, b) => a - b)) await lockApplication(q, id);
    const details = { from: from.receipt_no, into: into.receipt_no, messages: msgs.length, reason };
    await writeAudit(q, { actor: ctx.actor, action: 'applications-merged', applicationId: into.id, details });
    const moved = await moveAll(q, msgs, from.id, into.id, {
      actor: ctx.actor,
      retireReason: `已并入 ${into.receipt_no}：${reason}`,
    });
    return { intoId: into.id, affected: moved };
  });
  const { validated } = await revalidateApplications(db, affected, ctx.profile);
  return { applicationId: intoId, revalidated: validated };
}

export const ZSplitRequest = z.object({
  messageRowIds: z.array(z.number().int().positive()).min(1, '请勾选要移出的邮件').max(500),
  applicantCode: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '请从列表中选择申报单位'),
  cluster: z
    .string({ error: '请填写新申报的产业集群名称' })
    .trim()
    .min(1, '请填写新申报的产业集群名称')
    .max(100, '产业集群名称不能超过100个字'),
  reason: ZReason,
});

/**
 * Move the chosen messages of application `fromId` into a new application of
 * the given applicant and cluster. The cluster must name a group no
 * application holds yet (otherwise staff move the mail to that one).
 */
export async function splitMessages(
  db: Db,
  fromId: number,
  request: unknown,
  ctx: StaffContext & { directory: ApplicantDirectory },
): Promise<{ applicationId: number; revalidated: number[] }> {
  const parsed = ZSplitRequest.safeParse(request);
  if (!parsed.success) throw refused(parsed.error.issues[0]?.message ?? '输入无效');
  const r = parsed.data;
  const unit = ctx.directory.byCode.get(r.applicantCode);
  if (!unit) throw refused('申报单位不在吉林省的市（州）、县（市）名单中');
  const applicant = { code: unit.code, name: unit.name };
  const clusterKey = normalizeClusterName(r.cluster, applicantNames(applicant));
  if (clusterKey === '') throw refused('请填写能区分集群的名称（如“长春市光电信息产业集群”）');
  const { newId, affected } = await db.tx(async (q) => {
    const from = await appRow(q, fromId);
    const all = await messagesOf(q, from.id);
    const chosen = all.filter((m) => r.messageRowIds.includes(m.id));
    if (chosen.length !== new Set(r.messageRowIds).size) throw refused('所选邮件不属于本申报，请刷新页面后重试');
    for (const m of chosen) await lockKey(q, LOCK_MESSAGE, m.identity_key);
    await lockApplicantsOf(q, ctx.profile, [from.id], [applicant.code]);
    const groupKey = applicationGroupKey(ctx.profile.id, applicant.code, clusterKey);
    const holder = await q.query<{ receipt_no: string }>('select receipt_no from applications where group_key = $1', [
      groupKey,
    ]);
    if (holder[0])
      throw refused(`${unit.name}已有该集群的申报 ${holder[0].receipt_no}，请用“改归属”把邮件转到该受理编号`);
    const created = await findOrCreate(q, ctx.profile, groupKey, {
      applicant,
      cluster: r.cluster,
      clusterKey,
      field: null,
    });
    await lockApplication(q, from.id);
    const details = { from: from.receipt_no, into: created.receiptNo, messages: chosen.length, reason: r.reason };
    await writeAudit(q, { actor: ctx.actor, action: 'application-split', applicationId: from.id, details });
    await writeAudit(q, { actor: ctx.actor, action: 'application-split', applicationId: created.id, details });
    const moved = await moveAll(q, chosen, from.id, created.id, {
      actor: ctx.actor,
      retireReason: `邮件已全部移入新申报 ${created.receiptNo}：${r.reason}`,
    });
    return { newId: created.id, affected: moved };
  });
  const { validated } = await revalidateApplications(db, affected, ctx.profile);
  return { applicationId: newId, revalidated: validated };
}
