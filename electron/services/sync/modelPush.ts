import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { GateOverride, GateReason, ModelComparison, ModelFigures, ModelPushResult, ModelReport, PlatformModel, PlatformModelList } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { sentence } from '../../../shared/contract/errorWords';
import type { ModelArtifact } from '../../../shared/ml/modelArtifact';
import type { TurnContext } from '../../../shared/ml/turnContext';
import { createArtifactPredictor, type ArtifactPrediction } from '../../../shared/ml/predictArtifact';
import { VersionStore, type VersionDoc } from '../model/versionStore';
import type { WorkspaceStore } from '../store/workspaceStore';
import * as wire from '../../../shared/platformApi/schemas';
import type { PlatformClient } from './platformClient';
import { SyncError } from './syncError';
import { readWire } from './wireReply';

/** What the model-registry calls need: a client for the linked platform, the project and the open workspace. */
export interface ModelPushContext {
  readonly client: PlatformClient;
  readonly project: string;
  readonly store: WorkspaceStore;
}

export type { ArtifactPrediction };

/** Utterances each side of a comparison is measured on, at most. */
export const COMPARISON_SAMPLE = 2000;
/** Texts per `/predict` request. */
const PREDICT_BATCH = 500;
/** Marks the evaluation of a model Callsift pushed. */
const EVALUATION_SOURCE = 'callsift';

/** Predicts `texts` with a model artifact exactly as the platform does (shared/ml/predictArtifact.ts). */
export function predictWithArtifact(artifact: unknown, texts: readonly string[]): ArtifactPrediction[] {
  return createArtifactPredictor(artifact)(texts);
}

/** SHA-256 (hex) of the artifact's JSON text, as the platform's registry computes it: the push idempotency key. */
export function artifactSha256(artifact: ModelArtifact): string {
  return createHash('sha256').update(JSON.stringify(artifact)).digest('hex');
}

/** The platform's model registry: versions newest first, the active one and whether a rollback is possible. */
export async function listPlatformModels(ctx: ModelPushContext): Promise<PlatformModelList> {
  return parseModelList(await ctx.client.get(projectPath(ctx, '/models')), ctx.client.baseUrl);
}

/**
 * The rows the k-fold report evaluates: those of intents with at least 2 labeled training rows (an intent with one
 * row is in no fold), so the platform is measured on the rows the local out-of-fold accuracy comes from.
 */
function inSomeFold(store: ModelPushContext['store'], rows: readonly number[]): number[] {
  const intentOf = (idx: number): string | null => {
    const target = store.labels.targetOf(idx);
    return target?.kind === 'intent' ? target.intentId : null;
  };
  const counts = new Map<string | null, number>();
  for (const idx of rows) counts.set(intentOf(idx), (counts.get(intentOf(idx)) ?? 0) + 1);
  return rows.filter((idx) => (counts.get(intentOf(idx)) ?? 0) >= 2);
}

/**
 * Measures local version `version` and the platform's active model on the same utterances of the workspace
 * (see ModelComparison for the bases); the platform's predictions come from its `/predict` endpoint.
 */
export async function compareModel(ctx: ModelPushContext, version: number): Promise<ModelComparison> {
  const doc = await readVersion(ctx.store, version);
  const { store } = ctx;
  const trained = new Set<number>();
  for (const id of doc.training.utteranceIds) {
    const idx = store.calls.findUtterance(id);
    if (idx !== undefined) trained.add(idx);
  }
  const heldOut: number[] = [];
  const trainedLabeled: number[] = [];
  const untrained: number[] = [];
  const labeled = store.reads.labeledRows();
  labeled.intentIds.forEach((id, row) => {
    const idx = labeled.utterances[row]!;
    if (id !== null) (trained.has(idx) ? trainedLabeled : heldOut).push(idx);
  });
  for (let idx = 0; idx < store.reads.utteranceCount; idx++) if (!trained.has(idx)) untrained.push(idx);
  const basis: ModelComparison['accuracyBasis'] = heldOut.length > 0 ? 'held-out' : 'out-of-fold';
  const accuracyRows = sampleEvenly(basis === 'held-out' ? heldOut : inSomeFold(store, trainedLabeled), COMPARISON_SAMPLE);
  const coverageRows = sampleEvenly(untrained, COMPARISON_SAMPLE);
  // Both sides read each utterance with its context: the app its model text, the platform the same parts on /predict.
  const turnsOf = (rows: readonly number[]): ContextualTurns => store.reads.textsWithContext(rows);
  const modelTextsOf = (rows: readonly number[]) => rows.map((idx) => store.calls.modelText(idx));
  const expected = accuracyRows.map((idx) => {
    const target = store.labels.targetOf(idx);
    return target?.kind === 'intent' ? target.intentId : null;
  });

  const list = await listPlatformModels(ctx);
  const sha = artifactSha256(doc.artifact);
  const activeFromHere = basis === 'out-of-fold' ? await activeLocalDoc(ctx.store, list) : null;
  const platformAccuracy = await predictOnPlatform(ctx, turnsOf(activeFromHere ? [] : accuracyRows));
  const platformCoverage = await predictOnPlatform(ctx, turnsOf(coverageRows));
  const localAccuracy = basis === 'held-out' ? predictWithArtifact(doc.artifact, modelTextsOf(accuracyRows)) : null;
  const localCoverage = predictWithArtifact(doc.artifact, modelTextsOf(coverageRows));

  const local: ModelFigures = {
    accuracy: localAccuracy ? accuracyOf(localAccuracy, expected) : doc.report.accuracy,
    coverage: coverageOf(localCoverage),
  };
  const platform: ModelFigures = {
    accuracy: activeFromHere ? activeFromHere.report.accuracy : accuracyOf(platformAccuracy.predictions, expected),
    coverage: coverageOf(platformCoverage.predictions),
  };
  return {
    localVersion: version,
    platformVersion: platformCoverage.modelVersion,
    platformKind: platformCoverage.kind,
    accuracyBasis: basis,
    platformAccuracyBasis: activeFromHere ? 'out-of-fold' : 'measured',
    accuracyExamples: activeFromHere ? 0 : accuracyRows.length,
    coverageExamples: coverageRows.length,
    local,
    platform,
    pushedAs: list.models.find((m) => m.sha256 === sha)?.version ?? null,
  };
}

