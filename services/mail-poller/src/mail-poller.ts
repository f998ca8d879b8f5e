import { ImapFlow } from 'imapflow';
import type { ImapTarget } from '@intake/config';
import { enqueue, jobIds } from '@intake/queue';
import { listUnqueued, markQueued } from '@intake/register-store';
import type { IngestDeps } from './ingest-message.js';
import { prepareMailboxAction, type MailboxAction } from './mailbox-action.js';
import { createMailboxStateReporter } from './mailbox-state-reporter.js';
import { quietUntilConnected } from './quiet-imap-log.js';
import {
  decideNextWait,
  DEFAULT_RECONNECT_POLICY,
  INITIAL_RECONNECT_STATE,
  type ReconnectPolicy,
  type ReconnectState,
} from './reconnect-policy.js';
import { stoppableSleep } from './stoppable-sleep.js';
import type { FetchLimits } from './fetch-plan.js';
import { syncMailbox } from './sync-mailbox.js';
import { Wakeup } from './wakeup.js';

const HEARTBEAT_MS = 60_000;

export interface MailPollerOptions {
  imap: ImapTarget;
  action: MailboxAction;
  /** @defaultValue 30000 — polling interval when the server has no IDLE */
  pollIntervalMs: number;
  /** @defaultValue 300000 — full re-scan against the ledger even while IDLE works */
  rescanIntervalMs: number;
  /** ceiling of the reconnect backoff @defaultValue 30000 */
  maxReconnectDelayMs?: number;
  /** first reconnect wait, doubled per failure up to the ceiling @defaultValue 500 */
  minReconnectDelayMs?: number;
  /** the clock and dice of the reconnect policy (tests) @defaultValue the system's */
  now?: () => Date;
  random?: () => number;
  /** force polling even when the server offers IDLE (tests, broken servers) */
  disableIdle?: boolean;
  /** how a backlog is cut into FETCH batches and how many bytes may be held @defaultValue FETCH_LIMITS */
  fetchLimits?: FetchLimits;
}

export interface MailPoller {
  /** resolves when stop() was called and the message in hand is finished */
  run(): Promise<void>;
  stop(): Promise<void>;
  status(): {
    connected: boolean;
    lastSyncAt: Date | null;
    lastError: string | null;
    ingested: number;
    mode: 'idle' | 'poll' | 'disconnected';
    /** failed connection attempts in a row (0 once a session synced) */
    attempts: number;
    retryingSince: Date | null;
    nextAttemptAt: Date | null;
  };
}

