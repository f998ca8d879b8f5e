import type { Logger } from '@intake/logger';

/**
 * ImapFlow's logger, with its warnings and errors demoted to debug until the
 * connection is up: a refused connect is reported once, by the reconnect step,
 * not again by ImapFlow on every attempt. Once connected its warnings count.
 */
export function quietUntilConnected(
  log: Logger,
  isConnected: () => boolean,
): { debug(o: object): void; info(o: object): void; warn(o: object): void; error(o: object): void } {
  return {
    debug: (o) => log.debug(o),
    info: (o) => log.info(o),
    warn: (o) => (isConnected() ? log.warn(o) : log.debug(o)),
    error: (o) => (isConnected() ? log.error(o) : log.debug(o)),
  };
}
