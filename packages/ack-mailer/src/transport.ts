import nodemailer from 'nodemailer';
import type { ComposedAck } from './compose-ack.js';

/** What the outbox needs of a mail transport: nodemailer's Transporter fits, and so does a test fake. */
export interface Transport {
  sendMail(mail: OutgoingMail): Promise<SendResult>;
  close?(): void;
}

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
}

export interface SendResult {
  messageId?: string;
  /** the server's final reply to DATA, e.g. "250 2.0.0 Ok: queued as 4F1A2" */
  response?: string;
  accepted?: Array<string | { address: string }>;
  rejected?: Array<string | { address: string }>;
}

export interface CreateTransportOptions {
  /** per-phase timeouts in ms, so a dead server fails the attempt fast and the job retries @defaultValue 10000 */
  timeoutMs?: number;
}

/**
 * SMTP_URL → a transport. Pool off: one connection per reply keeps each
 * attempt to exactly one SMTP transaction, which is what bounds the
 * "accepted but not recorded" window (README: Exactly once).
 */
export function createTransport(smtpUrl: string, opts: CreateTransportOptions = {}): Transport {
  const timeout = opts.timeoutMs ?? 10_000;
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new TypeError(`SMTP_URL must be smtp:// or smtps://, got ${url.protocol}`);
  return nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 25,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    pool: false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
  });
}

export function toOutgoingMail(ack: ComposedAck): OutgoingMail {
  return {
    from: ack.from,
    to: ack.to,
    subject: ack.subject,
    text: ack.text,
    html: ack.html,
    headers: ack.headers,
    messageId: ack.messageId,
    ...(ack.inReplyTo ? { inReplyTo: ack.inReplyTo } : {}),
    ...(ack.references.length ? { references: ack.references } : {}),
  };
}