export function createMailPoller(deps: Omit<IngestDeps, 'isStopping'>, opts: MailPollerOptions): MailPoller {
  const log = deps.logger.child({ mailbox: opts.imap.mailbox, user: opts.imap.user });
  let stopping = false;
  let client: ImapFlow | null = null;
  // one Wakeup per session: a dead connection's late 'error'/'close' must not wake the next
  // session or, worse, cut the reconnect wait short (the busy loop of issue 12.11)
  let wake = new Wakeup();
  const stopSignal = new AbortController();
  const now = opts.now ?? (() => new Date());
  const policy: ReconnectPolicy = {
    ...DEFAULT_RECONNECT_POLICY,
    baseMs: opts.minReconnectDelayMs ?? DEFAULT_RECONNECT_POLICY.baseMs,
    maxMs: opts.maxReconnectDelayMs ?? DEFAULT_RECONNECT_POLICY.maxMs,
  };
  const st = {
    connected: false,
    lastSyncAt: null as Date | null,
    lastError: null as string | null,
    ingested: 0,
    mode: 'disconnected' as 'idle' | 'poll' | 'disconnected',
    attempts: 0,
    retryingSince: null as Date | null,
    nextAttemptAt: null as Date | null,
  };
  const report = createMailboxStateReporter(deps.db, `${opts.imap.user}/${opts.imap.mailbox}`, log);
  const ingestDeps: IngestDeps = { ...deps, logger: log, isStopping: () => stopping };
  let running: Promise<void> | null = null;

  async function requeueArchived(): Promise<void> {
    // a crash between "recorded" and "enqueued" (an import, or a poller killed mid-way) leaves rows in 'archived'
    for (const row of await listUnqueued(deps.db)) {
      const jobId = jobIds.processMessage(row.sha256);
      await enqueue(deps.queues, 'processMessage', { sha256: row.sha256 }, jobId);
      await markQueued(deps.db, [{ id: row.id, jobId }]);
      log.info({ code: 'job.requeued', sha256: row.sha256, ledgerId: row.id }, 'recorded but never queued: queued now');
    }
  }

  // ImapFlow logs every command at debug/info: keep its warnings and errors (TLS, protocol
  // trouble) on our stream, never its chatter, and never more verbose than our own level
  const imapLog = log.child({ component: 'imapflow' });
  if (imapLog.levelVal < imapLog.levels.values.warn!) imapLog.level = 'warn';

  /** one connection: resolves or throws when it ends; `synced` is set once the mailbox was read */
  async function session(progress: { synced: boolean }): Promise<void> {
    const w = wake;
    const c = new ImapFlow({
      host: opts.imap.host,
      port: opts.imap.port,
      secure: opts.imap.secure,
      auth: { user: opts.imap.user, pass: opts.imap.pass },
      // while connecting, ImapFlow's own error lines would repeat our one line per backoff step
      logger: quietUntilConnected(imapLog, () => st.connected),
      emitLogs: false,
      // we run IDLE ourselves while holding the mailbox lock
      disableAutoIdle: true,
      connectionTimeout: 15_000,
      greetingTimeout: 10_000,
      socketTimeout: 120_000,
    });
    client = c;
    c.on('error', (err: Error) => {
      st.lastError = err.message;
      // a refused or failed connect also rejects connect(): that is logged once, by the reconnect step
      if (st.connected) log.warn({ code: 'imap.error', err }, 'IMAP connection error');
      else log.debug({ code: 'imap.error', err }, 'IMAP connection error while connecting');
      w.fire('error');
    });
    c.on('close', () => {
      st.connected = false;
      w.fire('closed');
    });
    c.on('exists', (d: { count: number; prevCount: number }) => {
      if (d.count > d.prevCount) w.fire('exists');
    });
    // the archive's first-write set-up (mkdir, fsyncs) overlaps the IMAP login; a failure here is
    // met again, and reported, by the first batch's write, which retries the set-up
    void deps.rawStore.prepare().catch(() => undefined);
    await c.connect();
    st.connected = true;
    const connectedAt = now();
    const useIdle = !opts.disableIdle && c.capabilities.has('IDLE');
    st.mode = useIdle ? 'idle' : 'poll';
    log.info(
      { code: 'imap.connected', idle: useIdle },
      useIdle ? 'connected; waiting with IDLE' : 'connected; server has no IDLE: polling',
    );
    await prepareMailboxAction(c, opts.action);
    const lock = await c.getMailboxLock(opts.imap.mailbox);
    try {
      await requeueArchived();
      let lastRescan = Date.now();
      let rescan = true;
      while (!stopping && c.usable) {
        const r = await syncMailbox(
          c,
          { ...ingestDeps, mailbox: opts.imap.mailbox, action: opts.action, log },
          { rescan, limits: opts.fetchLimits },
        );
        st.ingested += r.ingested;
        st.lastSyncAt = new Date();
        if (!progress.synced) {
          progress.synced = true;
          await report.connected(connectedAt, st);
          st.attempts = 0;
          st.retryingSince = null;
          st.nextAttemptAt = null;
        }
        // stop() sets `stopping` while the sync awaited; the compiler cannot see that
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
        if (r.stopped || stopping) break;
        rescan = false;
        const untilRescan = Math.max(0, opts.rescanIntervalMs - (Date.now() - lastRescan));
        if (useIdle) {
          // IDLE ends by itself when the next command (the sync's SEARCH) is sent
          c.idle().catch((err: unknown) => log.warn({ code: 'imap.idle-error', err }, 'IDLE failed'));
          // a sync at least once a minute doubles as a liveness check: a half-open connection
          // that IDLE would never notice fails the SEARCH and we reconnect
          const why = await w.wait(Math.min(untilRescan, HEARTBEAT_MS));
          if (why === 'timer') {
            rescan = true;
            lastRescan = Date.now();
          }
        } else {
          const why = await w.wait(Math.min(opts.pollIntervalMs, untilRescan));
          if (why === 'timer' && Date.now() - lastRescan >= opts.rescanIntervalMs) {
            rescan = true;
            lastRescan = Date.now();
          }
        }
      }
    } finally {
      lock.release();
    }
  }

  async function loop(): Promise<void> {
    let rs: ReconnectState = INITIAL_RECONNECT_STATE;
    while (!stopping) {
      const progress = { synced: false };
      wake = new Wakeup();
      let failure: unknown = null;
      try {
        await session(progress);
      } catch (err) {
        failure = err;
        st.lastError = err instanceof Error ? err.message : String(err);
      } finally {
        st.connected = false;
        st.mode = 'disconnected';
        const c = client;
        client = null;
        // logout on a connection that never came up (or already died) fails: closing is all that is left
        if (c) await c.logout().catch(() => c.close());
      }
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by stop() meanwhile
      if (stopping) break;
      const d = decideNextWait(rs, { at: now(), synced: progress.synced }, policy, opts.random);
      rs = d.state;
      st.attempts = rs.failures;
      st.retryingSince = rs.retryingSince;
      st.nextAttemptAt = d.nextAttemptAt;
      if (d.log) {
        log.warn(
          {
            code: 'imap.reconnecting',
            err: failure ?? undefined,
            failures: rs.failures,
            attemptsSinceLastLine: d.attemptsLogged,
            retryingSince: rs.retryingSince,
            retryInMs: d.waitMs,
          },
          failure
            ? 'mailbox session failed; reconnecting after a wait'
            : 'mailbox connection closed; reconnecting after a wait',
        );
      }
      await report.retrying(st, now());
      // only stop() ends this wait early: nothing the dead connection emits can
      await stoppableSleep(d.waitMs, stopSignal.signal);
    }
    await report.stopped(now(), st);
    log.info({ code: 'poller.stopped' }, 'poller stopped');
  }

  return {
    run() {
      running ??= loop();
      return running;
    },
    async stop() {
      stopping = true;
      wake.fire('stop');
      stopSignal.abort();
      await running;
    },
    status: () => ({ ...st }),
  };
}
