import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApplicantDirectory, TCampaignProfile } from '@intake/domain';
import type { Logger } from '@intake/logger';
import type { PipelineQueues } from '@intake/queue';
import type { Db } from '@intake/register-store';
import type { LoadAttachment, RawSource } from './load-attachment.js';
import type { StaffUser } from './users.js';

export interface DashboardTriggers {
  /** re-run parsing and checks of an application (by id or receipt number) from the archived raw mail */
  reprocess(applicationIdOrReceiptNo: number | string): Promise<void>;
  /** compose and send the acknowledgment of that message again */
  resendAck(messageSha256: string): Promise<void>;
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
  /** POST /login attempts per IP and window @defaultValue { max: 10, timeWindowMs: 60_000 } */
  loginRateLimit?: { max: number; timeWindowMs: number };
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
