import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * The one root logger. Secrets never reach a log line: URLs with passwords,
 * SMTP/IMAP auth and cookies are redacted by path; callers log URLs through
 * redactUrl() from @intake/config.
 */
export const REDACT_PATHS = [
  'password',
  'pass',
  '*.password',
  '*.pass',
  'auth',
  '*.auth',
  'imapUrl',
  'smtpUrl',
  'databaseUrl',
  'redisUrl',
  '*.IMAP_URL',
  '*.SMTP_URL',
  '*.DATABASE_URL',
  '*.REDIS_URL',
  'req.headers.cookie',
  'req.headers.authorization',
  'headers.cookie',
  'sessionSecret',
];

export function createRootLogger(
  opts: { level?: string; name?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { service: opts.name ?? 'intake' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that drops everything: for library calls made without one. */
export const silentLogger: Logger = pino({ level: 'silent' });
