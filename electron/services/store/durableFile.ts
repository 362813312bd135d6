import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { ContractError } from '../../../shared/contract/errors';

let tmpCounter = 0;

/**
 * Writes `data` to `path` so that a crash or power loss leaves either the old file or the new one:
 * temp file in the same folder, fsync, rename over the target, fsync the folder.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${tmpCounter++}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
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

/** Thrown by DurableJsonFile.read when the file exists but is not valid JSON. */
export class CorruptFileError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path} is corrupt: ${reason}`);
    this.name = 'CorruptFileError';
  }
}

/**
 * A lowdb adapter whose writes are atomic and fsynced (lowdb's own JSONFile renames without fsync),
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
      throw new ContractError('io', `Cannot read ${this.path}: ${(err as Error).message}`, { file: this.path });
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
