/** The part of pino the outbox uses; pass a child logger, or nothing. */
export interface AckLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: object): AckLogger;
}

const noop = (): void => undefined;
export const SILENT_LOGGER: AckLogger = {
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  child: () => SILENT_LOGGER,
};
