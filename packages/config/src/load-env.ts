import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@intake/domain';
import { parse as parseDotenv } from 'dotenv';
import { crossFieldProblems, ZEnv, type TEnv } from './env-schema.js';

export class ConfigError extends AppError {
  constructor(readonly problems: string[]) {
    super('CONFIG_INVALID', { message: problems.join('\n'), permanent: true });
    this.name = 'ConfigError';
  }
}

/** Values from the environment win over `.env` in the working directory, as with dotenv. */
export function readEnvSources(env: NodeJS.ProcessEnv, cwd: string): Record<string, string | undefined> {
  const file = path.join(cwd, '.env');
  const fromFile = fs.existsSync(file) ? parseDotenv(fs.readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

/** Validate once at start; every problem becomes one readable line. */
export function loadEnv(source: Record<string, string | undefined>): TEnv {
  const r = ZEnv.safeParse(source);
  const problems = [
    ...(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`)),
    ...crossFieldProblems(source),
  ];
  if (problems.length > 0 || !r.success) throw new ConfigError(problems);
  return r.data;
}

/** Strip credentials from a URL for logs and messages. */
export function redactUrl(url: string | undefined | null): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
