import { UsageError } from './usage-error.js';
import { parseImapUrl } from '@intake/config';
import { createMailPoller, parseMailboxAction, type MailPoller } from '@intake/mail-poller';
import type { Runtime } from './runtime.js';
export class MissingImapUrlError extends UsageError {
  constructor() {
    super(
      'IMAP_URL is not set: the poller needs the submission mailbox, e.g. IMAP_URL=imap://user:pass@host:143/INBOX ' +
        '(user and password percent-encoded). Set it in the environment or in .env.',
    );
  }
}

export async function startPoller(rt: Runtime): Promise<MailPoller> {
  if (!rt.env.IMAP_URL) throw new MissingImapUrlError();
  const poller = createMailPoller(
    {
      db: await rt.db(),
      rawStore: await rt.rawStore(),
      queues: await rt.queues(),
      logger: rt.logger.child({ component: 'poller' }),
    },
    {
      imap: parseImapUrl(rt.env.IMAP_URL),
      action: parseMailboxAction(rt.env.MAILBOX_ACTION),
      pollIntervalMs: rt.env.POLL_INTERVAL_MS,
      rescanIntervalMs: rt.env.RESCAN_INTERVAL_MS,
    },
  );
  void poller.run();
  return poller;
}
