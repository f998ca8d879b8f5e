import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { redirectSeeOther } from '../auth-hooks.js';
import { csrfFor, HttpError, type DashboardDeps } from '../context.js';
import { html } from '../html.js';
import { formatTime } from '../labels.js';
import { sendPage } from './page-routes.js';
import { listMailboxStates } from '@intake/register-store';
import { mailboxHealthPanel } from '../views/mailbox-health.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;
const STATE_LABELS: Record<string, string> = {
  waiting: '等待',
  active: '处理中',
  delayed: '延迟',
  failed: '失败',
  completed: '已完成',
  paused: '暂停',
  prioritized: '优先',
  'waiting-children': '等待子任务',
};

async function queueSummary(q: Queue) {
  const counts = await q.getJobCounts(...STATES);
  const failed = await q.getFailed(0, 49);
  return { name: q.name, counts, failed };
}

/** Admins only (each route's config.access, checked on the matched route): queue internals show job payloads. */
export function registerAdminRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/admin/queues', { config: { access: 'admin' } }, async (req, reply) => {
    const mailboxes = mailboxHealthPanel(await listMailboxStates(deps.db), deps.profile.timezone);
    if (!deps.queues) {
      return sendPage(
        req,
        reply,
        deps,
        '队列状态',
        'queues',
        html`<h1>队列状态</h1>${mailboxes}<div class="panel empty">此进程未连接任务队列（Redis）。</div>`,
      );
    }
    const summaries = await Promise.all(deps.queues.all.map(queueSummary));
    const csrf = csrfFor(req, reply);
    const tz = deps.profile.timezone;
    const body = html`<h1>队列状态</h1>${mailboxes}
<section class="panel"><table><thead><tr><th>队列</th>${STATES.map((s) => html`<th class="num">${STATE_LABELS[s]}</th>`)}</tr></thead><tbody>
${summaries.map((s) => html`<tr><td>${s.name}</td>${STATES.map((st) => html`<td class="num ${st === 'failed' && (s.counts[st] ?? 0) > 0 ? 'no' : ''}">${s.counts[st] ?? 0}</td>`)}</tr>`)}
</tbody></table></section>
${summaries.map(
  (s) =>
    html`<section class="panel"><h2>${s.name}：失败任务（${s.counts.failed ?? 0}）</h2>${
      s.failed.length === 0
        ? html`<p class="muted">无</p>`
        : html`
<table><thead><tr><th>任务</th><th>失败原因</th><th>尝试次数</th><th>时间</th><th></th></tr></thead><tbody>
${s.failed.map(
  (
    j,
  ) => html`<tr><td>${j.name}<div class="sub">${j.id ?? ''}</div></td><td>${j.failedReason}</td><td class="num">${j.attemptsMade}</td>
<td class="nowrap">${j.finishedOn ? formatTime(new Date(j.finishedOn), tz) : '—'}</td>
<td><form method="post" action="/admin/queues/${s.name}/jobs/${encodeURIComponent(j.id ?? '')}/retry"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="light">重试</button></form></td></tr>`,
)}
</tbody></table>`
    }</section>`,
)}`;
    return sendPage(req, reply, deps, '队列状态', 'queues', body);
  });

  app.post<{ Params: { queue: string; jobId: string } }>(
    '/admin/queues/:queue/jobs/:jobId/retry',
    { config: { access: 'admin' } },
    async (req, reply) => {
      const queue = deps.queues?.all.find((q) => q.name === req.params.queue);
      if (!queue) throw new HttpError(404, '队列不存在');
      const job = await queue.getJob(req.params.jobId);
      if (!job) throw new HttpError(404, '任务不存在');
      if (!(await job.isFailed())) throw new HttpError(409, '任务不处于失败状态');
      await job.retry('failed');
      deps.logger.info(
        { code: 'dashboard.job-retried', queue: queue.name, jobId: job.id, actor: req.user?.username },
        'failed job retried by staff',
      );
      return redirectSeeOther(reply, '/admin/queues');
    },
  );
}
