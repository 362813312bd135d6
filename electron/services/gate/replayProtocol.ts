import type { MessagePort } from 'node:worker_threads';
import type { ModelArtifact } from '../../../shared/ml/modelArtifact';
import type { ReplayComparison, StoredColumns } from '../../../shared/ml/gate/replayCompare';
import type { PredictionColumns } from '../../../shared/ml/gate/replay';
import type { JobMessage } from '../workerJob';
import type { PackedTexts } from '../model/textPack';

/** A slice of the replay's distinct texts, and which of them the active artifact predicts. */
export interface ReplaySliceRequest {
  readonly candidate: ModelArtifact;
  /** The platform's active artifact, or null when none is needed or none could be fetched. */
  readonly active: unknown;
  readonly texts: PackedTexts;
  /** 1 where some turn of the text has no stored platform prediction (the active artifact predicts it). */
  readonly needActive: Uint8Array;
}

/** A helper worker predicts its slice and posts it (`ReplaySlice`) to the leading worker through `peer`. */
export interface ReplayHelpRequest extends ReplaySliceRequest {
  readonly kind: 'help';
  readonly peer: MessagePort;
}

/**
 * The leading worker predicts the first slice, takes the helpers' slices from `peers` (in order), spreads the
 * predictions over the turns (`source`: turn → distinct text) and compares them with the stored ones.
 */
export interface ReplayLeadRequest extends ReplaySliceRequest {
  readonly kind: 'lead';
  /** Distinct texts in all slices. */
  readonly distinct: number;
  readonly peers: readonly MessagePort[];
  readonly source: Int32Array;
  readonly stored: StoredColumns;
  readonly compare: ReplayCompareRequest;
}

export type ReplayWorkerRequest = ReplayHelpRequest | ReplayLeadRequest;

/** How to compare: `compareReplay`'s options, the sample seed as `mixSeed(seed, version · 1000003 + turns)`. */
export interface ReplayCompareRequest {
  readonly threshold: number;
  readonly examples: number;
  readonly sampleSize: number;
  readonly seed: number;
  readonly version: number;
}

/** What a helper posts to the leader: its slice's predictions (indexes into each artifact's labels). */
export interface ReplaySlice {
  readonly candidate: PredictionColumns;
  readonly active: PredictionColumns;
}

/** Milliseconds a worker spent per step (for the bench and the log). */
export type ReplayTimings = Readonly<Record<string, number>>;

export type ReplayWorkerResult = { readonly kind: 'helped'; readonly timings: ReplayTimings } | { readonly kind: 'compared'; readonly comparison: ReplayComparison; readonly timings: ReplayTimings };

export type ReplayPhase = 'predicting' | 'comparing';
export type ReplayWorkerMessage = JobMessage<ReplayPhase, ReplayWorkerResult>;
