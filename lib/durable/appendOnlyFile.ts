import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { writeFully, type PositionalWriter } from './durableFile';

/** The file operations an append-only file needs; a real FileHandle, or a test double that fails like a full disk. */
export interface AppendFileHandle extends PositionalWriter {
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** Opens `path` for reading and writing, creating it. */
export type AppendFileOpener = (path: string) => Promise<AppendFileHandle>;

export const openForAppend: AppendFileOpener = (path) => open(path, constants.O_RDWR | constants.O_CREAT, 0o644);

/**
 * A file that only grows by whole, checked, fsynced writes. `append` writes every byte at the end of the last
 * successful write and fsyncs; a failed or short write is never reported as done, and the bytes it may have left are
 * cut off again before the next write, so what follows always starts on a clean line.
 */
export class AppendOnlyFile {
  /** A failed write may have left bytes after `size`. */
  private dirtyTail: boolean;

  private constructor(
    private handle: AppendFileHandle | null,
    private size: number,
  ) {
    this.dirtyTail = false;
  }

  /** Opens `path` to append after its first `goodBytes` bytes (anything after them is cut before the first append). */
  static async open(path: string, goodBytes: number, opener: AppendFileOpener = openForAppend): Promise<AppendOnlyFile> {
    const handle = await opener(path);
    const actual = (await handle.stat()).size;
    const file = new AppendOnlyFile(handle, Math.min(goodBytes, actual));
    file.dirtyTail = actual > file.size;
    return file;
  }

  /** Bytes of whole, durable writes. */
  get length(): number {
    return this.size;
  }

  /** Writes `data` whole at the end and fsyncs; throws (having kept nothing of it) when it cannot. */
  async append(data: Uint8Array): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error('the file is closed');
    if (this.dirtyTail) await this.cutTail(handle);
    try {
      await writeFully(handle, data, this.size);
      await handle.datasync();
    } catch (err) {
      this.dirtyTail = true;
      await this.cutTail(handle).catch(() => undefined);
      throw err;
    }
    this.size += data.length;
  }

  /** Closes the file (cutting a failed write's leftovers when it can). */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (!handle) return;
    if (this.dirtyTail) await this.cutTail(handle).catch(() => undefined);
    await handle.close();
  }

  /** Closes the file without finishing anything (crash tests). */
  async abandon(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  private async cutTail(handle: AppendFileHandle): Promise<void> {
    await handle.truncate(this.size);
    await handle.datasync();
    this.dirtyTail = false;
  }
}
