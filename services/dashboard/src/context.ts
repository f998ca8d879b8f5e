import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApplicantDirectory, TCampaignProfile } from '@intake/domain';
import type { Logger } from '@intake/logger';
import type { PipelineQueues } from '@intake/queue';
import type { Db } from '@intake/register-store';
import type { LoadAttachment, RawSource } from './load-attachment.js';
import type { StaffUser } from './users.js';
import type { LockoutPolicy } from './login-lockout.js';

export interface DashboardTriggers {
  /** re-run parsing and checks of an application (by id or receipt number) from the archived raw mail */
  reprocess(applicationIdOrReceiptNo: number | string): Promise<void>;
  /** compose and send the acknowledgment of that message again */
  resendAck(messageSha256: string): Promise<void>;
  /** what a resent acknowledgment of that message would say now (nothing is sent or stored) */
  previewAck?(messageSha256: string): Promise<{ to: string; subject: string; text: string }>;
}

/** One page as OCR saw it, for the text-over-image view (@intake/ocr loadOcrPageForDisplay). */
export interface OcrPageView {
  /** PNG of the page turned upright, so the lines' boxes sit on it */
  image: Buffer;
  record: {
    text: string;
    confidence: number;
    rotation: number;
    skewDegrees: number;
    lines: Array<{ text: string; confidence: number; box: { x: number; y: number; width: number; height: number } }>;
  } | null;
}

export interface DashboardDeps {
  db: Db;
  profile: TCampaignProfile;
  directory: ApplicantDirectory;
  logger: Logger;
  rawStore?: RawSource;
  /** for the admins' queue health page */
  queues?: PipelineQueues;
  /** @defaultValue createRawAttachmentLoader({ db, rawStore }) when rawStore is given */
  loadAttachment?: LoadAttachment;
  /** signs the session and CSRF cookies; at least 32 characters */
  sessionSecret: string;
  /** Secure cookies + HSTS: set when served over HTTPS @defaultValue false */
  secureCookies?: boolean;
  triggers?: DashboardTriggers;
  /** false when SMTP_URL is unset: the overview says replies are stored, not sent */
  smtpConfigured?: boolean;
  /** POST /login attempts per client IP and window @defaultValue { max: 10, timeWindowMs: 60_000 } */
  loginRateLimit?: { max: number; timeWindowMs: number };
  /**
   * Which proxies' X-Forwarded-For to believe for the client IP (TRUST_PROXY): false, true (any —
   * only when the proxy is the sole way in), a hop count, or the proxies' addresses/CIDRs.
   * @defaultValue false
   */
  trustProxy?: boolean | number | string[];
  /** per-account lockout after repeated failed logins @defaultValue DEFAULT_LOCKOUT */
  loginLockout?: LockoutPolicy;
  /** renders one page of a scan with what OCR read of it (nothing is OCR'd); absent: OCR is off */
  ocrPage?: (src: { data: Uint8Array; kind: 'pdf' | 'image'; page: number }) => Promise<OcrPageView>;
  /** the clock for lockouts (tests move it) @defaultValue () => new Date() */
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: StaffUser | null;
    sessionToken: string | null;
    csrfToken: string | null;
  }
}

/** One CSRF token per request: @fastify/csrf-protection would mint a new secret on every call before the cookie is set. */
export function csrfFor(req: FastifyRequest, reply: FastifyReply): string {
  req.csrfToken ??= reply.generateCsrf();
  return req.csrfToken;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