/**
 * Uploads local version `version` with its evaluation and `note`; does not activate it. Idempotent: when the
 * registry already holds the same artifact (same SHA-256), nothing is uploaded and that version is returned.
 * `gateOverride`, when the gate was overridden, goes into the evaluation so the version history keeps it.
 */
export async function pushModel(ctx: ModelPushContext, version: number, note: string, gateOverride: GateOverride | null = null): Promise<ModelPushResult> {
  const doc = await readVersion(ctx.store, version);
  const sha = artifactSha256(doc.artifact);
  const before = await listPlatformModels(ctx);
  const existing = before.models.find((m) => m.sha256 === sha);
  if (existing) return { platformVersion: existing.version, created: false, models: before };
  const answer = readWire(
    wire.modelCreated,
    await ctx.client.post(projectPath(ctx, '/models'), { artifact: doc.artifact, evaluation: { ...evaluationOf(doc.report, sha), ...(gateOverride ? { gateOverride } : {}) }, notes: note }),
    `The platform's answer to the model upload`,
  );
  return { platformVersion: answer.version, created: true, models: await listPlatformModels(ctx) };
}

/** Activates platform version `platformVersion`; answers the registry after the change. */
export async function activateModel(ctx: ModelPushContext, platformVersion: number): Promise<PlatformModelList> {
  await ctx.client.post(projectPath(ctx, `/models/${platformVersion}/activate`), {});
  return listPlatformModels(ctx);
}

/** Re-activates the previously active platform version; answers the registry after the change. */
export async function rollbackModel(ctx: ModelPushContext): Promise<PlatformModelList> {
  try {
    await ctx.client.post(projectPath(ctx, '/models/rollback'), {});
  } catch (err) {
    if (err instanceof SyncError && err.kind === 'protocol' && err.message.includes('nothing_to_roll_back')) {
      throw new ContractError('conflict', sentence('no_rollback'));
    }
    throw err;
  }
  return listPlatformModels(ctx);
}

/** User turns to predict: their words, and (index-aligned, optional) what the model reads besides them. */
export interface ContextualTurns {
  readonly texts: readonly string[];
  readonly contexts?: readonly TurnContext[];
}

/** A context as the wire carries it: empty fields left out, so a turn without context sends `{}`. */
function wireContext(context: TurnContext): wire.WirePredictContext {
  return {
    ...(context.prompt ? { prompt: context.prompt } : {}),
    ...(context.node ? { node: context.node } : {}),
    ...(context.previous ? { previous: context.previous } : {}),
  };
}

/**
 * Predicts user turns with the platform's active model, in batches. With `contexts`, each turn is sent with its bot
 * prompt, node and previous turn, which the platform joins into the same model text the app predicts.
 */
