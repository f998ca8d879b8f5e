// Guards issue 12, items 4–6 (each failed before the fix):
//  4. role checks compared the raw URL: `/%61dmin/queues` and an absolute-form
//     request line reached the queue page and the job-retry action as a viewer.
//     Every route is walked (the dashboard lists them), each with its encoded,
//     dot-segment, double-slash and absolute-form spellings, for every role below it.
//  5. `/login?next=/%09/evil.example` redirected off-site.
//  6. the login rate limit keyed on the proxy's address; now TRUST_PROXY decides
//     whose X-Forwarded-For counts, and a per-account lockout with backoff holds
//     whatever address a guesser uses.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import { silentLogger } from '@intake/logger';
import { migrate, openDb, type Db } from '@intake/register-store';
import { safeNext } from './auth-hooks.js';
import { createDashboard, type Dashboard } from './create-dashboard.js';
import { seedDemoRegister } from './testing/demo-register.js';
import { injectLogin, type InjectedSession } from './testing/inject-login.js';
import { addUser } from './users.js';

const profile = loadCampaignProfile();
const directory = buildApplicantDirectory(profile);
const PASSWORDS = { viewer: 'viewer-pass-1', reviewer: 'reviewer-pass-1', admin: 'admin-pass-12' } as const;

let db: Db;
let dash: Dashboard;
let base: URL;
let appIds: number[];
let messageSha: string;
const retried: string[] = [];

const failedJob = {
  id: 'msg-1',
  name: 'process-message',
  failedReason: 'x',
  attemptsMade: 1,
  finishedOn: 0,
  isFailed: async () => true,
  retry: async () => {
    retried.push('msg-1');
  },
};
const queue = {
  name: 'intake-process',
  getJobCounts: async () => ({ failed: 1 }),
  getFailed: async () => [failedJob],
  getJob: async (id: string) => (id === failedJob.id ? failedJob : undefined),
};

function rawRequest(
  method: string,
  path: string,
  s: InjectedSession | null,
): Promise<{ status: number; body: string; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const body = method === 'POST' && s ? `_csrf=${encodeURIComponent(s.csrf)}&status=selected&note=x&reason=x` : '';
    const r = http.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          accept: 'text/html',
          ...(s ? { cookie: s.cookie } : {}),
          ...(method === 'POST'
            ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        let out = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (out += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out, location: res.headers.location }));
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

beforeAll(async () => {
  db = await openDb({ memory: true });
  await migrate(db);
  appIds = await seedDemoRegister(db, profile);
  messageSha = (await db.query<{ sha256: string }>('select sha256 from messages order by id limit 1'))[0]!.sha256;
  for (const role of ['viewer', 'reviewer', 'admin'] as const)
    await addUser(db, { username: role, password: PASSWORDS[role], role });
  dash = await createDashboard({
    db,
    profile,
    directory,
    logger: silentLogger,
    sessionSecret: 's'.repeat(40),
    loginRateLimit: { max: 1000, timeWindowMs: 60_000 },
    queues: { all: [queue], close: async () => undefined } as never,
    triggers: {
      reprocess: async () => undefined,
      resendAck: async () => undefined,
      previewAck: async () => ({ to: 'a@b', subject: 's', text: 't' }),
    },
  });
  base = new URL(await dash.listen(0, '127.0.0.1'));
}, 120_000);

afterAll(async () => {
  await dash?.close();
  await db?.close();
});

/** A concrete URL for a route pattern: parameters filled with values that exist in the demo register. */
function concrete(url: string): string {
  const samples: Record<string, string> = {
    ref: String(appIds[0]),
    id: String(appIds[0]),
    sha: messageSha,
    cid: '1',
    queue: 'intake-process',
    jobId: 'msg-1',
  };
  return url.replace('register.:format', 'register.xlsx').replace(/:(\w+)/g, (_m, k: string) => samples[k] ?? 'x');
}

