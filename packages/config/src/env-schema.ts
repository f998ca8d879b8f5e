import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().optional(),
);
const intFrom = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess((v) => (v === undefined || v === '' ? def : Number(v)), z.number().int().min(min).max(max));

function urlWithProtocols(protocols: string[]) {
  return z.string().refine(
    (s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`,
  );
}

/** One entry of TRUST_PROXY's list: an IPv4/IPv6 address or CIDR, or proxy-addr's names for address ranges. */
const TRUST_PROXY_ENTRY =
  /^(loopback|linklocal|uniquelocal|(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d{1,3})?)$/;

/**
 * Every setting of ../shared/CONTRACT.md plus our own (documented in the
 * README). Parsed once by each process's main(); nothing else reads process.env.
 */
export const ZEnv = z.object({
  IMAP_URL: urlWithProtocols(['imap:', 'imaps:']).optional(),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:']).optional(),
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    urlWithProtocols(['postgres:', 'postgresql:']).optional(),
  ),
  DATA_DIR: z.string().min(1).default('./data'),
  SMTP_URL: z.preprocess((v) => (v === '' ? undefined : v), urlWithProtocols(['smtp:', 'smtps:']).optional()),
  ACK_FROM: z.preprocess((v) => (v === '' ? undefined : v), z.email('must be an e-mail address').optional()),
  CAMPAIGN: optionalString,
  DASHBOARD_PORT: intFrom(3000, 1, 65535),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** where raw mail lives: fs under DATA_DIR (one machine) or postgres (workers on several machines) */
  RAW_STORE: z.enum(['fs', 'postgres']).default('fs'),
  /** what the poller does to a message after it is safely queued: none, seen, or move:<folder> */
  MAILBOX_ACTION: z
    .string()
    .regex(/^(none|seen|move:.+)$/, 'must be none, seen or move:<folder>')
    .default('none'),
  /** polling interval when the server has no IDLE (ms) */
  POLL_INTERVAL_MS: intFrom(30_000, 500),
  /** full re-scan of the mailbox against the ledger, even while IDLE works (ms) */
  RESCAN_INTERVAL_MS: intFrom(300_000, 1_000),
  WORKER_CONCURRENCY: intFrom(2, 1, 64),
  /** BullMQ key prefix: several desks can share one Redis */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('intake'),
  /** automatic replies per sender address per hour */
  ACK_RATE_LIMIT_PER_HOUR: intFrom(10, 0),
  /** automatic replies per recipient domain per hour (several units may share a provincial domain) */
  ACK_RATE_LIMIT_PER_DOMAIN_PER_HOUR: intFrom(60, 0),
  /** automatic replies per hour in all */
  ACK_RATE_LIMIT_TOTAL_PER_HOUR: intFrom(300, 0),
  /** how often a worker re-drives work whose queue job was lost (ms; 0 turns the reconciliation off) */
  RECONCILE_INTERVAL_MS: intFrom(60_000, 0),
  /** how long a message or reply must have been pending before the reconciliation looks for its job (ms) */
  RECONCILE_STALE_MS: intFrom(300_000, 0),
  /** directory with ack.zh.txt.mustache etc. to override the built-in reply wording */
  ACK_TEMPLATE_DIR: optionalString,
  DASHBOARD_HOST: z.string().default('127.0.0.1'),
  /** Secure cookies and HSTS: set when the dashboard is served over HTTPS (e.g. behind a reverse proxy) */
  DASHBOARD_SECURE_COOKIES: z.preprocess(
    (v) =>
      v === undefined || v === '' ? false : v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v,
    z.boolean({ error: 'must be true or false' }),
  ),
  /**
   * Behind a reverse proxy: whose X-Forwarded-For to believe for the client address (login rate limit,
   * logs). false (default: the TCP peer is the client), true (any hop — only if the proxy is the sole
   * way in), a number of hops, or a comma-separated list of the proxies' addresses / CIDRs.
   */
  TRUST_PROXY: z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? 'false' : v),
    z.string().transform((raw, ctx): boolean | number | string[] => {
      const s = raw.trim();
      if (s === 'false' || s === '0') return false;
      if (s === 'true') return true;
      if (/^[1-9]\d?$/.test(s)) return Number(s);
      const list = s.split(',').map((x) => x.trim());
      if (list.every((x) => TRUST_PROXY_ENTRY.test(x))) return list;
      ctx.addIssue({
        code: 'custom',
        message: 'must be false, true, a hop count (1-99) or a comma-separated list of proxy addresses/CIDRs',
      });
      return z.NEVER;
    }),
  ),
  /** secret for signing session cookies; generated and kept under DATA_DIR when unset */
  SESSION_SECRET: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  /**
   * The authserv-id(s) our own receiving server stamps on Authentication-Results
   * (RFC 8601 §5), comma-separated; only results with one of them are trusted.
   * Unset: no result is trusted (a sender can write any Authentication-Results).
   */
  AUTHSERV_ID: z.preprocess(
    (v) => (v === undefined ? '' : v),
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim().toLowerCase())
          .filter((x) => x.length > 0),
      )
      .refine(
        (ids) => ids.every((id) => /^[a-z0-9._-]+$/.test(id)),
        'each authserv-id is a host name like mx.example.cn (comma-separated)',
      ),
  ),
  /** per-attachment parse limits */
  PARSE_TIMEOUT_MS: intFrom(30_000, 100),
  PARSE_MAX_ATTACHMENT_MB: intFrom(80, 1),
  /** real inflated size an .xlsx/.docx may have (counted while inflating, not the zip's declared sizes) */
  PARSE_OFFICE_MAX_MB: intFrom(128, 1),
  /** per-message budget: bytes handed to readers, PDF pages read, wall time; the rest is listed unread */
  PARSE_MESSAGE_MAX_MB: intFrom(200, 1),
  PARSE_MESSAGE_MAX_PAGES: intFrom(1000, 1),
  PARSE_MESSAGE_TIMEOUT_MS: intFrom(120_000, 1_000),
  /** RSS cap of the sandboxed child that re-reads a message whose reading killed a worker process */
  PARSE_ISOLATED_MEMORY_MB: intFrom(1024, 128),
  /** tests only: module the extraction threads import their readers from (a crashing or slow reader) */
  INTAKE_TEST_EXTRACTOR_MODULE: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** extraction threads per worker process; 0 = automatic (2–4 from the cores) */
  PARSE_THREADS: intFrom(0, 0, 16),
  /** OCR: pages read at once (one sandbox child each, ~0.6–0.9 GB RSS and one core per child) */
  OCR_CONCURRENCY: intFrom(1, 1, 16),
  /** OCR: pages per message (image-only PDF pages, images, TIFF frames); more are listed unread */
  OCR_MAX_PAGES: intFrom(20, 0, 1000),
  /** OCR: how long the reply waits for a message's scans to be read before saying they are still being read (ms) */
  OCR_REPLY_WAIT_MS: intFrom(120_000, 0),
  /** OCR: wall time per page (ms) and memory cap of an OCR child (MB, RSS including pdftoppm) */
  OCR_PAGE_TIMEOUT_MS: intFrom(60_000, 1_000),
  OCR_MEMORY_MB: intFrom(1536, 256),
});
export type TEnv = z.infer<typeof ZEnv>;

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

/**
 * Cross-field rules, checked on the raw values so they are reported together
 * with per-field problems (zod skips refinements on an object that failed).
 */
export function crossFieldProblems(src: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  if (!blank(src.SMTP_URL) && blank(src.ACK_FROM))
    out.push('ACK_FROM: is required when SMTP_URL is set (the From address of replies)');
  if (src.RAW_STORE === 'postgres' && blank(src.DATABASE_URL)) {
    out.push('RAW_STORE: postgres needs DATABASE_URL (the embedded database is not shared between machines)');
  }
  return out;
}
