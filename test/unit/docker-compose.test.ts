// Guards the deployment file without a Docker engine (none runs on our
// machines): every service's command is a real `intake` command and every
// environment variable it sets is one the configuration schema knows.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ZEnv } from '@intake/config';

const root = path.resolve(import.meta.dirname, '../..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, unknown>;
      build?: unknown;
      image?: string;
      healthcheck?: unknown;
      volumes?: string[];
    }
  >;
};
const CLI_COMMANDS = ['start', 'poller', 'worker', 'dashboard'];
const known = new Set(Object.keys(ZEnv.shape));

describe('docker-compose.yml', () => {
  const ours = Object.entries(compose.services).filter(([, s]) => s.build);
  it('has redis, postgres, poller, worker and dashboard, each with a healthcheck', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['dashboard', 'poller', 'postgres', 'redis', 'worker']);
    for (const s of Object.values(compose.services)) expect(s.healthcheck).toBeTruthy();
  });
  it('runs only commands the intake CLI has', () => {
    expect(ours.length).toBe(3);
    for (const [, s] of ours) expect(CLI_COMMANDS).toContain(s.command?.[0]);
  });
  it('sets only environment variables the config schema knows', () => {
    for (const [name, s] of ours) {
      const unknown = Object.keys(s.environment ?? {}).filter((k) => !known.has(k));
      expect(unknown, `${name} sets unknown variables`).toEqual([]);
    }
  });
  it('keeps the archive and databases on volumes', () => {
    for (const [, s] of ours) expect(s.volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
  });
});