export async function predictOnPlatform(
  ctx: ModelPushContext,
  turns: ContextualTurns,
): Promise<{ modelVersion: number | null; kind: string; predictions: ArtifactPrediction[] }> {
  const { texts, contexts } = turns;
  const predictions: ArtifactPrediction[] = [];
  let modelVersion: number | null = null;
  let kind = '';
  const batches: { texts: readonly string[]; contexts?: wire.WirePredictContext[] }[] = [];
  for (let start = 0; start < texts.length; start += PREDICT_BATCH) {
    const end = start + PREDICT_BATCH;
    batches.push({ texts: texts.slice(start, end), ...(contexts ? { contexts: contexts.slice(start, end).map(wireContext) } : {}) });
  }
  if (batches.length === 0) batches.push({ texts: [] });
  for (const batch of batches) {
    const answer = readWire(wire.predictReply, await ctx.client.post(projectPath(ctx, '/predict'), batch, { idempotent: true }), `The platform's predictions`);
    if (answer.predictions.length !== batch.texts.length) throw new SyncError('malformed', `The platform answered ${answer.predictions.length} predictions for ${batch.texts.length} texts.`);
    for (const p of answer.predictions) predictions.push({ intent: p.intent, confidence: p.confidence });
    modelVersion = answer.modelVersion;
    kind = answer.kind;
  }
  return { modelVersion, kind, predictions };
}

/** Share of predictions with an intent (not "no match"), or null for none. */
export function coverageOf(predictions: readonly ArtifactPrediction[]): number | null {
  if (predictions.length === 0) return null;
  return predictions.filter((p) => p.intent !== null).length / predictions.length;
}

function accuracyOf(predictions: readonly ArtifactPrediction[], expected: readonly (string | null)[]): number | null {
  if (predictions.length === 0) return null;
  let right = 0;
  predictions.forEach((p, i) => {
    if (p.intent !== null && p.intent === expected[i]) right++;
  });
  return right / predictions.length;
}

/** At most `limit` items spread evenly over `items`, in order. */
function sampleEvenly<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)]!);
}

/** The workspace's version doc of the platform's active model, when it was pushed from this workspace (same artifact). */
async function activeLocalDoc(store: WorkspaceStore, list: PlatformModelList): Promise<VersionDoc | null> {
  const active = list.models.find((m) => m.active);
  if (!active || active.localVersion === null) return null;
  const doc = await new VersionStore(join(store.folder, 'models')).read(active.localVersion);
  return doc && artifactSha256(doc.artifact) === active.sha256 ? doc : null;
}

async function readVersion(store: WorkspaceStore, version: number): Promise<VersionDoc> {
  const doc = await new VersionStore(join(store.folder, 'models')).read(version);
  if (!doc) throw new ContractError('not_found', sentence('no_model_version', { version }), { field: 'version' });
  return doc;
}

function evaluationOf(report: ModelReport, sha256: string): Record<string, unknown> {
  return {
    source: EVALUATION_SOURCE,
    localVersion: report.version,
    dataHash: report.dataHash,
    sha256,
    createdAt: report.createdAt,
    examples: report.examples,
    intents: report.intents,
    folds: report.folds,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    ece: report.ece,
    outOfScopeThreshold: report.outOfScopeThreshold,
    perIntent: report.perIntent,
  };
}

function projectPath(ctx: ModelPushContext, path: string): string {
  return `/projects/${encodeURIComponent(ctx.project)}${path}`;
}

function parseModelList(raw: unknown, baseUrl: string): PlatformModelList {
  const body = readWire(wire.modelList, raw, `The model list of ${baseUrl}`);
  const models = body.models.map((r): PlatformModel => {
    const evaluation = typeof r.evaluation === 'object' && r.evaluation !== null ? (r.evaluation as Record<string, unknown>) : {};
    const ours = evaluation.source === EVALUATION_SOURCE;
    return {
      version: r.version,
      uploadedAt: r.uploadedAt,
      notes: r.notes,
      active: r.version === body.active,
      sizeBytes: r.sizeBytes,
      sha256: r.sha256,
      localVersion: ours && typeof evaluation.localVersion === 'number' ? evaluation.localVersion : null,
      accuracy: ours && typeof evaluation.accuracy === 'number' ? evaluation.accuracy : null,
      gateOverride: ours ? readGateOverride(evaluation.gateOverride) : null,
    };
  });
  return {
    active: body.active,
    canRollBack: body.history.length > 0,
    previous: body.history.at(-1) ?? null,
    activatedAt: body.activatedAt ?? null,
    rolledBack: body.rolledBack ?? null,
    models: models.sort((a, b) => b.version - a.version),
  };
}

/** The gate override kept in a version's evaluation, or null when there is none or it is not readable. */
function readGateOverride(value: unknown): GateOverride | null {
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  if (typeof o.note !== 'string' || typeof o.by !== 'string' || typeof o.at !== 'number' || !Array.isArray(o.reasons)) return null;
  const reasons = o.reasons.filter((r: unknown): r is GateReason => {
    const k = (r as { kind?: unknown } | null)?.kind;
    return k === 'brokenCases' || k === 'negativeNetChange';
  });
  return { note: o.note, by: o.by, at: o.at, reasons };
}
