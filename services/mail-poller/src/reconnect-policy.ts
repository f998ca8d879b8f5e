import { backoffDelay } from '@intake/domain';

/** Where the poller stands between sessions: what the next wait and log line depend on. */
export interface ReconnectState {
  /** sessions in a row that ended before the mailbox was synced once */
  failures: number;
  /** the first failure of this outage; null while the mailbox is fine */
  retryingSince: Date | null;
  /** when the last "reconnecting" line was written; null before the first of this outage */
  lastLoggedAt: Date | null;
  /** attempts made since that line (reported on the next one) */
  attemptsSinceLog: number;
}

export const INITIAL_RECONNECT_STATE: ReconnectState = {
  failures: 0,
  retryingSince: null,
  lastLoggedAt: null,
  attemptsSinceLog: 0,
};

export interface ReconnectPolicy {
  /** first wait after a failure @defaultValue 500 */
  baseMs: number;
  /** ceiling of the wait @defaultValue 30000 */
  maxMs: number;
  /** at the ceiling, at most one log line per this long @defaultValue 60000 */
  logEveryMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { baseMs: 500, maxMs: 30_000, logEveryMs: 60_000 };

export interface SessionEnd {
  at: Date;
  /** the session synced the mailbox at least once: the server was fine, this is a fresh outage */
  synced: boolean;
}

export interface ReconnectDecision {
  state: ReconnectState;
  waitMs: number;
  nextAttemptAt: Date;
  /** write one log line for this step (false: counted into the next one) */
  log: boolean;
  /** attempts the log line covers (this one included) */
  attemptsLogged: number;
}

/**
 * How long to wait after a session ended, and whether to say so. The wait
 * grows (capped, jittered) with failures in a row and starts over after a
 * session that synced. While the wait still grows every step is logged; at
 * the ceiling, one line a minute, counting the attempts in between: a mailbox
 * refusing connections for ten minutes costs a few dozen attempts and fewer lines.
 */
export function decideNextWait(
  prev: ReconnectState,
  end: SessionEnd,
  policy: ReconnectPolicy = DEFAULT_RECONNECT_POLICY,
  random: () => number = Math.random,
): ReconnectDecision {
  const failures = end.synced ? 1 : prev.failures + 1;
  const fresh = end.synced || prev.retryingSince === null;
  const retryingSince = fresh ? end.at : prev.retryingSince;
  const waitMs = backoffDelay({ attempt: failures, baseMs: policy.baseMs, maxMs: policy.maxMs, random });
  const ramping = policy.baseMs * 2 ** (failures - 1) < policy.maxMs;
  const lastLoggedAt = fresh ? null : prev.lastLoggedAt;
  const due = lastLoggedAt === null || end.at.getTime() - lastLoggedAt.getTime() >= policy.logEveryMs;
  const log = ramping || due;
  const attempts = (fresh ? 0 : prev.attemptsSinceLog) + 1;
  return {
    state: {
      failures,
      retryingSince,
      lastLoggedAt: log ? end.at : lastLoggedAt,
      attemptsSinceLog: log ? 0 : attempts,
    },
    waitMs,
    nextAttemptAt: new Date(end.at.getTime() + waitMs),
    log,
    attemptsLogged: attempts,
  };
}
