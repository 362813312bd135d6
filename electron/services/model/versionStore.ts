import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelReport, ModelSummary } from '../../../shared/contract/dto';
import type { ModelArtifact } from '../../../shared/ml/modelArtifact';
import { outOfScopeFiguresAt } from '../../../shared/ml/outOfScope';
import { CorruptFileError, DurableJsonFile, writeFileAtomic } from '../../../lib/durable/durableFile';
import { encodeJsonInChunks } from './stringifyInChunks';
import type { TrainingRows } from './rankings';

/** One kept model version: `models/vNNNN.json` in the workspace. */
export interface VersionDoc {
  readonly report: ModelReport;
  readonly artifact: ModelArtifact;
  /** The training rows by utterance id, with confident-learning results, so queues can be re-ranked after a restart. */
  readonly training: {
    readonly utteranceIds: string[];
    readonly intentIds: string[];
    readonly quality: number[];
    readonly suggested: number[];
    readonly outOfFoldPrediction: number[];
    /** The review figures (ReviewColumns) as arrays; absent in versions saved before they were kept. */
    readonly review?: {
      readonly first: number[];
      readonly firstProb: number[];
      readonly second: number[];
      readonly secondProb: number[];
      /** Absent in versions saved before the top three were kept. */
      readonly third?: number[];
      readonly thirdProb?: number[];
      readonly suggestedProb: (number | null)[];
    };
    /** Out-of-scope scores the threshold is measured on (in-scope out-of-fold, and "none of these"); absent in old versions. */
    readonly outOfScope?: { readonly inScope: number[]; readonly examples: number[] };
  };
}

const NAME = /^v(\d{4,})\.json$/;
const fileName = (version: number) => `v${String(version).padStart(4, '0')}.json`;
const reportName = (version: number) => `v${String(version).padStart(4, '0')}.report.json`;

/**
 * Model versions of a workspace, written atomically, one file each, with the report alone beside it
 * (`vNNNN.report.json`), so status, summaries and the unchanged-data check read kilobytes, not the training rows.
 * The report is written after its version; a version without one (saved before they existed) is read whole.
 */
export class VersionStore {
  constructor(private readonly dir: string) {}

  /** Version numbers on disk, ascending. */
  async versions(): Promise<number[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.map((n) => NAME.exec(n)?.[1]).filter((v): v is string => v !== undefined).map(Number).sort((a, b) => a - b);
  }

  async read(version: number): Promise<VersionDoc | null> {
    try {
      return await new DurableJsonFile<VersionDoc>(join(this.dir, fileName(version))).read();
    } catch (err) {
      if (err instanceof CorruptFileError) return null;
      throw err;
    }
  }

  /** Writes the version (serialized in slices that yield to the event loop), then its report alone. */
  async write(doc: VersionDoc): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(join(this.dir, fileName(doc.report.version)), await encodeJsonInChunks(doc));
    await new DurableJsonFile<ModelReport>(join(this.dir, reportName(doc.report.version))).write(doc.report);
  }

  /** The report of `version`: its own file, else (older versions) the whole version's; null when unreadable. */
  async readReport(version: number): Promise<ModelReport | null> {
    try {
      const report = await new DurableJsonFile<ModelReport>(join(this.dir, reportName(version))).read();
      if (report?.version === version) return report;
    } catch (err) {
      if (!(err instanceof CorruptFileError)) throw err;
    }
    return (await this.read(version))?.report ?? null;
  }

  /** The newest readable version's report (an unreadable newer version is passed over, as `summaries` does), or null. */
  async latestReport(): Promise<ModelReport | null> {
    for (const v of (await this.versions()).reverse()) {
      const report = await this.readReport(v);
      if (report) return report;
    }
    return null;
  }

  /** Summaries of every readable version, newest first. */
  async summaries(): Promise<ModelSummary[]> {
    const out: ModelSummary[] = [];
    for (const v of (await this.versions()).reverse()) {
      const report = await this.readReport(v);
      if (report) out.push(toSummary(report));
    }
    return out;
  }
}

/**
 * The version with its out-of-scope threshold set to `threshold` (artifact and report), with the report's figures at
 * that threshold recomputed from the kept scores (null when the version kept none).
 */
export function withOutOfScopeThreshold(doc: VersionDoc, threshold: number, source: 'chosen' | 'kept' = 'chosen'): VersionDoc {
  const scores = doc.training.outOfScope;
  const atThreshold = scores ? outOfScopeFiguresAt(Float32Array.from(scores.inScope), Float32Array.from(scores.examples), threshold) : null;
  return {
    ...doc,
    report: { ...doc.report, outOfScopeThreshold: threshold, outOfScopeAtThreshold: atThreshold, outOfScopeThresholdSource: source },
    artifact: { ...doc.artifact, outOfScopeThreshold: threshold },
  };
}

/** The headline of a report. */
export function toSummary(r: ModelReport): ModelSummary {
  return {
    version: r.version,
    createdAt: r.createdAt,
    examples: r.examples,
    intents: r.intents,
    accuracy: r.accuracy,
    macroF1: r.macroF1,
    ece: r.ece,
    trainSeconds: r.trainSeconds,
    dataHash: r.dataHash,
    outOfScopeThreshold: r.outOfScopeThreshold,
    ...(r.outOfScopeThresholdChange ? { outOfScopeThresholdChange: r.outOfScopeThresholdChange } : {}),
  };
}

/** The threshold a version measured on its own labels: kept since it was recorded, else the one it used if measured. */
export function measuredThresholdOf(r: ModelReport): number | null {
  if (r.outOfScopeMeasuredThreshold !== undefined) return r.outOfScopeMeasuredThreshold;
  return (r.outOfScopeThresholdSource ?? 'measured') === 'measured' ? r.outOfScopeThreshold : null;
}

/** Rebuilds training rows (utterance indexes) from a version file; rows whose utterance is gone are dropped. */
export function trainingRowsOf(doc: VersionDoc, findUtterance: (id: string) => number | undefined): TrainingRows {
  const keep: number[] = [];
  const utterances: number[] = [];
  doc.training.utteranceIds.forEach((id, row) => {
    const idx = findUtterance(id);
    if (idx === undefined) return;
    keep.push(row);
    utterances.push(idx);
  });
  const t = doc.training;
  return {
    utterances: Int32Array.from(utterances),
    intentIds: keep.map((r) => t.intentIds[r]!),
    quality: Float32Array.from(keep, (r) => t.quality[r]!),
    suggested: Int32Array.from(keep, (r) => t.suggested[r]!),
    isIssue: Uint8Array.from(keep, (r) => (t.suggested[r]! >= 0 ? 1 : 0)),
    outOfFoldPrediction: Int32Array.from(keep, (r) => t.outOfFoldPrediction[r]!),
    ...(t.review
      ? {
          review: {
            first: Int32Array.from(keep, (r) => t.review!.first[r]!),
            firstProb: Float32Array.from(keep, (r) => t.review!.firstProb[r]!),
            second: Int32Array.from(keep, (r) => t.review!.second[r]!),
            secondProb: Float32Array.from(keep, (r) => t.review!.secondProb[r]!),
            // Versions saved before the top three were kept have no third candidate.
            third: Int32Array.from(keep, (r) => t.review!.third?.[r] ?? -1),
            thirdProb: Float32Array.from(keep, (r) => t.review!.thirdProb?.[r] ?? 0),
            // JSON has no NaN: a row without a suggestion is saved as null.
            suggestedProb: Float32Array.from(keep, (r) => t.review!.suggestedProb[r] ?? Number.NaN),
          },
        }
      : {}),
  };
}
