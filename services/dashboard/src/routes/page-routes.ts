import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type ApplicationDetail,
  getApplication,
  getOverviewStats,
  listApplications,
  listAuditLog,
  listMissingApplicants,
} from '@intake/register-store';
import { requireUser } from '../auth-hooks.js';
import { csrfFor, HttpError, type DashboardDeps } from '../context.js';
import { html, toDocument, type SafeHtml } from '../html.js';
import { getRegisterVersion, loadEvidence, loadAckTexts } from '@intake/register-store';
import { parseTableQuery, toListOptions, type TableQuery } from '../table-query.js';
import { renderApplicationBody } from '../views/application-view.js';
import { loadApplicationExtensions } from '../views/application-extensions.js';
import type { FormError } from '../views/correction-forms.js';
import { renderLayout } from '../views/layout.js';
import { renderOverviewBody } from '../views/overview-view.js';
import { renderTableBody, renderTbody } from '../views/table-view.js';

export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: DashboardDeps,
  title: string,
  active: string,
  body: SafeHtml,
): FastifyReply {
  const ctx = { user: requireUser(req), csrf: csrfFor(req, reply), campaignTitle: '' };
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(toDocument(renderLayout(ctx, { title, active, body })));
}

function hasFilters(q: TableQuery): boolean {
  return !!(q.flag || q.applicantCode || q.field || q.reviewStatus || q.search || q.problems);
}

/** The register table's first page: one indexed query plus the version; what the bench times. */
export async function loadTablePage(deps: DashboardDeps, q: TableQuery) {
  const [list, version] = await Promise.all([listApplications(deps.db, toListOptions(q)), getRegisterVersion(deps.db)]);
  return { ...list, version, registerEmpty: list.total === 0 && !hasFilters(q) };
}

/** Numeric ids and receipt numbers (2020-0007, or a message's 2020-0007-2) both open an application. */
export function parseAppRef(raw: string): number | string {
  return /^\d+$/.test(raw) ? Number(raw) : raw.slice(0, 40);
}

const NOTICES: Record<string, string> = {
  review: '审核结论已保存。',
  reassign: '邮件归属已修改，相关申报已重新校验。',
  reprocess: '已重新处理：按当前程序重新读取了邮件，人工校正全部保留。',
  resend: '已提交重发回执。',
  correction: '校正已保存，问题标记已按校正后的数据重新校验。回执不会自动重发：可先预览，再决定是否重发。',
  'correction-removed': '校正已撤销，该项恢复为读取值，问题标记已重新校验。',
  merge: '申报已合并，原受理编号仍可查找并转到本页。',
  split: '所选邮件已移入新申报。',
  'sender-confirmed': '已确认该发件邮箱，问题标记已重新校验。回执不会自动重发。',
  'sender-rejected': '已否认该发件邮箱，问题标记已重新校验。',
};

/**
 * The application page, for a GET and for a refused form (re-rendered with
 * the form open, its message and what was typed, status 400).
 */
export async function sendApplicationPage(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: DashboardDeps,
  app0: ApplicationDetail,
  opts: { notice?: string | null; formError?: FormError | null; status?: number },
): Promise<FastifyReply> {
  const [audit, evidence, ackTexts, extensions] = await Promise.all([
    listAuditLog(deps.db, app0.id),
    loadEvidence(deps.db, app0.id),
    loadAckTexts(
      deps.db,
      app0.messages.map((m) => m.sha256),
    ),
    loadApplicationExtensions(deps, app0),
  ]);
  const body = renderApplicationBody({
    app: app0,
    audit,
    evidence,
    ackTexts,
    profile: deps.profile,
    directory: deps.directory,
    user: requireUser(req),
    csrf: csrfFor(req, reply),
    canTrigger: !!deps.triggers,
    canPreviewAck: !!deps.triggers?.previewAck,
    notice: opts.notice ?? null,
    formError: opts.formError ?? null,
    extensions,
  });
  if (opts.status) reply.code(opts.status);
  return sendPage(req, reply, deps, app0.receiptNo, 'applications', body);
}

export function registerPageRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/', { config: { access: 'viewer' } }, async (req, reply) => {
    const [stats, missing] = await Promise.all([
      getOverviewStats(deps.db, deps.profile),
      listMissingApplicants(deps.db, deps.directory),
    ]);
    const body = renderOverviewBody({
      stats,
      missing,
      profile: deps.profile,
      ...(deps.smtpConfigured === undefined ? {} : { smtpConfigured: deps.smtpConfigured }),
    });
    return sendPage(req, reply, deps, '总览', 'overview', body);
  });

  app.get('/applications', { config: { access: 'viewer' } }, async (req, reply) => {
    const q = parseTableQuery(req.query as Record<string, unknown>);
    const page = await loadTablePage(deps, q);
    const body = renderTableBody({ ...page, query: q, profile: deps.profile, directory: deps.directory });
    return sendPage(req, reply, deps, '申报登记表', 'applications', body);
  });

  // the live refresh's fragment: the same rows, rendered by the same code
  app.get('/applications/rows', { config: { access: 'viewer' } }, async (req, reply) => {
    const q = parseTableQuery(req.query as Record<string, unknown>);
    const page = await loadTablePage(deps, q);
    const empty = page.registerEmpty ? '尚未收到申报邮件。' : '没有符合条件的申报。';
    const frag = html`<table>${renderTbody(page.rows, deps.profile.timezone, { version: page.version, total: page.total }, empty)}</table>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(frag.value);
  });

  app.get<{ Params: { ref: string } }>('/applications/:ref', { config: { access: 'viewer' } }, async (req, reply) => {
    const ref = parseAppRef(req.params.ref);
    const app0 = await getApplication(deps.db, ref);
    if (!app0) throw new HttpError(404, `没有受理编号或编号为 ${req.params.ref} 的申报`);
    // a receipt number merged into another application leads there, and the page says so
    if (typeof ref === 'string' && app0.retiredReceiptNos.includes(ref))
      return reply.redirect(`/applications/${app0.id}?from=${encodeURIComponent(ref)}`, 302);
    const query = req.query as Record<string, unknown>;
    const done = typeof query.done === 'string' ? query.done : '';
    const from = typeof query.from === 'string' && app0.retiredReceiptNos.includes(query.from) ? query.from : null;
    const notice = from ? `受理编号 ${from} 已并入本申报（${app0.receiptNo}）。` : (NOTICES[done] ?? null);
    return sendApplicationPage(req, reply, deps, app0, { notice });
  });

  app.get('/downloads', { config: { access: 'viewer' } }, async (req, reply) => {
    const body = html`<h1>导出</h1><section class="panel"><h2>申报登记表</h2>
<p>与命令行 <code>intake register export</code> 输出相同。</p>
<p class="inline-form"><a class="btn" href="/export/register.xlsx">Excel（.xlsx）</a><a class="btn light" href="/export/register.csv">CSV</a><a class="btn light" href="/export/register.json">JSON</a></p>
<p class="sub">各申报的当前材料（zip，供专家评审）可在申报详情页下载。</p></section>`;
    return sendPage(req, reply, deps, '导出', 'downloads', body);
  });
}
