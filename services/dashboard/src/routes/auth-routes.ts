import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clearLoginFailures, getLoginFailures, updateLoginFailures } from '@intake/register-store';
import { SESSION_COOKIE, safeNext } from '../auth-hooks.js';
import { csrfFor, type DashboardDeps } from '../context.js';
import { toDocument } from '../html.js';
import { afterFailedLogin, DEFAULT_LOCKOUT, formatWait, lockoutKey, lockRemainingMs } from '../login-lockout.js';
import { createSession, deleteSession, SESSION_TTL_MS } from '../sessions.js';
import { authenticate } from '../users.js';
import { renderLoginPage } from '../views/layout.js';

interface LoginBody {
  username?: string;
  password?: string;
  next?: string;
}

function loginForm(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  opts: { next: string; error: string; username: string },
): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(toDocument(renderLoginPage({ csrf: csrfFor(req, reply), ...opts })));
}

export function registerAuthRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const limit = deps.loginRateLimit ?? { max: 10, timeWindowMs: 60_000 };
  const policy = deps.loginLockout ?? DEFAULT_LOCKOUT;
  const now = deps.now ?? (() => new Date());
  app.get('/login', { config: { access: 'public' } }, async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (req.user) return reply.redirect(next, 302);
    return reply
      .type('text/html; charset=utf-8')
      .send(toDocument(renderLoginPage({ csrf: csrfFor(req, reply), next })));
  });

  app.post<{ Body: LoginBody | undefined }>(
    '/login',
    {
      // per client IP (req.ip honours TRUST_PROXY), on top of the per-account lockout below
      config: { access: 'public', rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
    },
    async (req, reply) => {
      const username = (req.body?.username ?? '').slice(0, 64);
      const password = (req.body?.password ?? '').slice(0, 1024);
      const next = safeNext(req.body?.next);
      const key = lockoutKey(username);
      const locked = key ? lockRemainingMs(await getLoginFailures(deps.db, key), now()) : 0;
      if (locked > 0) {
        // the password is not even checked while the name is locked: guessing gains nothing
        deps.logger.warn({ code: 'auth.login-locked', username, ip: req.ip }, 'login refused: account locked');
        return loginForm(req, reply, 429, {
          next,
          username,
          error: `该账号登录失败次数过多，已暂时锁定，请 ${formatWait(locked)}后再试`,
        });
      }
      const user = username && password ? await authenticate(deps.db, username, password) : null;
      if (!user) {
        const state = key
          ? await updateLoginFailures(deps.db, key, (prev) => afterFailedLogin(prev, now(), policy))
          : null;
        const wait = state ? lockRemainingMs(state, now()) : 0;
        deps.logger.warn(
          { code: 'auth.login-failed', username, ip: req.ip, failures: state?.failures ?? 0, lockedMs: wait },
          'login failed',
        );
        const error =
          wait > 0 ? `用户名或密码不正确；登录失败次数过多，账号已暂时锁定 ${formatWait(wait)}` : '用户名或密码不正确';
        return loginForm(req, reply, wait > 0 ? 429 : 401, { next, username, error });
      }
      await clearLoginFailures(deps.db, key);
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

  app.post('/logout', { config: { access: 'viewer' } }, async (req, reply) => {
    if (req.sessionToken) await deleteSession(deps.db, req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}
