import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '@intake/domain';
import {
  correctApplication,
  getApplication,
  getMessageBySha,
  mergeApplications,
  removeCorrection,
  splitMessages,
} from '@intake/register-store';
import { redirectSeeOther, requireReviewer } from '../auth-hooks.js';
import { csrfFor, HttpError, type DashboardDeps } from '../context.js';
import { html } from '../html.js';
import type { FormError } from '../views/correction-forms.js';
import { sendApplicationPage, sendPage } from './page-routes.js';

/** A url-encoded form: repeated names (checkboxes) arrive as arrays. */
type Form = Record<string, string | string[] | undefined> | undefined;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

/** The form's fields as the store's request: checkboxes become booleans and lists; zod validates the rest. */
export function correctionRequestFromForm(body: Form): Record<string, unknown> {
  const f = body ?? {};
  const kind = one(f.kind);
  const base: Record<string, unknown> = { kind, reason: one(f.reason) };
  const fields = (names: string[]) => Object.fromEntries(names.map((n) => [n, one(f[n])]));
  switch (kind) {
    case 'applicant':
      return { ...base, applicantCode: one(f.applicantCode) };
    case 'project':
      return {
        ...base,
        ...fields(['messageSha256', 'refKey', 'name', 'owner', 'location', 'totalInvestment', 'period']),
        notProject: one(f.notProject) === 'on',
      };
    case 'project-added': {
      const r = { ...base, ...fields(['name', 'owner', 'location', 'totalInvestment', 'period']) };
      return one(f.targetKey) ? { ...r, targetKey: one(f.targetKey) } : r;
    }
    case 'attachment':
      return { ...base, ...fields(['messageSha256', 'sha256', 'path', 'copy']), roles: many(f.roles) };
    default:
      return { ...base, value: one(f.value) };
  }
}

function formErrorOf(body: Form, message: string, fallbackForm: string): FormError {
  const form = one(body?.form);
  return { form: /^fix-[a-z0-9-]{1,60}$/.test(form) ? form : fallbackForm, message, values: { ...(body ?? {}) } };
}

async function targetApp(deps: DashboardDeps, rawId: string) {
  const id = Number(rawId);
  const app = Number.isSafeInteger(id) ? await getApplication(deps.db, id) : null;
  if (!app) throw new HttpError(404, '申报不存在');
  return app;
}

/**
 * Run a staff action; a refusal the user can fix (INVALID_INPUT) comes back
 * as the application page with the form open and the message on it.
 */
async function withFormErrors(
  req: FastifyRequest<{ Params: { id: string }; Body: Form }>,
  reply: FastifyReply,
  deps: DashboardDeps,
  fallbackForm: string,
  action: () => Promise<string>,
): Promise<FastifyReply> {
  let to: string;
  try {
    to = await action();
  } catch (err) {
    if (!isAppError(err, 'INVALID_INPUT')) throw err;
    const app = await targetApp(deps, req.params.id);
    const formError = formErrorOf(req.body, err.message, fallbackForm);
    return sendApplicationPage(req, reply, deps, app, { formError, status: 400 });
  }
  return redirectSeeOther(reply, to);
}

