import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Intent } from '../../shared/domain/types';
import { parseUtteranceId } from '../../shared/domain/types';
import { DurableJsonFile } from '../../lib/durable/durableFile';
import { createPredictor, type Predictor } from '../predictor';
import { CallFeed } from './callFeed';
import { Catalogue, type CatalogueIntent, type IntentPatch } from './catalogue';
import { LabelBook } from './labelBook';
import { ModelRegistry, type ModelSummary } from './modelRegistry';

/** Where a project's simulated traffic comes from. */
export type TrafficSource = { readonly kind: 'demo'; readonly seed: number } | { readonly kind: 'dataset'; readonly path: string };

/** `project.json`. */
export interface ProjectMeta {
  readonly name: string;
  readonly createdAt: number;
  readonly source: TrafficSource;
}

/** What a new project starts with. */
export interface ProjectSeed {
  readonly source: TrafficSource;
  readonly intents: () => readonly Intent[];
}

/** A project name: letters, digits, dot, dash and underscore, up to 64 characters. */
export const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * One project's store in `<data>/projects/<name>/`: `project.json`, `intents.json`, `calls/` (the feed),
 * `labels/` (the label journal) and `models/` (the registry), plus the predictor of the active model.
 */
export class PlatformProject {
  private currentPredictor: Predictor;

  private constructor(
    readonly meta: ProjectMeta,
    readonly catalogue: Catalogue,
    readonly feed: CallFeed,
    readonly labels: LabelBook,
    readonly models: ModelRegistry,
    predictor: Predictor,
  ) {
    this.currentPredictor = predictor;
  }

  /** Opens the project in `dir`; creates it from `seed` when the folder holds none (else: not found). */
  static async open(dir: string, name: string, seed: ProjectSeed | null): Promise<PlatformProject> {
    await mkdir(dir, { recursive: true });
    const metaFile = new DurableJsonFile<ProjectMeta>(join(dir, 'project.json'), 2);
    let meta = await metaFile.read();
    if (!meta) {
      if (!seed) throw new Error(`${dir} holds no project.`);
      meta = { name, createdAt: Date.now(), source: seed.source };
      await metaFile.write(meta);
    }
    const catalogue = await Catalogue.open(join(dir, 'intents.json'), seed?.intents ?? (() => []));
    const feed = await CallFeed.open(join(dir, 'calls'));
    const labels = await LabelBook.open(join(dir, 'labels'));
    const models = await ModelRegistry.open(join(dir, 'models'));
    const predictor = await loadPredictor(models, catalogue);
    return new PlatformProject(meta, catalogue, feed, labels, models, predictor);
  }

  get name(): string {
    return this.meta.name;
  }

  /** The predictor of the active model; new traffic is predicted with it, stored calls never again. */
  get predictor(): Predictor {
    return this.currentPredictor;
  }

  /** True when the utterance id is well formed and names a stored call. */
  isKnownUtterance(utteranceId: string): boolean {
    const parsed = parseUtteranceId(utteranceId);
    return parsed !== null && this.feed.hasCall(parsed.callId);
  }

  /** Activates model `version`; predictions of new traffic change from now on. */
  async activateModel(version: number): Promise<ModelSummary> {
    const summary = await this.models.activate(version);
    this.currentPredictor = await loadPredictor(this.models, this.catalogue);
    return summary;
  }

  /** Re-activates the previously active model; `now` (default: the clock) dates it, for tests in simulated time. */
  async rollbackModel(now = Date.now()): Promise<ModelSummary> {
    const summary = await this.models.rollback(now);
    this.currentPredictor = await loadPredictor(this.models, this.catalogue);
    return summary;
  }

  /** Creates or updates an intent; the catalogue baseline (no model active) learns its examples. */
  async upsertIntent(id: string, patch: IntentPatch): Promise<CatalogueIntent> {
    const intent = await this.catalogue.upsert(id, patch);
    if (this.currentPredictor.kind === 'catalogue-baseline') this.currentPredictor = await loadPredictor(this.models, this.catalogue);
    return intent;
  }

  async close(): Promise<void> {
    await this.feed.close();
    await this.labels.close();
  }
}

/** Names of the projects stored under `<data>/projects`. */
export async function listProjectNames(dataDir: string): Promise<string[]> {
  const names = await readdir(join(dataDir, 'projects')).catch(() => [] as string[]);
  return names.filter((name) => PROJECT_NAME.test(name)).sort();
}

/** The folder of project `name`. */
export function projectDir(dataDir: string, name: string): string {
  return join(dataDir, 'projects', name);
}

async function loadPredictor(models: ModelRegistry, catalogue: Catalogue): Promise<Predictor> {
  const version = models.activeVersion;
  const artifact = version === null ? null : (await models.get(version)).artifact;
  return createPredictor(artifact, { version, catalogue: catalogue.intents });
}
