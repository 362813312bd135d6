import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DurableJsonFile, writeFileAtomic } from '../../lib/durable/durableFile';
import { ApiError } from '../http';

/** What the registry lists about a model version (everything but the artifact). */
export interface ModelSummary {
  readonly version: number;
  readonly uploadedAt: number;
  readonly notes: string;
  /** The evaluation the uploader attached (held-out metrics), as sent. */
  readonly evaluation: unknown;
  /** SHA-256 of the artifact's JSON text, hex. */
  readonly sha256: string;
  readonly sizeBytes: number;
}

/** A model version with its artifact. */
export interface ModelRecord extends ModelSummary {
  readonly artifact: unknown;
}

/** One activation or rollback, for the audit trail. */
export interface RegistryEvent {
  readonly at: number;
  readonly action: 'activate' | 'rollback';
  readonly version: number;
  readonly previous: number | null;
}

interface RegistryFile {
  readonly nextVersion: number;
  readonly active: number | null;
  /** Previously active versions, the most recent last; rollback pops it. */
  readonly history: readonly number[];
  readonly events: readonly RegistryEvent[];
}

const MODEL_FILE = /^(\d{3,})\.json$/;

/** File name of model version `version`: `001.json`. */
export function modelFileName(version: number): string {
  return `${String(version).padStart(3, '0')}.json`;
}

/**
 * The project's model registry: one file per uploaded version (`models/NNN.json`, written atomically,
 * never changed) and `registry.json` (the active version and the activation history).
 */
export class ModelRegistry {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly file: DurableJsonFile<RegistryFile>,
    private state: RegistryFile,
    private readonly summaries: ModelSummary[],
  ) {}

  /** Opens the registry in `dir` (the project's `models/` folder). */
  static async open(dir: string): Promise<ModelRegistry> {
    await mkdir(dir, { recursive: true });
    const file = new DurableJsonFile<RegistryFile>(join(dir, 'registry.json'), 1);
    const summaries: ModelSummary[] = [];
    for (const name of (await readdir(dir)).sort()) {
      if (!MODEL_FILE.test(name)) continue;
      const { artifact: _artifact, ...summary } = JSON.parse(await readFile(join(dir, name), 'utf8')) as ModelRecord;
      summaries.push(summary);
    }
    summaries.sort((a, b) => a.version - b.version);
    const highest = summaries.at(-1)?.version ?? 0;
    const stored = await file.read();
    const state: RegistryFile = stored
      ? { ...stored, nextVersion: Math.max(stored.nextVersion, highest + 1) }
      : { nextVersion: highest + 1, active: null, history: [], events: [] };
    return new ModelRegistry(dir, file, state, summaries);
  }

  /** The active version, or null when none was ever activated. */
  get activeVersion(): number | null {
    return this.state.active;
  }

  /** Every uploaded version, oldest first. */
  list(): readonly ModelSummary[] {
    return this.summaries;
  }

  /** When the active version became active (its last activate or rollback event), or null. */
  get activatedAt(): number | null {
    const active = this.state.active;
    if (active === null) return null;
    for (let i = this.state.events.length - 1; i >= 0; i--) if (this.state.events[i]!.version === active) return this.state.events[i]!.at;
    return null;
  }

  /**
   * When the active version came back by a rollback (the last event): the version rolled back, when it had been
   * activated and when it was rolled back; else null. The traffic between the two was answered by the rolled-back one.
   */
  get rolledBack(): { readonly version: number; readonly activatedAt: number; readonly rolledBackAt: number } | null {
    const events = this.state.events;
    const last = events.at(-1);
    if (last?.action !== 'rollback' || last.previous === null) return null;
    for (let i = events.length - 2; i >= 0; i--) if (events[i]!.version === last.previous) return { version: last.previous, activatedAt: events[i]!.at, rolledBackAt: last.at };
    return null;
  }

  /** Previously active versions, most recent last. */
  get history(): readonly number[] {
    return this.state.history;
  }

  /** Stores a new version; resolves with it once its file is on disk. */
  upload(artifact: unknown, evaluation: unknown, notes: string, now = Date.now()): Promise<ModelSummary> {
    return this.serialize(async () => {
      const version = this.state.nextVersion;
      const artifactJson = JSON.stringify(artifact);
      const summary: ModelSummary = {
        version,
        uploadedAt: now,
        notes,
        evaluation: evaluation ?? null,
        sha256: createHash('sha256').update(artifactJson).digest('hex'),
        sizeBytes: Buffer.byteLength(artifactJson, 'utf8'),
      };
      await writeFileAtomic(join(this.dir, modelFileName(version)), JSON.stringify({ ...summary, artifact }));
      await this.save({ ...this.state, nextVersion: version + 1 });
      this.summaries.push(summary);
      return summary;
    });
  }

  /** Reads version `version` with its artifact; a 404 ApiError when there is no such version. */
  async get(version: number): Promise<ModelRecord> {
    if (!this.summaries.some((s) => s.version === version)) throw notFound(version);
    return JSON.parse(await readFile(join(this.dir, modelFileName(version)), 'utf8')) as ModelRecord;
  }

  /** Makes `version` the active one; the one it replaces goes on the rollback history. */
  activate(version: number, now = Date.now()): Promise<ModelSummary> {
    return this.serialize(async () => {
      const summary = this.summaries.find((s) => s.version === version);
      if (!summary) throw notFound(version);
      const previous = this.state.active;
      if (previous === version) return summary;
      const history = previous === null ? this.state.history : [...this.state.history, previous];
      await this.save({ ...this.state, active: version, history, events: [...this.state.events, { at: now, action: 'activate', version, previous }] });
      return summary;
    });
  }

  /** Re-activates the previously active version; a 409 ApiError when there is none. */
  rollback(now = Date.now()): Promise<ModelSummary> {
    return this.serialize(async () => {
      const version = this.state.history.at(-1);
      if (version === undefined) throw new ApiError(409, 'nothing_to_roll_back', 'No model was active before the current one, so there is nothing to roll back to.');
      const history = this.state.history.slice(0, -1);
      const previous = this.state.active;
      await this.save({ ...this.state, active: version, history, events: [...this.state.events, { at: now, action: 'rollback', version, previous }] });
      return this.summaries.find((s) => s.version === version)!;
    });
  }

  private async save(next: RegistryFile): Promise<void> {
    await this.file.write(next);
    this.state = next;
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.writing.then(task);
    this.writing = run.catch(() => undefined);
    return run;
  }
}

function notFound(version: number): ApiError {
  return new ApiError(404, 'not_found', `There is no model version ${version} in this project.`);
}