export function registerCorrectionRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const reviewer = { config: { access: 'reviewer' } } as const;
  const ctxOf = (req: FastifyRequest) => ({ actor: requireReviewer(req).username, profile: deps.profile });

  app.post<{ Params: { id: string }; Body: Form }>('/applications/:id/corrections', reviewer, async (req, reply) => {
    const target = await targetApp(deps, req.params.id);
    return withFormErrors(req, reply, deps, 'fix-unknown', async () => {
      const r = await correctApplication(deps.db, target.id, correctionRequestFromForm(req.body), {
        ...ctxOf(req),
        directory: deps.directory,
      });
      deps.logger.info(
        {
          code: 'dashboard.correction',
          applicationId: target.id,
          correctionIds: r.correctionIds,
          actor: req.user?.username,
        },
        'register corrected',
      );
      return `/applications/${target.id}?done=correction#corrections`;
    });
  });

  app.post<{ Params: { id: string; cid: string }; Body: Form }>(
    '/applications/:id/corrections/:cid/remove',
    reviewer,
    async (req, reply) => {
      const target = await targetApp(deps, req.params.id);
      const cid = Number(req.params.cid);
      if (!Number.isSafeInteger(cid)) throw new HttpError(400, '校正编号无效');
      return withFormErrors(req, reply, deps, `fix-remove-${cid}`, async () => {
        await removeCorrection(deps.db, target.id, cid, { reason: one(req.body?.reason) }, ctxOf(req));
        deps.logger.info(
          {
            code: 'dashboard.correction-removed',
            applicationId: target.id,
            correctionId: cid,
            actor: req.user?.username,
          },
          'correction removed',
        );
        return `/applications/${target.id}?done=correction-removed#corrections`;
      });
    },
  );

  app.post<{ Params: { id: string }; Body: Form }>('/applications/:id/merge', reviewer, async (req, reply) => {
    const target = await targetApp(deps, req.params.id);
    return withFormErrors(req, reply, deps, 'fix-merge', async () => {
      const r = await mergeApplications(
        deps.db,
        target.id,
        { intoReceiptNo: one(req.body?.intoReceiptNo), reason: one(req.body?.reason) },
        ctxOf(req),
      );
      deps.logger.info(
        {
          code: 'dashboard.applications-merged',
          from: target.receiptNo,
          into: r.applicationId,
          actor: req.user?.username,
        },
        'applications merged',
      );
      return `/applications/${r.applicationId}?done=merge`;
    });
  });

  app.post<{ Params: { id: string }; Body: Form }>('/applications/:id/split', reviewer, async (req, reply) => {
    const target = await targetApp(deps, req.params.id);
    return withFormErrors(req, reply, deps, 'fix-split', async () => {
      const r = await splitMessages(
        deps.db,
        target.id,
        {
          messageRowIds: many(req.body?.messageRowIds).map(Number),
          applicantCode: one(req.body?.applicantCode),
          cluster: one(req.body?.cluster),
          reason: one(req.body?.reason),
        },
        { ...ctxOf(req), directory: deps.directory },
      );
      deps.logger.info(
        {
          code: 'dashboard.application-split',
          from: target.receiptNo,
          into: r.applicationId,
          actor: req.user?.username,
        },
        'application split',
      );
      return `/applications/${r.applicationId}?done=split`;
    });
  });

  // what a resent 回执 would say now: corrections never change a sent reply by themselves
  app.get<{ Params: { sha: string } }>(
    '/messages/:sha/ack-preview',
    { config: { access: 'viewer' } },
    async (req, reply) => {
      if (!/^[0-9a-f]{64}$/.test(req.params.sha)) throw new HttpError(400, '邮件标识无效');
      const triggers = deps.triggers;
      if (!triggers?.previewAck) throw new HttpError(501, '此部署未启用回执预览');
      const msg = await getMessageBySha(deps.db, req.params.sha);
      if (!msg) throw new HttpError(404, '邮件不存在');
      const r = await triggers.previewAck(msg.sha256);
      const canResend = !!deps.triggers && (req.user?.role === 'reviewer' || req.user?.role === 'admin');
      const csrf = csrfFor(req, reply);
      const body = html`<p class="sub"><a href="/applications/${msg.applicationId}">← 返回申报 ${msg.receiptNo}</a></p>
<h1>回执预览：${msg.receiptNo}</h1>
<div class="notice">按当前登记信息（含人工校正）重新生成的回执内容，尚未发送。已发出的回执不会因校正而改变；是否重发由工作人员决定。</div>
<section class="panel"><p>收件人：${r.to}</p><p>主题：${r.subject}</p><pre class="reply ack-preview">${r.text}</pre>
${canResend ? html`<form method="post" action="/messages/${msg.sha256}/resend-reply"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">按此内容重发回执</button></form>` : ''}</section>`;
      return sendPage(req, reply, deps, `回执预览 ${msg.receiptNo}`, 'applications', body);
    },
  );
}
