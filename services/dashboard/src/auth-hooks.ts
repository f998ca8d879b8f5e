import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '@intake/register-store';
import { HttpError } from './context.js';
import { loadSession } from './sessions.js';
import { canReview, type Role, type StaffUser } from './users.js';

export const SESSION_COOKIE = 'intake_session';

/**
 * Who may use a route, declared on the route itself (`config.access`) and
 * checked against the route Fastify matched — never against the raw URL,
 * which an encoded (`/%61dmin`), dot-segment or absolute-form request line
 * spells differently from the route it reaches.
 */
export type Access = 'public' | 'viewer' | 'reviewer' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** public assets: no session lookup at all */
    skipSession?: boolean;
  }
}

const RANK: Record<Role, number> = { viewer: 1, reviewer: 2, admin: 3 };
const NEEDS: Record<Exclude<Access, 'public'>, number> = { viewer: 1, reviewer: 2, admin: 3 };

export function mayAccess(user: StaffUser | null, access: Access): boolean {
  if (access === 'public') return true;
  return !!user && RANK[user.role] >= NEEDS[access];
}

const FORBIDDEN_MESSAGE: Record<Exclude<Access, 'public' | 'viewer'>, string> = {
  reviewer: '只读账号不能执行此操作',
  admin: '仅管理员可以查看队列状态',
};

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/**
 * Every route must say who may use it: a route registered without
 * `config.access` fails at start, so a new page cannot ship unprotected.
 * Returns the live list of routes (the tests walk all of them).
 */
export function enforceRouteAccess(app: FastifyInstance): RouteAccess[] {
  const routes: RouteAccess[] = [];
  app.addHook('onRoute', (opts) => {
    const access = opts.config?.access;
    if (!access) throw new Error(`route ${String(opts.method)} ${opts.url} declares no config.access`);
    for (const method of [opts.method].flat()) routes.push({ method, url: opts.url, access });
  });
  return routes;
}

/**
 * Pages redirect to the login form; everything a script or the browser
 * fetches (API, SSE, files, exports, state changes) gets a 401 instead.
 * `path` is the matched route's pattern when there is one.
 */
export function wantsRedirect(req: FastifyRequest, path: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (/^\/(api|events|files|preview|export)(\/|$)/.test(path)) return false;
  if (/\.(zip|xlsx|csv|json)$/.test(path) || path.startsWith('/export/')) return false;
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

/** The matched route's pattern (`/applications/:ref`), or the raw path for a request no route matched. */
export function routePath(req: FastifyRequest): string {
  return req.routeOptions.url ?? req.url.split('?')[0] ?? '/';
}

export function registerAuthHooks(app: FastifyInstance, db: Queryable): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config;
    if (config.skipSession) return;
    await resolveUser(req, db);
    // no route matched: ask for a login first, so the 404 page tells a stranger nothing
    const access: Access = req.routeOptions.url === undefined ? 'viewer' : (config.access ?? 'admin');
    if (access === 'public') return;
    if (!req.user) {
      if (wantsRedirect(req, routePath(req))) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 302);
      return reply
        .code(401)
        .header('cache-control', 'no-store')
        .send({ error: 'UNAUTHENTICATED', message: '请先登录' });
    }
    if (!mayAccess(req.user, access)) {
      throw new HttpError(403, FORBIDDEN_MESSAGE[access as 'reviewer' | 'admin']);
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

const NEXT_BASE = 'http://intake.invalid';

/**
 * After login or a form POST: back to a page of ours, never to another site.
 * Only a relative path that resolves to this origin is accepted. Control
 * characters and backslashes are refused outright: browsers drop tabs and
 * line breaks and read `\` as `/`, so `/\t/evil.example` or `/\evil.example`
 * would become `//evil.example`.
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  if (!next.startsWith('/') || next.startsWith('//')) return fallback;
  if (!URL.canParse(next, NEXT_BASE)) return fallback;
  const u = new URL(next, NEXT_BASE);
  if (u.origin !== NEXT_BASE) return fallback;
  return u.pathname + u.search + u.hash;
}

export function redirectSeeOther(reply: FastifyReply, to: string): FastifyReply {
  return reply.redirect(to, 303);
}
