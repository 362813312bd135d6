import { open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { ContractError } from '../../shared/contract/errors';
import { errorMessageEn, errorName, sentence, term, type SavedThing } from '../../shared/contract/errorWords';

let tmpCounter = 0;
/** Temp files of writeFileAtomic: `.<name>.<pid>.<n>.tmp`. */
const TEMP_PATTERN = /^\..+\.\d+\.\d+\.tmp$/;

/** The part of a file handle that writeFully needs (a real FileHandle, or a test double that writes short). */
export interface PositionalWriter {
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
}

/**
 * Writes all of `data` at `position`: a short write (the disk filling up) is continued until every byte is written
 * or the system says why it cannot be, which then throws. Never returns having written less.
 */
export async function writeFully(handle: PositionalWriter, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('no bytes could be written'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/**
 * Writes `data` to `path` so that a crash or power loss leaves either the old file or the new one:
 * temp file in the same folder, every byte checked, fsync, rename over the target, fsync the folder.
 * On any failure the temp file is removed and the target is untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${tmpCounter++}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let handle: FileHandle | null = null;
  try {
    handle = await open(tmp, 'w');
    await writeFully(handle, bytes, 0);
    await handle.sync();
    await handle.close();
    handle = null;
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dirname(path));
}

/** Flushes a folder's entries (renames, new files) to disk; a no-op where the platform cannot. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a directory; rename is already durable enough there.
  } finally {
    await handle?.close();
  }
}

/** Removes the temp files an interrupted writeFileAtomic left in `dir` (never anything else); returns their names. */
export async function removeTempFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!TEMP_PATTERN.test(name)) continue;
    await unlink(join(dir, name)).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

/** True when `err` says the disk (or the user's quota) is full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * A failed write as a contract error in words: a full disk says so (details.reason 'disk_full'), anything else names
 * the system's reason. `what` says what was not saved (a term the UI translates: what_label, what_calls…).
 */
export function writeError(err: unknown, what: SavedThing, file: string): ContractError {
  if (err instanceof ContractError) return err;
  if (isDiskFull(err)) {
    return new ContractError('io', sentence('disk_full', { what: term(what) }), {
      file,
      reason: 'disk_full',
    });
  }
  const words = sentence('not_saved', { what: term(what), detail: errorName(err) });
  return new ContractError('io', words, { file, reason: 'io' }, `${errorMessageEn([words])} ${(err as Error).message}`);
}

/** Thrown by DurableJsonFile.read when the file exists but is not valid JSON. */
export class CorruptFileError extends Error {
  constructor(
    readonly path: string,
    /** What is wrong with it, without the path (the JSON parser's words). */
    readonly reason: string,
  ) {
    super(`${path} is corrupt: ${reason}`);
    this.name = 'CorruptFileError';
  }
}

/**
 * A lowdb adapter whose writes are atomic, checked and fsynced (lowdb's own JSONFile renames without fsync),
 * and whose reads tell a missing file (null) from a corrupt one (CorruptFileError).
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly path: string, private readonly indent = 0) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ContractError('io', sentence('cannot_read', { file: this.path, detail: errorName(err) }), { file: this.path }, `Cannot read ${this.path}: ${(err as Error).message}`);
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new CorruptFileError(this.path, (err as Error).message);
    }
  }

  async write(data: T): Promise<void> {
    await writeFileAtomic(this.path, JSON.stringify(data, null, this.indent || undefined));
  }
}
