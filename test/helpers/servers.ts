import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The test servers, by the names the scripts in scripts/servers use. */
export const SERVER_NAMES = ['redis', 'imap', 'smtp', 'pg'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPTS_DIR = join(REPO_DIR, 'scripts/servers');

/** What scripts/servers/start.sh writes to `<servers dir>/env`. */
export const ZServerEnv = z.object({
  REDIS_URL: z.string().startsWith('redis://'),
  TEST_REDIS_URL: z.string().startsWith('redis://'),
  TEST_IMAP_HOST: z.string().min(1),
  TEST_IMAP_PORT: z.coerce.number().int().positive(),
  TEST_SMTP_HOST: z.string().min(1),
  TEST_SMTP_PORT: z.coerce.number().int().positive(),
  TEST_LMTP_PORT: z.coerce.number().int().positive(),
  TEST_MAIL_PASSWORD: z.string().min(1),
  TEST_DATABASE_URL: z.string().startsWith('postgres://'),
  TEST_PG_PORT: z.coerce.number().int().positive(),
  INTAKE_SERVERS_DIR: z.string().min(1),
  INTAKE_SERVERS_SHARED_DIR: z.string().min(1),
});
export type TServerEnv = z.infer<typeof ZServerEnv>;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by test/helpers/global-setup.ts for the integration project. */
    intakeServers: TServerEnv;
  }
}

export function serversDir(): string {
  return process.env.INTAKE_SERVERS_DIR ?? join(REPO_DIR, '.servers');
}

/** Parses `KEY=value` lines (no quoting: the scripts write plain values). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) out[match[1]] = match[2];
  }
  return out;
}

/** Reads `<servers dir>/env`; throws when start.sh has not written it yet. */
export function serverEnv(): TServerEnv {
  const file = join(serversDir(), 'env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file} is missing: run scripts/servers/start.sh (or the integration global setup)`, {
      cause: error,
    });
  }
  return ZServerEnv.parse(parseEnvFile(text));
}

export interface ScriptResult {
  code: number;
  output: string;
}

/**
 * Runs a script with its output in a temporary file, not a pipe: a daemon that
 * inherited a pipe would keep us waiting for EOF forever. Resolves on exit.
 */
export async function runServersScript(
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptResult> {
  const dir = mkdtempSync(join(tmpdir(), 'intake-servers-script-'));
  const outFile = join(dir, 'output.log');
  const fd = openSync(outFile, 'w');
  try {
    const code = await new Promise<number>((resolvePromise, reject) => {
      const child = spawn('bash', [join(SCRIPTS_DIR, script), ...args], {
        cwd: REPO_DIR,
        env,
        stdio: ['ignore', fd, fd],
      });
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => resolvePromise(exitCode ?? (signal ? 128 : 1)));
    });
    return { code, output: readFileSync(outFile, 'utf8') };
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOrThrow(script: string, args: string[]): Promise<string> {
  const result = await runServersScript(script, args);
  if (result.code !== 0) {
    throw new Error(`scripts/servers/${script} ${args.join(' ')} failed (exit ${result.code}):\n${result.output}`);
  }
  return result.output;
}

function onlyArgs(only?: readonly ServerName[]): string[] {
  return only && only.length > 0 ? ['--only', only.join(',')] : [];
}

export interface EnsureServersOptions {
  /** Also make sure chromium is installed. @defaultValue true */
  browser?: boolean;
  /**
   * Take a lease for this process (a test run): servers it starts are stopped
   * by `releaseServers(pid)` once no other live run holds a lease.
   */
  leasePid?: number;
}

/** Installs what is missing (root only), starts the servers, returns their env. */
export async function ensureServers(
  only?: readonly ServerName[],
  options: EnsureServersOptions = {},
): Promise<TServerEnv> {
  await runOrThrow('install.sh', options.browser === false ? ['--no-browser'] : []);
  const lease = options.leasePid === undefined ? [] : ['--lease-pid', String(options.leasePid)];
  await runOrThrow('start.sh', [...onlyArgs(only), ...lease]);
  return serverEnv();
}

/**
 * Releases the lease of `pid`; the servers test runs started are stopped when
 * it was the last live lease, unless `keep`.
 */
export async function releaseServers(pid: number, options: { keep?: boolean } = {}): Promise<void> {
  await runOrThrow('stop.sh', ['--release-pid', String(pid), ...(options.keep ? ['--keep'] : [])]);
}

/** Stops servers unconditionally (whoever started them). */
export async function stopServers(only?: readonly ServerName[]): Promise<void> {
  await runOrThrow('stop.sh', onlyArgs(only));
}

export async function startServer(name: ServerName): Promise<void> {
  await runOrThrow('ctl.sh', ['start', name]);
}

export async function stopServer(name: ServerName): Promise<void> {
  await runOrThrow('ctl.sh', ['stop', name]);
}

export async function restartServer(name: ServerName): Promise<void> {
  await runOrThrow('ctl.sh', ['restart', name]);
}

export async function isServerRunning(name: ServerName): Promise<boolean> {
  const result = await runServersScript('ctl.sh', ['status', name]);
  if (result.code === 0) return true;
  if (result.code === 3) return false;
  throw new Error(`scripts/servers/ctl.sh status ${name} failed (exit ${result.code}):\n${result.output}`);
}

export async function runningServers(): Promise<ServerName[]> {
  const states = await Promise.all(SERVER_NAMES.map(async (name) => [name, await isServerRunning(name)] as const));
  return states.filter(([, running]) => running).map(([name]) => name);
}
