import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
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
  reprocess: '已提交重新处理，稍后刷新查看结果。',
  resend: '已提交重发回执。',
};

export function registerPageRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/', async (req, reply) => {
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

  app.get('/applications', async (req, reply) => {
    const q = parseTableQuery(req.query as Record<string, unknown>);
    const page = await loadTablePage(deps, q);
    const body = renderTableBody({ ...page, query: q, profile: deps.profile, directory: deps.directory });
    return sendPage(req, reply, deps, '申报登记表', 'applications', body);
  });

  // the live refresh's fragment: the same rows, rendered by the same code
  app.get('/applications/rows', async (req, reply) => {
    const q = parseTableQuery(req.query as Record<string, unknown>);
    const page = await loadTablePage(deps, q);
    const empty = page.registerEmpty ? '尚未收到申报邮件。' : '没有符合条件的申报。';
    const frag = html`<table>${renderTbody(page.rows, deps.profile.timezone, { version: page.version, total: page.total }, empty)}</table>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(frag.value);
  });

  app.get<{ Params: { ref: string } }>('/applications/:ref', async (req, reply) => {
    const app0 = await getApplication(deps.db, parseAppRef(req.params.ref));
    if (!app0) throw new HttpError(404, `没有受理编号或编号为 ${req.params.ref} 的申报`);
    const [audit, evidence, ackTexts] = await Promise.all([
      listAuditLog(deps.db, app0.id),
      loadEvidence(deps.db, app0.id),
      loadAckTexts(
        deps.db,
        app0.messages.map((m) => m.sha256),
      ),
    ]);
    const doneParam = (req.query as Record<string, unknown>).done;
    const done = typeof doneParam === 'string' ? doneParam : '';
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
      notice: NOTICES[done] ?? null,
    });
    return sendPage(req, reply, deps, app0.receiptNo, 'applications', body);
  });

  app.get('/downloads', async (req, reply) => {
    const body = html`<h1>导出</h1><section class="panel"><h2>申报登记表</h2>
<p>与命令行 <code>intake register export</code> 输出相同。</p>
<p class="inline-form"><a class="btn" href="/export/register.xlsx">Excel（.xlsx）</a><a class="btn light" href="/export/register.csv">CSV</a><a class="btn light" href="/export/register.json">JSON</a></p>
<p class="sub">各申报的当前材料（zip，供专家评审）可在申报详情页下载。</p></section>`;
    return sendPage(req, reply, deps, '导出', 'downloads', body);
  });
}
