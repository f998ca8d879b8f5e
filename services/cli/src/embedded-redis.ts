import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { AppError } from '@intake/domain';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '@intake/logger';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (v: boolean) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function waitListening(host: string, port: number, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await isListening(host, port, 200)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export class RedisUnavailableError extends AppError {
  constructor(message: string) {
    super('REDIS_UNAVAILABLE', { message, permanent: true });
    this.name = 'RedisUnavailableError';
  }
}

/**
 * The embedded default: with REDIS_URL unset and nothing on 127.0.0.1:6379,
 * run a private redis-server (AOF on, noeviction — BullMQ must never lose a
 * key to eviction) with its data under DATA_DIR/redis, stopped with us.
 */
export async function ensureRedis(opts: {
  redisUrl?: string;
  dataDir: string;
  logger: Logger;
}): Promise<{ url: string; child: ChildProcess | null }> {
  if (opts.redisUrl) return { url: opts.redisUrl, child: null };
  if (await isListening('127.0.0.1', 6379)) return { url: DEFAULT_REDIS_URL, child: null };
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (!bin) {
    throw new RedisUnavailableError(
      'Redis is not reachable at redis://127.0.0.1:6379 and redis-server is not installed. ' +
        'Install it (apt-get install redis-server, or bash scripts/servers/install.sh) or set REDIS_URL.',
    );
  }
  const dir = path.resolve(opts.dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const log = fs.openSync(path.join(dir, 'redis.log'), 'a');
  const child = spawn(
    bin,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      '6379',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  if (!(await waitListening('127.0.0.1', 6379, 10_000))) {
    child.kill('SIGTERM');
    throw new RedisUnavailableError(
      `started ${bin} but it did not listen on 127.0.0.1:6379; see ${path.join(dir, 'redis.log')}`,
    );
  }
  opts.logger.info({ code: 'redis.embedded', dir, pid: child.pid }, 'started a private redis-server under DATA_DIR');
  return { url: DEFAULT_REDIS_URL, child };
}
