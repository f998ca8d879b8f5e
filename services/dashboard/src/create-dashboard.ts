import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import { enforceRouteAccess, registerAuthHooks, routePath, wantsRedirect, type RouteAccess } from './auth-hooks.js';
import { csrfFor, HttpError, type DashboardDeps } from './context.js';
import { toDocument } from './html.js';
import { createRawAttachmentLoader } from './load-attachment.js';
import { registerActionRoutes } from './routes/action-routes.js';
import { registerAdminRoutes } from './routes/admin-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerCorrectionRoutes } from './routes/correction-routes.js';
import { registerFileRoutes } from './routes/file-routes.js';
import { registerDocumentRoutes } from './routes/document-routes.js';
import { registerLiveRoutes } from './routes/live-routes.js';
import { registerPageRoutes } from './routes/page-routes.js';
import { registerSenderRoutes } from './routes/sender-routes.js';
import { APP_CSS } from './static/app-css.js';
import { APP_JS } from './static/app-js.js';
import { renderErrorPage } from './views/layout.js';
import { mailboxHealthJson } from './views/mailbox-health.js';
import { listMailboxStates } from '@intake/register-store';

export interface Dashboard {
  app: FastifyInstance;
  /** every route with who may use it (config.access) */
  routes: readonly RouteAccess[];
  /** resolves to the URL it listens on */
  listen(port: number, host?: string): Promise<string>;
  /** safe to call twice */
  close(): Promise<void>;
}

/**
 * A strict CSP: scripts and styles only from our own /static files, no inline
 * script or style attribute anywhere, frames only from ourselves (previews).
 */
function cspDirectives(secure: boolean): Record<string, string[] | null> {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameSrc: ["'self'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'self'"],
    scriptSrcAttr: ["'none'"],
    upgradeInsecureRequests: secure ? [] : null,
  };
}

function errorResponse(
  err: FastifyError | HttpError | Error,
  req: FastifyRequest,
  reply: FastifyReply,
  deps: DashboardDeps,
): FastifyReply {
  const status =
    'statusCode' in err && typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
  const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  if (status >= 500) deps.logger.error({ code: 'dashboard.request-failed', err, url: req.url }, 'request failed');
  const message =
    status >= 500
      ? '服务器内部错误，已记录日志。'
      : code?.startsWith('FST_CSRF')
        ? '表单已过期或来源无效，请刷新页面后重试。'
        : status === 429
          ? '尝试次数过多，请稍后再试。'
          : err.message;
  const path = routePath(req);
  if (wantsRedirect(req, path) || (req.method === 'POST' && (req.headers.accept ?? '').includes('text/html'))) {
    const ctx = req.user ? { user: req.user, csrf: csrfFor(req, reply), campaignTitle: '' } : null;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(toDocument(renderErrorPage(ctx, status, message)));
  }
  return reply.code(status).send({ error: code ?? (status === 403 ? 'FORBIDDEN' : 'ERROR'), message });
}

/** A hop count becomes proxy-addr's "trust the first n hops" function; lists and booleans pass through. */
function toTrustProxy(t: DashboardDeps['trustProxy']): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof t === 'number') return (_addr, hop) => hop < t;
  return t ?? false;
}

export async function createDashboard(deps: DashboardDeps): Promise<Dashboard> {
  if (deps.sessionSecret.length < 32) throw new Error('sessionSecret must be at least 32 characters');
  const secure = deps.secureCookies ?? false;
  // typed as the base logger: pino's generic Logger type does not unify with Fastify's route types
  const app: FastifyInstance = Fastify({
    // pino's Logger and Fastify's base logger type differ by a generic parameter under the built
    // declarations (the build sees dist/*.d.ts, the linter src/): the cast is needed by one of them
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: deps.logger.child({ component: 'dashboard' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // behind the documented reverse proxy: which hops' X-Forwarded-For to believe for req.ip (TRUST_PROXY)
    trustProxy: toTrustProxy(deps.trustProxy),
  });
  const routes = enforceRouteAccess(app);
  await app.register(fastifyCookie, { secret: deps.sessionSecret });
  await app.register(fastifyFormbody);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(secure) },
    hsts: secure ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure, path: '/' },
  });
  registerAuthHooks(app, deps.db);
  app.setErrorHandler((err: FastifyError, req, reply) => errorResponse(err, req, reply, deps));
  app.setNotFoundHandler((req, reply) => errorResponse(new HttpError(404, '页面不存在'), req, reply, deps));

  const asset = { config: { access: 'public', skipSession: true } } as const;
  app.get('/static/app.css', asset, (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(APP_CSS),
  );
  app.get('/static/app.js', asset, (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(APP_JS),
  );
  // the process answers; each mailbox's poller state rides along (connected / retrying since … / last error)
  app.get('/healthz', asset, async () => {
    try {
      return { ok: true, mailboxes: mailboxHealthJson(await listMailboxStates(deps.db)) };
    } catch (err) {
      deps.logger.warn({ code: 'dashboard.health-read-failed', err }, 'could not read the mailbox state');
      return { ok: true, mailboxes: null };
    }
  });

  const load =
    deps.loadAttachment ?? (deps.rawStore ? createRawAttachmentLoader({ db: deps.db, rawStore: deps.rawStore }) : null);
  registerAuthRoutes(app, deps);
  registerPageRoutes(app, deps);
  registerActionRoutes(app, deps);
  registerCorrectionRoutes(app, deps);
  registerSenderRoutes(app, deps);
  registerFileRoutes(app, deps, load);
  registerDocumentRoutes(app, deps, load);
  registerAdminRoutes(app, deps);
  const live = registerLiveRoutes(app, deps);
  app.addHook('preClose', (done) => {
    live.closeStreams();
    done();
  });

  let closing: Promise<void> | null = null;
  return {
    app,
    routes,
    async listen(port, host = '127.0.0.1') {
      const address = await app.listen({ port, host });
      return address.replace('[::1]', 'localhost');
    },
    close() {
      closing ??= app.close().then(() => undefined);
      return closing;
    },
  };
}
