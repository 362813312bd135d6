import { join } from 'node:path';
import { ContractError } from '../../../shared/contract/errors';
import { createFileLogger, type FileLogger, type LogFields, type Logger } from './logger';

export type { FileLogger, LogFields, Logger, LogLevel, LogRecord } from './logger';
export { createFileLogger, LOG_FILE_NAME } from './logger';

const silent: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined };
let sink: Logger = silent;

/**
 * The process's log. Every caught error in the services, the bridges, the desktop host and the workers' jobs is
 * recorded here; until `openLog` names the data folder, records are dropped.
 */
export const log: Logger = {
  error: (event: string, err: unknown, fields?: LogFields) => sink.error(event, err, fields),
  warn: (event: string, err: unknown, fields?: LogFields) => sink.warn(event, err, fields),
  info: (event: string, message: string, fields?: LogFields) => sink.info(event, message, fields),
};

/** Sends the log to `<dataDir>/logs/callsift.log` (5 MB × 5 files) and returns that logger. */
export function openLog(dataDir: string): FileLogger {
  const file = createFileLogger({ dir: logDir(dataDir) });
  sink = file;
  return file;
}

/** Where the log files of a data folder are. */
export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

/** Sends the log to `logger` until the returned function puts the previous one back (tests). */
export function useLogger(logger: Logger): () => void {
  const previous = sink;
  sink = logger;
  return () => {
    sink = previous;
  };
}

/**
 * Records a failed contract call: `error` for what should not happen (`internal`, `io`, anything not a ContractError),
 * `warn` for answers the caller is meant to handle (not found, conflict, a refused argument or file).
 */
export function recordCallFailure(method: string, err: unknown): void {
  const expected = err instanceof ContractError && err.code !== 'internal' && err.code !== 'io';
  const fields = { method, ...(err instanceof ContractError ? { code: err.code } : {}) };
  if (expected) log.warn('call.failed', err, fields);
  else log.error('call.failed', err, fields);
}
