// Guards: login bypass, CSRF-less state changes, viewers changing review status,
// and scrypt verification accepting a wrong password.
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import { silentLogger } from '@intake/logger';
import {
  exportRegisterJson,
  getOverviewStats,
  listMissingApplicants,
  migrate,
  openDb,
  recordMailboxState,
  type Db,
} from '@intake/register-store';
import { createDashboard, type Dashboard } from './create-dashboard.js';
import { demoAttachmentLoader, seedDemoRegister } from './testing/demo-register.js';
import { addUser, hashPassword, verifyPassword } from './users.js';
import { renderStaticRegister } from './views/static-register.js';
import { firstPageTiming } from './first-page-timing.js';

const profile = loadCampaignProfile();
const directory = buildApplicantDirectory(profile);
let db: Db;
let dash: Dashboard;
let appIds: number[];

/** Log in through the form like a browser: GET /login for the CSRF cookie+token, then POST. */
async function login(username: string, password: string): Promise<{ cookie: string; csrf: string; status: number }> {
  const page = await dash.app.inject({ method: 'GET', url: '/login' });
  const csrfCookie = page.cookies.find((c) => c.name === '_csrf')!;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const res = await dash.app.inject({
    method: 'POST',
    url: '/login',
    cookies: { _csrf: csrfCookie.value },
    payload: new URLSearchParams({ _csrf: token, username, password, next: '/' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
  });
  const session = res.cookies.find((c) => c.name === 'intake_session');
  const cookie = `_csrf=${csrfCookie.value}${session ? `; intake_session=${session.value}` : ''}`;
  const home = await dash.app.inject({ method: 'GET', url: '/applications', headers: { cookie, accept: 'text/html' } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '';
  return { cookie, csrf, status: res.statusCode };
}

beforeAll(async () => {
  db = await openDb({ memory: true });
  await migrate(db);
  appIds = await seedDemoRegister(db, profile);
  await addUser(db, { username: 'viewer', password: 'viewer-pass-1', role: 'viewer' });
  await addUser(db, { username: 'reviewer', password: 'reviewer-pass-1', role: 'reviewer' });
  dash = await createDashboard({
    db,
    profile,
    directory,
    logger: silentLogger,
    sessionSecret: 'x'.repeat(40),
    loadAttachment: demoAttachmentLoader(db),
    loginRateLimit: { max: 100, timeWindowMs: 60_000 },
  });
  await dash.app.ready();
}, 120_000);

afterAll(async () => {
  await dash?.close();
  await db?.close();
});

describe('passwords', () => {
  it('verifies scrypt hashes with a per-user salt', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('login and sessions', () => {
  it('rejects a wrong password and accepts the right one', async () => {
    expect((await login('viewer', 'nope-nope-nope')).status).toBe(401);
    const ok = await login('viewer', 'viewer-pass-1');
    expect(ok.status).toBe(303);
    const page = await dash.app.inject({
      method: 'GET',
      url: '/',
      headers: { cookie: ok.cookie, accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已收申报');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('redirects pages and refuses APIs without a session', async () => {
    const page = await dash.app.inject({ method: 'GET', url: '/applications', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toMatch(/^\/login\?next=/);
    for (const url of [
      '/api/version',
      '/events',
      '/export/register.xlsx',
      `/applications/${appIds[0]}/documents.zip`,
      '/admin/queues',
    ]) {
      const r = await dash.app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      expect(r.statusCode, url).toBe(401);
    }
  });

  it('rate-limits POST /login', async () => {
    const strict = await createDashboard({
      db,
      profile,
      directory,
      logger: silentLogger,
      sessionSecret: 'y'.repeat(40),
      loginRateLimit: { max: 2, timeWindowMs: 60_000 },
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await strict.app.inject({
          method: 'POST',
          url: '/login',
          payload: { username: 'viewer', password: 'wrong' },
        });
        codes.push(r.statusCode);
      }
      expect(codes.slice(2)).toEqual([429, 429]);
    } finally {
      await strict.close();
    }
  });

  it('refuses a forged session cookie', async () => {
    const r = await dash.app.inject({
      method: 'GET',
      url: '/api/version',
      headers: { cookie: 'intake_session=abc.def' },
    });
    expect(r.statusCode).toBe(401);
  });
});

describe('CSRF and roles', () => {
  it('rejects a state change without the CSRF token', async () => {
    const s = await login('reviewer', 'reviewer-pass-1');
    const r = await dash.app.inject({
      method: 'POST',
      url: `/applications/${appIds[0]}/review`,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'status=preliminary-passed&note=x',
    });
    expect(r.statusCode).toBe(403);
    const app = await db.query<{ review_status: string }>('select review_status from applications where id = $1', [
      appIds[0],
    ]);
    expect(app[0]!.review_status).toBe('received');
  });

  it('lets a reviewer change the review status and records it', async () => {
    const s = await login('reviewer', 'reviewer-pass-1');
    const r = await dash.app.inject({
      method: 'POST',
      url: `/applications/${appIds[0]}/review`,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: s.csrf, status: 'preliminary-passed', note: '材料齐全' }).toString(),
    });
    expect(r.statusCode).toBe(303);
    const page = await dash.app.inject({
      method: 'GET',
      url: `/applications/${appIds[0]}`,
      headers: { cookie: s.cookie, accept: 'text/html' },
    });
    expect(page.body).toContain('材料齐全');
    expect(page.body).toContain('reviewer');
  });

  it('gives a viewer no review form and a 403 on a forged POST with a valid token', async () => {
    const s = await login('viewer', 'viewer-pass-1');
    const page = await dash.app.inject({
      method: 'GET',
      url: `/applications/${appIds[1]}`,
      headers: { cookie: s.cookie, accept: 'text/html' },
    });
    expect(page.body).not.toContain('/review"');
    expect(s.csrf).not.toBe('');
    const r = await dash.app.inject({
      method: 'POST',
      url: `/applications/${appIds[1]}/review`,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: s.csrf, status: 'selected', note: 'x' }).toString(),
    });
    expect(r.statusCode).toBe(403);
  });

  it('keeps queue internals from non-admins', async () => {
    const s = await login('reviewer', 'reviewer-pass-1');
    const r = await dash.app.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { cookie: s.cookie, accept: 'text/html' },
    });
    expect(r.statusCode).toBe(403);
  });
});

describe('files', () => {
  it('downloads an original with safe headers and never previews a non-PDF', async () => {
    const s = await login('viewer', 'viewer-pass-1');
    const rows = await db.query<{ sha256: string; path: string }>(
      `select m.sha256, t.path from attachments t join messages m on m.id = t.message_id where t.kind = 'pdf' order by t.id limit 1`,
    );
    const { sha256, path } = rows[0]!;
    const dl = await dash.app.inject({
      method: 'GET',
      url: `/files/${sha256}?path=${encodeURIComponent(path)}`,
      headers: { cookie: s.cookie },
    });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(String(dl.headers['content-disposition'])).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''/);
    const pv = await dash.app.inject({
      method: 'GET',
      url: `/preview/${sha256}?path=${encodeURIComponent(path)}`,
      headers: { cookie: s.cookie },
    });
    expect(pv.statusCode).toBe(200);
    expect(String(pv.headers['content-security-policy'])).toMatch(/^sandbox/);
    const other = await db.query<{ sha256: string; path: string }>(
      `select m.sha256, t.path from attachments t join messages m on m.id = t.message_id where t.kind = 'document' limit 1`,
    );
    const bad = await dash.app.inject({
      method: 'GET',
      url: `/preview/${other[0]!.sha256}?path=${encodeURIComponent(other[0]!.path)}`,
      headers: { cookie: s.cookie },
    });
    expect(bad.statusCode).toBe(415);
    const unknown = await dash.app.inject({
      method: 'GET',
      url: `/files/${sha256}?path=..%2F..%2Fetc%2Fpasswd`,
      headers: { cookie: s.cookie },
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('static register page', () => {
  it('is self-contained, script-free and escapes email-supplied text', async () => {
    const page = renderStaticRegister({
      export: await exportRegisterJson(db, profile, directory),
      stats: await getOverviewStats(db, profile),
      missingApplicants: await listMissingApplicants(db, directory),
      profile,
    });
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\s(src|href)=/i);
    expect(page).toContain('长春市生物医药产业集群');
    expect(page).toContain('<style>');
  });
});

describe('first page timing', () => {
  it('renders the first page of the register table', async () => {
    const t = await firstPageTiming(db, profile, directory, 2);
    expect(t.rows).toBeGreaterThan(0);
    expect(t.bytes).toBeGreaterThan(1000);
  });
});

describe('queue health for admins', () => {
  it('lists counts and failed jobs, and retries one', async () => {
    await addUser(db, { username: 'admin', password: 'admin-pass-12', role: 'admin' });
    const retried: string[] = [];
    const failedJob = {
      id: 'msg-1-2-3',
      name: 'process-message',
      failedReason: '<b>pdf</b> parse timeout',
      attemptsMade: 8,
      finishedOn: Date.now(),
      isFailed: async () => true,
      retry: async () => {
        retried.push('msg-1-2-3');
      },
    };
    const queue = {
      name: 'intake-process',
      getJobCounts: async () => ({
        waiting: 3,
        active: 1,
        delayed: 0,
        failed: 1,
        completed: 10,
        prioritized: 0,
        'waiting-children': 0,
      }),
      getFailed: async () => [failedJob],
      getJob: async (id: string) => (id === failedJob.id ? failedJob : undefined),
    };
    await recordMailboxState(db, {
      mailbox: 'intake@desk.test/INBOX',
      state: 'retrying',
      since: new Date('2026-03-01T08:00:00Z'),
      attempts: 7,
      lastError: 'connect ECONNREFUSED 127.0.0.1:143',
      lastErrorAt: new Date('2026-03-01T08:04:00Z'),
      nextAttemptAt: new Date('2026-03-01T08:04:30Z'),
    });
    const health = await dash.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toMatchObject({
      ok: true,
      mailboxes: [
        {
          mailbox: 'intake@desk.test/INBOX',
          state: 'retrying',
          since: '2026-03-01T08:00:00.000Z',
          attempts: 7,
          lastError: 'connect ECONNREFUSED 127.0.0.1:143',
          nextAttemptAt: '2026-03-01T08:04:30.000Z',
        },
      ],
    });
    const withQueues = await createDashboard({
      db,
      profile,
      directory,
      logger: silentLogger,
      sessionSecret: 'z'.repeat(40),
      queues: { all: [queue], close: async () => undefined } as never,
    });
    try {
      const prev = dash;
      dash = withQueues;
      const s = await login('admin', 'admin-pass-12');
      const page = await dash.app.inject({
        method: 'GET',
        url: '/admin/queues',
        headers: { cookie: s.cookie, accept: 'text/html' },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('intake-process');
      // issue 12.11: the poller's report on the mailbox, beside the queues
      expect(page.body).toContain('重试中');
      expect(page.body).toContain('connect ECONNREFUSED 127.0.0.1:143');
      expect(page.body).toContain('2026-03-01 16:04');
      expect(page.body).toContain('&lt;b&gt;pdf&lt;/b&gt; parse timeout');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const r = await dash.app.inject({
        method: 'POST',
        url: '/admin/queues/intake-process/jobs/msg-1-2-3/retry',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(token)}`,
      });
      expect(r.statusCode).toBe(303);
      expect(retried).toEqual(['msg-1-2-3']);
      dash = prev;
    } finally {
      await withQueues.close();
    }
  });
});

describe('documents zip', () => {
  it('packs the current documents with UTF-8 names for the expert review', async () => {
    const s = await login('viewer', 'viewer-pass-1');
    const r = await dash.app.inject({
      method: 'GET',
      url: `/applications/${appIds[0]}/documents.zip`,
      headers: { cookie: s.cookie },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    const entries = await new Promise<Array<{ name: string; utf8: boolean }>>((resolve, reject) => {
      yauzl.fromBuffer(r.rawPayload, { lazyEntries: false }, (err, zip) => {
        if (err || !zip) {
          reject(err ?? new Error('no zip'));
          return;
        }
        const out: Array<{ name: string; utf8: boolean }> = [];
        zip.on('entry', (e: yauzl.Entry) =>
          out.push({ name: e.fileName, utf8: (e.generalPurposeBitFlag & 0x800) !== 0 }),
        );
        zip.on('end', () => resolve(out));
        zip.on('error', reject);
      });
    });
    expect(entries.map((e) => e.name).sort()).toEqual([
      '0-登记信息.txt',
      '0-重点项目清单（含校正）.csv',
      '1-正式申报文件/关于申报长春市生物医药产业集群的请示.pdf',
      '2-申报材料（附件1）/附件1：长春市生物医药产业集群申报材料.docx',
      '3-重点项目汇总表（附件2）/附件2：重点项目汇总表.xlsx',
    ]);
    expect(entries.every((e) => e.utf8)).toBe(true);
  });
});

describe('empty register', () => {
  it('says that no mail has arrived yet', async () => {
    const empty = await openDb({ memory: true });
    await migrate(empty);
    await addUser(empty, { username: 'viewer', password: 'viewer-pass-1', role: 'viewer' });
    const prev = dash;
    dash = await createDashboard({
      db: empty,
      profile,
      directory,
      logger: silentLogger,
      sessionSecret: 'e'.repeat(40),
    });
    try {
      const s = await login('viewer', 'viewer-pass-1');
      for (const url of ['/', '/applications']) {
        const page = await dash.app.inject({ method: 'GET', url, headers: { cookie: s.cookie, accept: 'text/html' } });
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('尚未收到申报邮件');
      }
    } finally {
      await dash.close();
      dash = prev;
      await empty.close();
    }
  }, 120_000);
});
