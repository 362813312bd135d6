import type { Intent, IntentPatch as DomainIntentPatch} from '../../shared/domain/types';
import { DurableJsonFile } from '../../lib/durable/durableFile';

/** An intent with the catalogue version that last changed it. */
export interface CatalogueIntent extends Intent {
  readonly version: number;
}

interface CatalogueFile {
  readonly version: number;
  readonly intents: readonly CatalogueIntent[];
}

/** What changed since a version: the changed intents, the new version and its ETag. */
export interface CatalogueChanges {
  readonly version: number;
  readonly etag: string;
  /** False when `since` was given: only intents changed after it are listed. */
  readonly complete: boolean;
  readonly intents: readonly CatalogueIntent[];
}

/** The fields a client may set on an intent. */
export interface IntentPatch extends DomainIntentPatch {
  readonly mergedInto?: string;
}

/**
 * The project's intent catalogue in `intents.json` (atomic, fsynced writes). Every change bumps the
 * catalogue version and stamps the changed intents with it, so a client pulls only what changed.
 * Intents are never deleted; they are deprecated or merged.
 */
export class Catalogue {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: DurableJsonFile<CatalogueFile>,
    private data: CatalogueFile,
  ) {}

  /** Opens the catalogue at `path`, creating it with `initial` (as version 1) when missing. */
  static async open(path: string, initial: () => readonly Intent[]): Promise<Catalogue> {
    const file = new DurableJsonFile<CatalogueFile>(path, 1);
    let data = await file.read();
    if (!data) {
      data = { version: 1, intents: initial().map((intent) => ({ ...intent, version: 1 })) };
      await file.write(data);
    }
    return new Catalogue(file, data);
  }

  get version(): number {
    return this.data.version;
  }

  /** Every intent, in catalogue order. */
  get intents(): readonly CatalogueIntent[] {
    return this.data.intents;
  }

  /** The ETag of the current version. */
  get etag(): string {
    return etagOf(this.data.version);
  }

  /** Intents changed after version `since` (all of them when `since` is null). */
  changesSince(since: number | null): CatalogueChanges {
    const intents = since === null ? this.data.intents : this.data.intents.filter((intent) => intent.version > since);
    return { version: this.data.version, etag: this.etag, complete: since === null, intents };
  }

  /** Creates or updates intent `id`; resolves with the stored intent once the file is on disk. */
  upsert(id: string, patch: IntentPatch, now = Date.now()): Promise<CatalogueIntent> {
    const run = this.writing.then(async () => {
      const version = this.data.version + 1;
      const existing = this.data.intents.find((intent) => intent.id === id);
      const base: CatalogueIntent = existing ?? { id, name: id, description: '', examples: [], status: 'active', createdAt: now, updatedAt: now, version };
      const updated: CatalogueIntent = { ...base, ...definedOnly(patch), id, updatedAt: now, version };
      const intents = existing ? this.data.intents.map((intent) => (intent.id === id ? updated : intent)) : [...this.data.intents, updated];
      const next = { version, intents };
      await this.file.write(next);
      this.data = next;
      return updated;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }
}

/** The ETag of catalogue version `version`. */
export function etagOf(version: number): string {
  return `"intents-v${version}"`;
}

function definedOnly(patch: IntentPatch): IntentPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as IntentPatch;
}
