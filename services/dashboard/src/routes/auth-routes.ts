import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE, safeNext } from '../auth-hooks.js';
import { csrfFor, type DashboardDeps } from '../context.js';
import { toDocument } from '../html.js';
import { createSession, deleteSession, SESSION_TTL_MS } from '../sessions.js';
import { authenticate } from '../users.js';
import { renderLoginPage } from '../views/layout.js';

interface LoginBody {
  username?: string;
  password?: string;
  next?: string;
}

export function registerAuthRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const limit = deps.loginRateLimit ?? { max: 10, timeWindowMs: 60_000 };
  app.get('/login', async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (req.user) return reply.redirect(next, 302);
    return reply
      .type('text/html; charset=utf-8')
      .send(toDocument(renderLoginPage({ csrf: csrfFor(req, reply), next })));
  });

  app.post<{ Body: LoginBody | undefined }>(
    '/login',
    {
      config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
    },
    async (req, reply) => {
      const username = (req.body?.username ?? '').slice(0, 64);
      const password = (req.body?.password ?? '').slice(0, 1024);
      const next = safeNext(req.body?.next);
      const user = username && password ? await authenticate(deps.db, username, password) : null;
      if (!user) {
        deps.logger.warn({ code: 'auth.login-failed', username, ip: req.ip }, 'login failed');
        return reply
          .code(401)
          .type('text/html; charset=utf-8')
          .send(
            toDocument(renderLoginPage({ csrf: csrfFor(req, reply), next, error: '用户名或密码不正确', username })),
          );
      }
      if (req.sessionToken) await deleteSession(deps.db, req.sessionToken);
      const session = await createSession(deps.db, user.id);
      reply.setCookie(SESSION_COOKIE, session.token, {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookies ?? false,
        path: '/',
        maxAge: Math.floor(SESSION_TTL_MS / 1000),
      });
      deps.logger.info({ code: 'auth.login', username: user.username, role: user.role }, 'staff login');
      return reply.redirect(next, 303);
    },
  );

  app.post('/logout', async (req, reply) => {
    if (req.sessionToken) await deleteSession(deps.db, req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}
