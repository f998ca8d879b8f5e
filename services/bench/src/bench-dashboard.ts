import { randomBytes } from 'node:crypto';
import { buildApplicantDirectory, loadCampaignProfile, type TParsedMessage } from '@intake/domain';
import type { BulkMessage } from '@intake/fixture-generator';
import { silentLogger } from '@intake/logger';
import { createParser } from '@intake/mail-parsing';
import { listApplications, registerMessage, type Db } from '@intake/register-store';
import { evaluateMessage } from '@intake/validation-rules';
import { progress } from './progress.js';
import type { Figure } from './report.js';
import { createIsolatedDb, type Cleanup } from './resources.js';
import type { ServerEnv } from './servers.js';
import { median, ratio } from './stats.js';

const INDUSTRIES = ['生物医药', '光电子', '新材料', '轨道交通装备', '卫星及应用', '现代中药', '碳纤维', '医疗器械'];

/** Parsed templates from real submissions, re-stamped per application: each its own unit × cluster. */
async function parseTemplates(msgs: BulkMessage[]): Promise<TParsedMessage[]> {
  const profile = loadCampaignProfile(null);
  const directory = buildApplicantDirectory(profile);
  const parser = createParser({});
  try {
    const out: TParsedMessage[] = [];
    for (const m of msgs) {
      const p = await parser.parse(m.raw, { profile, directory, receivedAt: m.internalDate, logger: silentLogger });
      p.flags = evaluateMessage(p, profile);
      out.push(p);
    }
    return out;
  } finally {
    await parser.close();
  }
}

async function seed(db: Db, templates: TParsedMessage[], count: number, connections: number): Promise<number> {
  const profile = loadCampaignProfile(null);
  const units = buildApplicantDirectory(profile).units;
  const t0 = performance.now();
  let next = 0;
  const one = async (i: number) => {
    const t = templates[i % templates.length]!;
    const unit = units[i % units.length]!;
    const cluster = `${unit.name}${INDUSTRIES[i % INDUSTRIES.length]}第${i}产业集群`;
    const from = `gaojichu@fgw.u${unit.code}.test`;
    const receivedAt = new Date(Date.parse('2020-05-06T01:00:00Z') + i * 60_000);
    const parsed: TParsedMessage = {
      ...t,
      messageId: `<dash-${i}@bench.invalid>`,
      applicant: { code: unit.code, name: unit.name },
      cluster,
      receivedAt: receivedAt.toISOString(),
      from: `${unit.name}发展和改革局 <${from}>`,
      ...(t.headers ? { headers: { ...t.headers, fromAddress: from } } : {}),
    };
    await registerMessage(db, {
      parsed,
      sha256: randomBytes(32).toString('hex'),
      receivedAt,
      receivedAtSource: 'server',
      profile,
      parserVersion: 'bench',
    });
  };
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < count; i = next++) {
        await one(i);
        if ((i + 1) % 1000 === 0) progress(`dashboard: ${i + 1}/${count} applications registered`);
      }
    }),
  );
  return performance.now() - t0;
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

function takeCookies(res: Response, jar: Map<string, string>): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

/** Logs in through the form like a browser (GET /login for the CSRF token, POST /login). */
async function login(base: string, username: string, password: string): Promise<Map<string, string>> {
  const jar = new Map<string, string>();
  const page = await fetch(`${base}/login`);
  takeCookies(page, jar);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on /login');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ _csrf: csrf, username, password, next: '/applications' }).toString(),
  });
  takeCookies(res, jar);
  if (res.status !== 303) throw new Error(`login failed: HTTP ${res.status}`);
  return jar;
}

/**
 * dashboard.firstPageMs: 5,000 applications in a fresh schema, the dashboard
 * in-process, logged in; server time (onRequest → onResponse) of GET
 * /applications, median of `runs`; the baseline is listApplications alone.
 */
export async function benchDashboard(
  env: ServerEnv,
  cleanup: Cleanup,
  msgs: BulkMessage[],
  count: number,
  runs: number,
): Promise<Figure[]> {
  const { createDashboard, addUser, firstPageTiming } = await import('@intake/dashboard');
  const iso = await createIsolatedDb(env.databaseUrl, cleanup, 6);
  progress(`dashboard: parsing ${msgs.length} templates, registering ${count} applications (4 connections)`);
  const templates = await parseTemplates(msgs);
  const seedMs = await seed(iso.db, templates, count, 4);
  const apps = (await iso.db.query<{ n: number }>('select count(*)::int as n from applications'))[0]?.n ?? 0;
  progress(`dashboard: ${apps} applications in ${(seedMs / 1000).toFixed(1)} s`);
  const profile = loadCampaignProfile(null);
  const directory = buildApplicantDirectory(profile);
  const dash = await createDashboard({
    db: iso.db,
    profile,
    directory,
    logger: silentLogger,
    sessionSecret: randomBytes(24).toString('hex'),
  });
  cleanup.add('dashboard', () => dash.close());
  const serverMs: number[] = [];
  const started = new WeakMap<object, number>();
  dash.app.addHook('onRequest', (req, _reply, done) => {
    started.set(req, performance.now());
    done();
  });
  dash.app.addHook('onResponse', (req, _reply, done) => {
    const t = started.get(req);
    if (t !== undefined && req.url.startsWith('/applications')) serverMs.push(performance.now() - t);
    done();
  });
  const base = await dash.listen(0, '127.0.0.1');
  await addUser(iso.db, { username: 'bench', password: 'bench-password-1', role: 'viewer' });
  const jar = await login(base.replace(/\/$/, ''), 'bench', 'bench-password-1');
  const clientMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base.replace(/\/$/, '')}/applications`, { headers: { cookie: cookieHeader(jar) } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET /applications: HTTP ${res.status}`);
    bytes = Buffer.byteLength(body);
    clientMs.push(performance.now() - t0);
  }
  const server = median(serverMs.slice(2));
  const client = median(clientMs.slice(2));
  const listMs: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    await listApplications(iso.db, {});
    listMs.push(performance.now() - t0);
  }
  const list = median(listMs.slice(2));
  const inproc = await firstPageTiming(iso.db, profile, directory, runs);
  progress(
    `dashboard: first page server ${server?.toFixed(1)} ms (client ${client?.toFixed(1)} ms), listApplications ${list?.toFixed(1)} ms`,
  );
  return [
    {
      key: 'dashboard.firstPageMs',
      value: server,
      unit: 'ms',
      baseline: { label: 'listApplications alone', value: list },
      ratio: ratio(server, list),
      note: `${apps} applications (seeded with registerMessage in ${(seedMs / 1000).toFixed(0)} s), logged-in GET /applications, server time onRequest→onResponse, median of ${runs} after 2 warm-ups; page ${(bytes / 1024).toFixed(0)} KB`,
    },
    {
      key: 'dashboard.firstPageClientMs',
      value: client,
      unit: 'ms',
      note: 'the same requests timed by the HTTP client (loopback)',
    },
    {
      key: 'dashboard.firstPageInProcessMs',
      value: inproc.ms,
      unit: 'ms',
      note: "firstPageTiming(): the route's query + rendering without HTTP",
    },
    { key: 'dashboard.listApplicationsMs', value: list, unit: 'ms' },
  ];
}
