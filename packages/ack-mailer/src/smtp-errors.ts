/**
 * Permanent vs transient, in one place (as EmailEngine's delivery-error.js):
 * a 5xx reply will be the same next time, a 4xx or a network failure may not.
 */
export interface SmtpFailure {
  permanent: boolean;
  /** the server's reply code when there was one */
  responseCode: number | null;
  /** short text for the outbox row and the logs */
  reason: string;
  /**
   * true when the connection broke without a reply after it was established:
   * the server may have queued the message before the break (README: Exactly once)
   */
  outcomeUnknown: boolean;
}

interface NodemailerError {
  code?: unknown;
  originalCode?: unknown;
  timeoutType?: unknown;
  responseCode?: unknown;
  response?: unknown;
  permanent?: unknown;
  message?: unknown;
}

// problems that retrying the same message will not fix (bad credentials, bad address, bad TLS setup)
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE', 'ETLS', 'EREQUIRETLS', 'ECONFIG']);
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROTOCOL']);
// failures before the session existed: nothing can have been queued
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const EARLY_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

function describe(err: unknown): NodemailerError {
  return typeof err === 'object' && err !== null ? err : { message: String(err) };
}

export function classifySmtpError(err: unknown): SmtpFailure {
  const e = describe(err);
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const reason = `${code || 'SMTP'}${responseCode ? ` ${responseCode}` : ''}: ${message}`
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 500);
  if (responseCode !== null) {
    // nodemailer decides 5xx-but-not-503 (RFC 5321) and says so in err.permanent
    const permanent = typeof e.permanent === 'boolean' ? e.permanent : responseCode >= 500 && responseCode !== 503;
    return { permanent, responseCode, reason, outcomeUnknown: false };
  }
  if (NETWORK_CODES.has(code)) {
    const early =
      code === 'EDNS' ||
      (typeof e.originalCode === 'string' && NEVER_CONNECTED.has(e.originalCode)) ||
      (typeof e.timeoutType === 'string' && EARLY_TIMEOUTS.has(e.timeoutType));
    return { permanent: false, responseCode, reason, outcomeUnknown: !early };
  }
  return { permanent: PERMANENT_CODES.has(code), responseCode, reason, outcomeUnknown: false };
}
