import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger as PinoLogger } from 'pino';

/** How bad a log record is: `error` for failures, `warn` for failures handled by a fallback, `info` for facts. */
export type LogLevel = 'error' | 'warn' | 'info';

/** Extra fields of a record: plain JSON values (ids, paths, counts), never the utterance text. */
export type LogFields = Readonly<Record<string, string | number | boolean | null>>;

/** One line of the log file, as written (JSON, one object a line). */
export interface LogRecord extends Record<string, unknown> {
  /** ISO 8601 UTC time. */
  readonly time: string;
  readonly level: LogLevel;
  /** What failed or happened, as a dotted name that can be searched for (`store.compact`, `model.restore`). */
  readonly event: string;
  readonly message: string;
  /** The caught error, when there is one. */
  readonly error?: { readonly name: string; readonly message: string; readonly code?: string; readonly stack?: string };
}

/** Records what the app caught. Never throws, whatever happens to the file. */
export interface Logger {
  error(event: string, err: unknown, fields?: LogFields): void;
  warn(event: string, err: unknown, fields?: LogFields): void;
  info(event: string, message: string, fields?: LogFields): void;
}

/** Options of `createFileLogger`. */
export interface FileLoggerOptions {
  /** The folder of `callsift.log` and its rotated files `callsift.log.1` … (created when missing). */
  readonly dir: string;
  /** Size at which the file is rotated (default 5 MB). */
  readonly maxBytes?: number;
  /** How many files are kept, the live one included (default 5). */
  readonly maxFiles?: number;
  /** Where the single line goes when writing fails (default stderr). */
  readonly warn?: (line: string) => void;
  /** The clock, for tests. */
  readonly now?: () => number;
}

/** A logger that writes a file, and says where. */
export interface FileLogger extends Logger {
  /** The live file, `<dir>/callsift.log`. */
  readonly path: string;
}

export const LOG_FILE_NAME = 'callsift.log';

/**
 * A JSON-lines logger writing `<dir>/callsift.log`, rotated by size: past `maxBytes` the file becomes `callsift.log.1`
 * (the older ones shift up, the oldest beyond `maxFiles` is dropped). Records are built by pino (levels, fields, safe
 * serialization) and handed to a synchronous destination: each record is one append, on disk before the call returns,
 * even if the process dies next (pino's own rotating transports write from a worker thread, which a crash can cut
 * short). A failing write is ignored after one line on stderr: the log never breaks the app.
 */
export function createFileLogger(options: FileLoggerOptions): FileLogger {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const maxFiles = Math.max(1, options.maxFiles ?? 5);
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const path = join(options.dir, LOG_FILE_NAME);
  let size: number | null = null;
  let warned = false;

  function currentSize(): number {
    if (size === null) {
      mkdirSync(options.dir, { recursive: true });
      try {
        size = statSync(path).size;
      } catch {
        size = 0;
      }
    }
    return size;
  }

  function rotate(): void {
    rmSync(`${path}.${maxFiles - 1}`, { force: true });
    for (let i = maxFiles - 2; i >= 1; i--) renameQuietly(`${path}.${i}`, `${path}.${i + 1}`);
    if (maxFiles > 1) renameQuietly(path, `${path}.1`);
    else rmSync(path, { force: true });
    size = 0;
  }

  function writeLine(line: string): void {
    try {
      const bytes = Buffer.byteLength(line);
      if (currentSize() > 0 && currentSize() + bytes > maxBytes) rotate();
      appendFileSync(path, line);
      size = currentSize() + bytes;
    } catch (err) {
      size = null;
      if (warned) return;
      warned = true;
      warn(`Callsift cannot write its log ${path} (${err instanceof Error ? err.message : String(err)}); further log records are dropped silently.`);
    }
  }

  const records: PinoLogger = pino(
    {
      level: 'info',
      base: undefined,
      messageKey: 'message',
      timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: writeLine },
  );
  const write = (level: LogLevel, event: string, message: string, fields: Readonly<Record<string, unknown>>): void => {
    try {
      records[level]({ ...fields, event }, message);
    } catch (err) {
      writeLine(`${JSON.stringify({ time: new Date(now()).toISOString(), level: 'error', event: 'log.unwritable', message: String(err) })}\n`);
    }
  };
  const caught = (level: LogLevel, event: string, err: unknown, fields?: LogFields) => {
    const record = toRecord(now(), level, event, err, fields);
    write(level, event, record.message, { ...fields, error: record.error });
  };

  return {
    path,
    error: (event, err, fields) => caught('error', event, err, fields),
    warn: (event, err, fields) => caught('warn', event, err, fields),
    info: (event, message, fields) => write('info', event, message, fields ?? {}),
  };
}

/** The record of a caught error: its message, name, errno code and stack. */
export function toRecord(time: number, level: LogLevel, event: string, err: unknown, fields?: LogFields): LogRecord {
  const error =
    err instanceof Error
      ? {
          name: err.name,
          message: err.message,
          ...(typeof (err as NodeJS.ErrnoException).code === 'string' ? { code: (err as NodeJS.ErrnoException).code! } : {}),
          ...(err.stack ? { stack: err.stack } : {}),
        }
      : { name: typeof err, message: String(err) };
  return { ...fields, time: new Date(time).toISOString(), level, event, message: error.message, error };
}

function renameQuietly(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
