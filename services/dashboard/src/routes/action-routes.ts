import type { FastifyInstance } from 'fastify';
import {
  getApplication,
  isReviewStatus,
  reassignMessage,
  setReviewStatus,
  validateApplication,
  type ReassignTarget,
} from '@intake/register-store';
import { redirectSeeOther, requireReviewer } from '../auth-hooks.js';
import { HttpError, type DashboardDeps } from '../context.js';
import { parseAppRef } from './page-routes.js';

/** A posted form; absent when the request had no (url-encoded) body at all. */
type Form = Record<string, string | undefined> | undefined;

/** Re-run the checks on applications a move touched, following DUPLICATE_PROJECT peers one level. */
async function revalidate(deps: DashboardDeps, ids: number[]): Promise<void> {
  const seen = new Set<number>();
  let queue = [...ids];
  for (let round = 0; round < 3 && queue.length; round++) {
    const next: number[] = [];
    for (const id of queue) {
      if (seen.has(id)) continue;
      seen.add(id);
      const r = await validateApplication(deps.db, id, deps.profile);
      next.push(...r.peersToRevalidate);
    }
    queue = next;
  }
}

export function registerActionRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.post<{ Params: { ref: string }; Body: Form }>('/applications/:ref/review', async (req, reply) => {
    const user = requireReviewer(req);
    const target = await getApplication(deps.db, parseAppRef(req.params.ref));
    if (!target) throw new HttpError(404, '申报不存在');
    const status = req.body?.status ?? '';
    if (!isReviewStatus(status)) throw new HttpError(400, '审核状态无效');
    const note = (req.body?.note ?? '').trim().slice(0, 2000) || null;
    if (status === 'preliminary-failed' && !note) throw new HttpError(400, '初审不通过时请填写审核意见');
    await setReviewStatus(deps.db, target.id, status, note, user.username);
    deps.logger.info(
      { code: 'dashboard.review-status', applicationId: target.id, status, actor: user.username },
      'review status changed',
    );
    return redirectSeeOther(reply, `/applications/${target.id}?done=review`);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/messages/:id/reassign', async (req, reply) => {
    const user = requireReviewer(req);
    const messageRowId = Number(req.params.id);
    if (!Number.isSafeInteger(messageRowId)) throw new HttpError(400, '邮件编号无效');
    const receiptNo = (req.body?.receiptNo ?? '').trim();
    const applicantCode = (req.body?.applicantCode ?? '').trim();
    let target: ReassignTarget;
    if (receiptNo) {
      const to = await getApplication(deps.db, receiptNo);
      if (!to) throw new HttpError(400, `受理编号 ${receiptNo} 不存在`);
      target = { applicationId: to.id };
    } else if (applicantCode) {
      const unit = deps.directory.byCode.get(applicantCode);
      if (!unit) throw new HttpError(400, '申报单位无效');
      const cluster = (req.body?.cluster ?? '').trim().slice(0, 200) || null;
      target = { applicantCode: unit.code, applicantName: unit.name, cluster };
    } else {
      throw new HttpError(400, '请填写目标受理编号或选择申报单位');
    }
    const result = await reassignMessage(deps.db, messageRowId, target, user.username, deps.profile);
    await revalidate(deps, result.affectedApplicationIds);
    deps.logger.info(
      { code: 'dashboard.message-reassigned', messageRowId, to: result.applicationId, actor: user.username },
      'message reassigned',
    );
    return redirectSeeOther(reply, `/applications/${result.applicationId}?done=reassign`);
  });

  app.post<{ Params: { ref: string } }>('/applications/:ref/reprocess', async (req, reply) => {
    const user = requireReviewer(req);
    if (!deps.triggers) throw new HttpError(501, '此部署未启用重新处理');
    const target = await getApplication(deps.db, parseAppRef(req.params.ref));
    if (!target) throw new HttpError(404, '申报不存在');
    await deps.triggers.reprocess(target.receiptNo);
    deps.logger.info(
      { code: 'dashboard.reprocess-requested', receiptNo: target.receiptNo, actor: user.username },
      'reprocess requested',
    );
    return redirectSeeOther(reply, `/applications/${target.id}?done=reprocess`);
  });

  app.post<{ Params: { sha: string } }>('/messages/:sha/resend-reply', async (req, reply) => {
    const user = requireReviewer(req);
    if (!deps.triggers) throw new HttpError(501, '此部署未启用重发回执');
    if (!/^[0-9a-f]{64}$/.test(req.params.sha)) throw new HttpError(400, '邮件标识无效');
    const rows = await deps.db.query<{ application_id: number }>(
      'select application_id from messages where sha256 = $1',
      [req.params.sha],
    );
    const appId = rows[0]?.application_id;
    if (appId === undefined) throw new HttpError(404, '邮件不存在');
    await deps.triggers.resendAck(req.params.sha);
    deps.logger.info(
      { code: 'dashboard.resend-requested', sha256: req.params.sha, actor: user.username },
      'reply resend requested',
    );
    return redirectSeeOther(reply, `/applications/${appId}?done=resend`);
  });
}
