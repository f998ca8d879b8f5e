import type { FastifyInstance } from 'fastify';
import { isAppError } from '@intake/domain';
import { decideSender, listSenderBook, revalidateApplications } from '@intake/register-store';
import { redirectSeeOther, requireReviewer, requireUser } from '../auth-hooks.js';
import { csrfFor, HttpError, type DashboardDeps } from '../context.js';
import { renderSenderBookBody } from '../views/sender-views.js';
import { sendPage } from './page-routes.js';

type Form = Record<string, string | undefined> | undefined;

/** Where a decision returns to: the application page it was made on, else the address book. */
function backTo(next: string | undefined, done: string): string {
  const m = /^\/applications\/(\d{1,12})$/.exec(next ?? '');
  return m ? `/applications/${m[1]}?done=${done}` : `/senders?done=${done}`;
}

const NOTICES: Record<string, string> = {
  'sender-confirmed': '已确认该发件邮箱，相关申报的问题标记已重新校验。',
  'sender-rejected': '已否认该发件邮箱，相关申报的问题标记已重新校验。',
};

/** The address book (issue 12.1): the page for everyone, decisions for reviewers and admins. */
export function registerSenderRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/senders', { config: { access: 'viewer' } }, async (req, reply) => {
    const done = (req.query as Record<string, unknown>).done;
    const lines = await listSenderBook(deps.db, deps.profile);
    const body = renderSenderBookBody(lines, {
      user: requireUser(req),
      csrf: csrfFor(req, reply),
      timezone: deps.profile.timezone,
      notice: typeof done === 'string' ? (NOTICES[done] ?? null) : null,
    });
    return sendPage(req, reply, deps, '发件邮箱', 'senders', body);
  });

  app.post<{ Body: Form }>('/senders/decide', { config: { access: 'reviewer' } }, async (req, reply) => {
    const user = requireReviewer(req);
    const b = req.body ?? {};
    if (b.applicantCode && !deps.directory.byCode.has(b.applicantCode)) throw new HttpError(400, '申报单位无效');
    let result: Awaited<ReturnType<typeof decideSender>>;
    try {
      result = await decideSender(
        deps.db,
        deps.profile,
        { applicantCode: b.applicantCode, address: b.address, decision: b.decision },
        user.username,
      );
    } catch (err) {
      if (isAppError(err, 'INVALID_INPUT')) throw new HttpError(400, err.message);
      throw err;
    }
    await revalidateApplications(deps.db, result.affectedApplicationIds, deps.profile);
    deps.logger.info(
      {
        code: 'dashboard.sender-decided',
        applicantCode: result.decision.applicantCode,
        decision: result.decision.decision,
        applications: result.affectedApplicationIds,
        actor: user.username,
      },
      'sender address decided',
    );
    return redirectSeeOther(reply, backTo(b.next, `sender-${result.decision.decision}`));
  });
}
