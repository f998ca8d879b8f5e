import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { serverEnv } from './servers.js';

/** The SMTP URL of the test server, as the services' SMTP_URL expects it. */
export function testSmtpUrl(): string {
  const env = serverEnv();
  return `smtp://${env.TEST_SMTP_HOST}:${env.TEST_SMTP_PORT}`;
}

/**
 * Sends through the test Postfix, which accepts any recipient at any domain
 * and delivers into that address's Dovecot mailbox. Rejects quickly when the
 * SMTP server is down (short timeouts), which fault-injection tests rely on.
 */
export async function sendMail(options: Mail.Options): Promise<SMTPTransport.SentMessageInfo> {
  const env = serverEnv();
  const transport = nodemailer.createTransport({
    host: env.TEST_SMTP_HOST,
    port: env.TEST_SMTP_PORT,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 30_000,
  });
  try {
    return await transport.sendMail(options);
  } finally {
    transport.close();
  }
}
