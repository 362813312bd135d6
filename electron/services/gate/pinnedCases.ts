import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ContractError } from '../../../shared/contract/errors';
import { sentence } from '../../../shared/contract/errorWords';
import { CorruptFileError, DurableJsonFile } from '../../../lib/durable/durableFile';

/** A pinned case as kept on disk: self-contained, so it is checked the same after its call is gone. */
export interface PinnedCaseRecord {
  readonly utteranceId: string;
  readonly text: string;
  readonly botPrompt: string | null;
  /** What the model reads (`contextualText`: the utterance with its bot question, node and previous turn). */
  readonly modelText: string;
  readonly intentId: string;
  readonly pinnedAt: number;
  readonly pinnedBy: string;
}

interface PinnedDoc {
  readonly v: 1;
  readonly cases: PinnedCaseRecord[];
}

/**
 * gate/pinned.json: the workspace's must-not-break cases. Each change is written atomically (temp, fsync, rename,
 * fsync folder: lib/durable) before the call that made it resolves; changes are serialized.
 */
export class PinnedCaseBook {
  private readonly byId = new Map<string, PinnedCaseRecord>();
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(private readonly file: DurableJsonFile<PinnedDoc>, cases: readonly PinnedCaseRecord[]) {
    for (const c of cases) this.byId.set(c.utteranceId, c);
  }

  /** Opens `${dir}/pinned.json`; a damaged file is an error (pinned cases are not dropped silently). */
  static async open(dir: string): Promise<PinnedCaseBook> {
    await mkdir(dir, { recursive: true });
    const file = new DurableJsonFile<PinnedDoc>(join(dir, 'pinned.json'));
    try {
      const doc = await file.read();
      return new PinnedCaseBook(file, doc?.cases ?? []);
    } catch (err) {
      if (err instanceof CorruptFileError) throw new ContractError('io', sentence('pinned_damaged', { file: err.path }), { file: err.path, reason: 'damaged_file' });
      throw err;
    }
  }

  /** Every case, newest first. */
  list(): PinnedCaseRecord[] {
    return [...this.byId.values()].sort((a, b) => b.pinnedAt - a.pinnedAt || a.utteranceId.localeCompare(b.utteranceId));
  }

  /** Adds or replaces the case of `record.utteranceId`; resolves once it is on disk. */
  pin(record: PinnedCaseRecord): Promise<PinnedCaseRecord> {
    return this.change(() => {
      this.byId.set(record.utteranceId, record);
      return record;
    });
  }

  /** Removes the case of `utteranceId`; resolves (true when there was one) once the change is on disk. */
  unpin(utteranceId: string): Promise<boolean> {
    return this.change(() => this.byId.delete(utteranceId));
  }

  private change<T>(apply: () => T): Promise<T> {
    const run = this.writing.then(async () => {
      const before = new Map(this.byId);
      const result = apply();
      try {
        await this.file.write({ v: 1, cases: [...this.byId.values()] });
      } catch (err) {
        this.byId.clear();
        for (const [k, v] of before) this.byId.set(k, v);
        throw err;
      }
      return result;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }
}
