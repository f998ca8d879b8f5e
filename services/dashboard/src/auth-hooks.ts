import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '@intake/register-store';
import { HttpError } from './context.js';
import { loadSession } from './sessions.js';
import { canReview, isAdmin, type StaffUser } from './users.js';

export const SESSION_COOKIE = 'intake_session';

const PUBLIC_PATHS = new Set(['/login', '/healthz', '/favicon.ico']);

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path) || path.startsWith('/static/');
}

/**
 * Pages redirect to the login form; everything a script or the browser
 * fetches (API, SSE, files, exports, state changes) gets a 401 instead.
 */
export function wantsRedirect(req: FastifyRequest, path: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (/^\/(api|events|files|preview|export)(\/|$)/.test(path)) return false;
  if (/\.(zip|xlsx|csv|json)$/.test(path)) return false;
  if (path === '/applications/rows') return false;
  const accept = req.headers.accept ?? '';
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

/** Who is asking: the signed session cookie, looked up in the sessions table. */
export async function resolveUser(req: FastifyRequest, db: Queryable): Promise<void> {
  req.user = null;
  req.sessionToken = null;
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) return;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return;
  req.user = await loadSession(db, unsigned.value);
  if (req.user) req.sessionToken = unsigned.value;
}

export function registerAuthHooks(app: FastifyInstance, db: Queryable): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (path.startsWith('/static/')) return;
    await resolveUser(req, db);
    if (isPublicPath(path)) return;
    if (!req.user) {
      if (wantsRedirect(req, path)) {
        return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 302);
      }
      return reply
        .code(401)
        .header('cache-control', 'no-store')
        .send({ error: 'UNAUTHENTICATED', message: '请先登录' });
    }
    if (path.startsWith('/admin') && !isAdmin(req.user)) {
      return reply.code(403).send({ error: 'FORBIDDEN', message: '仅管理员可以查看队列状态' });
    }
  });
  // every state change carries the form's or header's CSRF token
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
      done();
      return;
    }
    app.csrfProtection(req, reply, done);
  });
}

export function requireReviewer(req: FastifyRequest): StaffUser {
  if (!req.user) throw new HttpError(401, '请先登录');
  if (!canReview(req.user)) throw new HttpError(403, '只读账号不能执行此操作');
  return req.user;
}

export function requireUser(req: FastifyRequest): StaffUser {
  if (!req.user) throw new HttpError(401, '请先登录');
  return req.user;
}

/** After a form POST: back to a page of ours, never to another site. */
export function safeNext(next: unknown, fallback = '/'): string {
  const s = typeof next === 'string' ? next : '';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : fallback;
}

export function redirectSeeOther(reply: FastifyReply, to: string): FastifyReply {
  return reply.redirect(to, 303);
}
