import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { listApplications } from '@intake/register-store';
import type { DashboardDeps } from '../context.js';
import { getRegisterVersion } from '@intake/register-store';
import { parseTableQuery, toListOptions } from '../table-query.js';

/** How often an open /events stream checks the register's version. */
const EVENTS_POLL_MS = 2_000;
const EVENTS_HEARTBEAT_MS = 20_000;

export function registerLiveRoutes(app: FastifyInstance, deps: DashboardDeps): { closeStreams(): void } {
  app.get('/api/version', async (_req, reply) => {
    return reply.header('cache-control', 'no-store').send({ version: await getRegisterVersion(deps.db) });
  });

  app.get('/api/applications', async (req, reply) => {
    const q = parseTableQuery(req.query as Record<string, unknown>);
    const [list, version] = await Promise.all([
      listApplications(deps.db, toListOptions(q)),
      getRegisterVersion(deps.db),
    ]);
    return reply.header('cache-control', 'no-store').send({ version, ...list });
  });

  // Server-sent events for scripts and other tabs: `version` whenever the register changes.
  const streams = new Set<ServerResponse>();
  app.get('/events', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    streams.add(res);
    let last = '';
    let lastWrite = Date.now();
    const tick = async (): Promise<void> => {
      try {
        const v = await getRegisterVersion(deps.db);
        if (v !== last) {
          last = v;
          res.write(`event: version\ndata: ${JSON.stringify({ version: v })}\n\n`);
          lastWrite = Date.now();
        } else if (Date.now() - lastWrite > EVENTS_HEARTBEAT_MS) {
          res.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
      } catch (err) {
        deps.logger.warn({ code: 'dashboard.events-poll-failed', err }, 'register version poll failed');
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), EVENTS_POLL_MS);
    const stop = (): void => {
      clearInterval(timer);
      streams.delete(res);
    };
    req.raw.on('close', stop);
    res.on('close', stop);
  });

  return {
    closeStreams() {
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