/** Other spellings of the same path: percent-encoded, dot segments, double slash, absolute form. */
function variants(path: string): Array<{ name: string; path: string; routed: boolean }> {
  if (path === '/')
    return [
      { name: 'plain', path, routed: true },
      { name: 'absolute-form', path: `http://${base.host}/`, routed: true },
    ];
  const first = path.charCodeAt(1).toString(16);
  return [
    { name: 'plain', path, routed: true },
    { name: 'encoded', path: `/%${first}${path.slice(2)}`, routed: true },
    { name: 'encoded-all', path: path.replace(/[a-z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`), routed: true },
    { name: 'absolute-form', path: `http://${base.host}${path}`, routed: true },
    { name: 'dot-segment', path: `/static/..${path}`, routed: false },
    { name: 'dot', path: path.replace(/^(\/[^/]+)/, '$1/.'), routed: false },
    { name: 'encoded-dot', path: `/static/%2e%2e${path}`, routed: false },
    { name: 'double-slash', path: `/${path}`, routed: false },
  ];
}

describe('role checks on the matched route (issue 12 item 4)', () => {
  it('lists every route with who may use it, none without', () => {
    const protectedRoutes = dash.routes.filter((r) => r.access !== 'public');
    expect(
      dash.routes
        .filter((r) => r.access === 'public')
        .map((r) => `${r.method} ${r.url}`)
        .sort(),
    ).toEqual([
      'GET /healthz',
      'GET /login',
      'GET /static/app.css',
      'GET /static/app.js',
      'GET /static/documents.css',
      'HEAD /healthz',
      'HEAD /login',
      'HEAD /static/app.css',
      'HEAD /static/app.js',
      'HEAD /static/documents.css',
      'POST /login',
    ]);
    expect(protectedRoutes.filter((r) => r.access === 'admin').map((r) => r.url)).toEqual(
      expect.arrayContaining(['/admin/queues', '/admin/queues/:queue/jobs/:jobId/retry']),
    );
    expect(protectedRoutes.length).toBeGreaterThan(20);
  });

  it('refuses every protected route, in every spelling, to every role below it and to strangers', async () => {
    const sessions = {
      viewer: await injectLogin(dash.app, 'viewer', PASSWORDS.viewer),
      reviewer: await injectLogin(dash.app, 'reviewer', PASSWORDS.reviewer),
    };
    const before = await db.query('select id, review_status, message_count from applications order by id');
    const failures: string[] = [];
    for (const route of dash.routes) {
      if (route.access === 'public') continue;
      const lower: Array<keyof typeof sessions | null> =
        route.access === 'admin'
          ? [null, 'viewer', 'reviewer']
          : route.access === 'reviewer'
            ? [null, 'viewer']
            : [null];
      for (const who of lower) {
        for (const v of variants(concrete(route.url))) {
          const r = await rawRequest(route.method, v.path, who ? sessions[who] : null);
          const refused =
            who === null
              ? r.status === 401 || (r.status === 302 && (r.location ?? '').startsWith('/login'))
              : r.status === 403;
          // a spelling no route matches gets the not-found page, never a handler's own answer
          const unrouted = !v.routed && r.status === 404 && (route.method === 'HEAD' || r.body.includes('页面不存在'));
          const ok = refused || unrouted;
          if (!ok) failures.push(`${route.method} ${v.path} as ${who ?? 'stranger'} → ${r.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(retried).toEqual([]);
    expect(await db.query('select id, review_status, message_count from applications order by id')).toEqual(before);
    expect((await db.query<{ n: number }>('select count(*)::int as n from corrections'))[0]?.n).toBe(0);
  });

  it('still serves the admin pages to an admin', async () => {
    const admin = await injectLogin(dash.app, 'admin', PASSWORDS.admin);
    const r = await rawRequest('GET', '/admin/queues', admin);
    expect(r.status).toBe(200);
    expect(r.body).toContain('intake-process');
  });
});

describe('the next parameter (issue 12 item 5)', () => {
  it('accepts only a relative path on this origin', () => {
    const cases: Array<[string, string]> = [
      ['/applications/3?done=review#m1', '/applications/3?done=review#m1'],
      ['/%09/evil.example', '/%09/evil.example'],
      ['/\t/evil.example', '/'],
      ['/\n/evil.example', '/'],
      ['/\\evil.example', '/'],
      ['//evil.example', '/'],
      ['///evil.example', '/'],
      ['https://evil.example/', '/'],
      ['evil.example', '/'],
      ['javascript:alert(1)', '/'],
      ['/../../etc/passwd', '/etc/passwd'],
      ['', '/'],
    ];
    expect(cases.map(([input]) => safeNext(input))).toEqual(cases.map(([, want]) => want));
    expect(safeNext(['/a'])).toBe('/');
  });

  it('GIVEN /login?next=/%09/evil.example THEN login lands on this site', async () => {
    const page = await dash.app.inject({ method: 'GET', url: '/login?next=/%09/evil.example' });
    expect(page.body).not.toMatch(/name="next" value="\/\t/);
    const csrfCookie = page.cookies.find((c) => c.name === '_csrf')!;
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await dash.app.inject({
      method: 'POST',
      url: '/login',
      cookies: { _csrf: csrfCookie.value },
      payload: new URLSearchParams({
        _csrf: token,
        username: 'viewer',
        password: PASSWORDS.viewer,
        next: '/\t/evil.example',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});

describe('login limits behind a proxy (issue 12 item 6)', () => {
  async function attempt(d: Dashboard, username: string, password: string, forwardedFor: string): Promise<number> {
    const r = await injectLogin(d.app, username, password, {
      remoteAddress: '10.0.0.5',
      headers: { 'x-forwarded-for': forwardedFor },
    });
    return r.status;
  }

  async function withDashboard(
    extra: Partial<Parameters<typeof createDashboard>[0]>,
    fn: (d: Dashboard) => Promise<void>,
  ) {
    const d = await createDashboard({
      db,
      profile,
      directory,
      logger: silentLogger,
      sessionSecret: 't'.repeat(40),
      ...extra,
    });
    try {
      await fn(d);
    } finally {
      await d.close();
    }
  }

  it('GIVEN TRUST_PROXY naming the proxy THEN each client behind it has its own rate-limit bucket', async () => {
    await withDashboard({ trustProxy: ['10.0.0.5'], loginRateLimit: { max: 2, timeWindowMs: 60_000 } }, async (d) => {
      const a = [await attempt(d, 'nobody1', 'x', '203.0.113.1'), await attempt(d, 'nobody2', 'x', '203.0.113.1')];
      expect(a).toEqual([401, 401]);
      expect(await attempt(d, 'nobody3', 'x', '203.0.113.1')).toBe(429);
      // another office behind the same proxy is not locked out by the first one's mistakes
      expect(await attempt(d, 'viewer', PASSWORDS.viewer, '198.51.100.7')).toBe(303);
    });
  });

  it('GIVEN no TRUST_PROXY THEN a forged X-Forwarded-For does not buy a fresh bucket', async () => {
    await withDashboard({ loginRateLimit: { max: 2, timeWindowMs: 60_000 } }, async (d) => {
      await attempt(d, 'nobody1', 'x', '203.0.113.1');
      await attempt(d, 'nobody2', 'x', '203.0.113.2');
      expect(await attempt(d, 'nobody3', 'x', '203.0.113.3')).toBe(429);
    });
  });

  it('GIVEN repeated wrong passwords for one account THEN it locks with growing waits, from any address, and only that account', async () => {
    let now = new Date('2020-05-12T02:00:00Z');
    const advance = (ms: number) => (now = new Date(now.getTime() + ms));
    await addUser(db, { username: 'wang', password: 'wang-pass-2020', role: 'reviewer' });
    await withDashboard(
      {
        trustProxy: true,
        loginRateLimit: { max: 1000, timeWindowMs: 60_000 },
        loginLockout: { freeFailures: 3, baseLockMs: 30_000, maxLockMs: 120_000, forgetAfterMs: 3_600_000 },
        now: () => now,
      },
      async (d) => {
        const wrong = async (ip: string) => attempt(d, 'wang', 'guess', ip);
        expect([await wrong('203.0.113.1'), await wrong('203.0.113.2')]).toEqual([401, 401]);
        const third = await injectLogin(d.app, 'Wang', 'guess', { headers: { 'x-forwarded-for': '203.0.113.3' } });
        expect(third.status).toBe(429);
        expect(third.body).toContain('账号已暂时锁定 30 秒');
        // locked: even the right password is refused, from a new address, without being checked
        expect(await attempt(d, 'wang', 'wang-pass-2020', '203.0.113.9')).toBe(429);
        expect(await attempt(d, 'viewer', PASSWORDS.viewer, '203.0.113.9')).toBe(303);
        advance(30_001);
        // one more wrong guess after the lock: the wait doubles
        const fourth = await injectLogin(d.app, 'wang', 'guess');
        expect(fourth.body).toContain('账号已暂时锁定 1 分钟');
        advance(59_000);
        expect(await attempt(d, 'wang', 'wang-pass-2020', '203.0.113.9')).toBe(429);
        advance(1_001);
        expect(await attempt(d, 'wang', 'wang-pass-2020', '203.0.113.9')).toBe(303);
        // a successful login starts the count again
        expect(await wrong('203.0.113.1')).toBe(401);
      },
    );
  });
});
