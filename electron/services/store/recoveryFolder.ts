import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { syncDirectory, writeFileAtomic } from '../../../lib/durable/durableFile';

/**
 * Where recovery puts what it will not use, instead of deleting it: `<workspace>/recovery/<time of the open>/…`,
 * keeping each file's path inside the workspace. Nothing in it is read again by Callsift.
 */
export class RecoveryFolder {
  private readonly stamp: string;

  constructor(
    private readonly workspace: string,
    now = new Date(),
  ) {
    this.stamp = now.toISOString().replace(/[:.]/g, '-');
  }

  /** Moves `relPath` (relative to the workspace) into the recovery folder; returns where it went, relative to the workspace. */
  async moveAside(relPath: string): Promise<string> {
    const target = await this.freeTarget(relPath);
    await mkdir(dirname(join(this.workspace, target)), { recursive: true });
    await rename(join(this.workspace, relPath), join(this.workspace, target));
    await syncDirectory(dirname(join(this.workspace, target)));
    await syncDirectory(dirname(join(this.workspace, relPath)));
    return target;
  }

  /** Copies `relPath` into the recovery folder, leaving the original; returns where the copy is. */
  async copyAside(relPath: string): Promise<string> {
    const target = await this.freeTarget(relPath);
    await mkdir(dirname(join(this.workspace, target)), { recursive: true });
    await copyFile(join(this.workspace, relPath), join(this.workspace, target));
    return target;
  }

  /** Saves `bytes` cut from `relPath` as `<relPath>.<suffix>` in the recovery folder; returns where. */
  async saveCut(relPath: string, suffix: string, bytes: Uint8Array): Promise<string> {
    const target = await this.freeTarget(`${relPath}.${suffix}`);
    await mkdir(dirname(join(this.workspace, target)), { recursive: true });
    await writeFileAtomic(join(this.workspace, target), bytes);
    return target;
  }

  private async freeTarget(relPath: string): Promise<string> {
    const base = join('recovery', this.stamp, relPath);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}.${n}`;
      const taken = await stat(join(this.workspace, candidate)).then(
        () => true,
        () => false,
      );
      if (!taken) return candidate.split('\\').join('/');
    }
  }
}
