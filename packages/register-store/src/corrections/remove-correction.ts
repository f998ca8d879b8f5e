import { AppError, type TCampaignProfile } from '@intake/domain';
import type { Db } from '../db.js';
import { lockApplicantsOf, lockApplication } from '../application-groups.js';
import { writeAudit } from '../audit-log.js';
import { revalidateApplications } from '../revalidate-applications.js';
import { ZApplicantValue } from './correction-set.js';
import { ZRemoveCorrection } from './correction-request.js';
import { getCorrection, markCorrectionRemoved } from './correction-store.js';
import { setApplicationIdentity } from './identity-correction.js';

const refused = (message: string) => new AppError('INVALID_INPUT', { message, permanent: true });

/**
 * Staff remove a correction: from then on the reading counts again. Removing
 * a correction of who the application is gives the application back the
 * identity it had before staff corrected it (old_value), if no other
 * application holds that identity by now.
 */
export async function removeCorrection(
  db: Db,
  applicationId: number,
  correctionId: number,
  request: unknown,
  ctx: { actor: string; profile: TCampaignProfile },
): Promise<{ revalidated: number[] }> {
  const parsed = ZRemoveCorrection.safeParse(request);
  if (!parsed.success) throw refused(parsed.error.issues[0]?.message ?? '输入无效');
  const { reason } = parsed.data;
  await db.tx(async (q) => {
    const c = await getCorrection(q, correctionId);
    if (!c || c.applicationId !== applicationId)
      throw new AppError('NOT_FOUND', { message: '校正记录不存在', permanent: true });
    if (c.removedAt) throw refused('该校正已撤销');
    const identity = c.scope === 'application' && (c.field === 'applicant' || c.field === 'cluster');
    const before = identity && c.field === 'applicant' ? ZApplicantValue.safeParse(c.oldValue) : null;
    if (identity)
      await lockApplicantsOf(q, ctx.profile, [applicationId], [before?.success ? (before.data?.code ?? null) : null]);
    await lockApplication(q, applicationId);
    if (identity) {
      const row = (
        await q.query<{ applicant_code: string | null; applicant_name: string | null; cluster: string | null }>(
          'select applicant_code, applicant_name, cluster from applications where id = $1',
          [applicationId],
        )
      )[0]!;
      const applicant = row.applicant_code
        ? { code: row.applicant_code, name: row.applicant_name ?? row.applicant_code }
        : null;
      await setApplicationIdentity(
        q,
        applicationId,
        c.field === 'applicant'
          ? { applicant: before?.success ? before.data : applicant, cluster: row.cluster }
          : { applicant, cluster: typeof c.oldValue === 'string' ? c.oldValue : null },
        ctx.profile,
      );
    }
    if (!(await markCorrectionRemoved(q, correctionId, ctx.actor, reason))) throw refused('该校正已撤销');
    await writeAudit(q, {
      actor: ctx.actor,
      action: 'correction-removed',
      applicationId,
      details: { correctionId, scope: c.scope, field: c.field, target: c.targetKey, value: c.newValue, reason },
    });
  });
  const { validated } = await revalidateApplications(db, [applicationId], ctx.profile);
  return { revalidated: validated };
}
