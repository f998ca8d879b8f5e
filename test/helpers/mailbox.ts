import { ImapFlow, type FetchMessageObject, type MessageEnvelopeObject } from 'imapflow';
import { serverEnv } from './servers.js';
import { waitFor } from './wait.js';

/**
 * Direct access to the test Dovecot, where any address is a mailbox and every
 * user logs in with the shared test password. For arranging and checking
 * tests, not for the code under test.
 */
export interface MailboxRef {
  /** A full address, e.g. `intake@desk.test` (case-insensitive). */
  user: string;
  /** @defaultValue 'INBOX' */
  mailbox?: string;
}

export interface AppendMessageOptions extends MailboxRef {
  raw: Buffer | string;
  internalDate?: Date;
  flags?: string[];
}

export interface AppendedMessage {
  uid: number;
  uidValidity: number;
}

export interface ListedMessage {
  uid: number;
  internalDate: Date;
  flags: string[];
  raw: Buffer;
  envelope: MessageEnvelopeObject | undefined;
}

/**
 * A connected client; the caller must `logout()` it. Auto-IDLE is off.
 * Connecting is retried a few times: right after a fault-injection test
 * restarted Dovecot, a fresh login can be dropped once. Only the connect is
 * retried, never a command, so nothing is ever appended twice.
 */
export async function connectImap(user: string): Promise<ImapFlow> {
  const env = serverEnv();
  for (let attempt = 1; ; attempt++) {
    const client = new ImapFlow({
      host: env.TEST_IMAP_HOST,
      port: env.TEST_IMAP_PORT,
      secure: false,
      auth: { user, pass: env.TEST_MAIL_PASSWORD },
      logger: false,
      disableAutoIdle: true,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (err) {
      client.close();
      if (attempt >= 4) throw err;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

async function withImap<T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = await connectImap(user);
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Creates the mailbox if missing (INBOX always exists). */
export async function createMailbox({ user, mailbox = 'INBOX' }: MailboxRef): Promise<void> {
  if (mailbox.toUpperCase() === 'INBOX') return;
  await withImap(user, async (client) => {
    await client.mailboxCreate(mailbox);
  });
}

export async function deleteMailbox({ user, mailbox }: Required<MailboxRef>): Promise<void> {
  await withImap(user, async (client) => {
    await client.mailboxDelete(mailbox);
  });
}

/** APPENDs a raw message (creating the mailbox if needed) and returns where it landed. */
export async function appendMessage(options: AppendMessageOptions): Promise<AppendedMessage> {
  const { user, mailbox = 'INBOX', raw, internalDate, flags = [] } = options;
  return withImap(user, async (client) => {
    if (mailbox.toUpperCase() !== 'INBOX') await client.mailboxCreate(mailbox);
    const result = await client.append(mailbox, raw, flags, internalDate);
    if (!result || result.uid === undefined || result.uidValidity === undefined) {
      throw new Error(`APPEND to ${user}/${mailbox} returned no APPENDUID: ${JSON.stringify(result, bigintReplacer)}`);
    }
    return { uid: result.uid, uidValidity: Number(result.uidValidity) };
  });
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function toListed(message: FetchMessageObject): ListedMessage {
  if (!message.source) throw new Error(`FETCH of uid ${message.uid} returned no source`);
  return {
    uid: message.uid,
    internalDate: new Date(message.internalDate ?? Number.NaN),
    flags: [...(message.flags ?? [])],
    raw: message.source,
    envelope: message.envelope,
  };
}

/** Every message of the mailbox, oldest uid first. */
export async function listMessages({ user, mailbox = 'INBOX' }: MailboxRef): Promise<ListedMessage[]> {
  return withImap(user, async (client) => {
    const lock = await client.getMailboxLock(mailbox, { readOnly: true });
    try {
      const opened = client.mailbox;
      if (!opened || opened.exists === 0) return [];
      const messages = await client.fetchAll('1:*', {
        uid: true,
        internalDate: true,
        flags: true,
        source: true,
        envelope: true,
      });
      return messages.map(toListed).sort((a, b) => a.uid - b.uid);
    } finally {
      lock.release();
    }
  });
}

/** How many messages a mailbox holds; 0 when it does not exist yet. */
export async function countMessages({ user, mailbox = 'INBOX' }: MailboxRef): Promise<number> {
  return withImap(user, async (client) => {
    let status;
    try {
      status = await client.status(mailbox, { messages: true });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'NotFound') return 0;
      throw error;
    }
    if (!status) throw new Error(`STATUS ${user}/${mailbox} failed`);
    return status.messages ?? 0;
  });
}

export interface WaitForMessagesOptions extends MailboxRef {
  /** At least this many messages. @defaultValue 1 */
  count?: number;
  /** @defaultValue 15_000 */
  timeoutMs?: number;
}

/** Polls until the mailbox holds at least `count` messages, then lists them. */
export async function waitForMessages(options: WaitForMessagesOptions): Promise<ListedMessage[]> {
  const { user, mailbox = 'INBOX', count = 1, timeoutMs = 15_000 } = options;
  await waitFor(async () => (await countMessages({ user, mailbox })) >= count, {
    timeoutMs,
    intervalMs: 100,
    message: `${count} message(s) in ${user}/${mailbox}`,
  });
  return listMessages({ user, mailbox });
}
