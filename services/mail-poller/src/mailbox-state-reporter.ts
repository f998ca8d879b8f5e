import type { Logger } from '@intake/logger';
import { recordMailboxState, type Db } from '@intake/register-store';

interface PollerState {
  attempts: number;
  lastError: string | null;
  retryingSince: Date | null;
  nextAttemptAt: Date | null;
}

/**
 * Writes the mailbox's connection state (connected / retrying since … / stopped)
 * where the dashboard's health page and `/healthz` read it. A failed write is
 * logged and dropped: the register may be what is down, and the poller must
 * keep its own loop going; the next transition writes the state again.
 */
export function createMailboxStateReporter(db: Db, mailbox: string, log: Logger) {
  let lastErrorAt: Date | null = null;
  let lastErrorText: string | null = null;
  const write = async (s: Parameters<typeof recordMailboxState>[1]) => {
    try {
      await recordMailboxState(db, s);
    } catch (err) {
      log.warn({ code: 'poller.state-write-failed', err, state: s.state }, 'could not record the mailbox state');
    }
  };
  const noteError = (st: PollerState, at: Date) => {
    if (st.lastError === null) return;
    lastErrorText = st.lastError;
    lastErrorAt = at;
  };
  return {
    connected: (since: Date, st: PollerState) =>
      write({
        mailbox,
        state: 'connected',
        since,
        attempts: 0,
        lastError: lastErrorText ?? st.lastError,
        lastErrorAt,
        nextAttemptAt: null,
      }),
    retrying: (st: PollerState, at: Date) => {
      noteError(st, at);
      return write({
        mailbox,
        state: 'retrying',
        since: st.retryingSince ?? at,
        attempts: st.attempts,
        lastError: lastErrorText,
        lastErrorAt,
        nextAttemptAt: st.nextAttemptAt,
      });
    },
    stopped: (at: Date, st: PollerState) => {
      noteError(st, at);
      return write({
        mailbox,
        state: 'stopped',
        since: at,
        attempts: st.attempts,
        lastError: lastErrorText,
        lastErrorAt,
        nextAttemptAt: null,
      });
    },
  };
}
