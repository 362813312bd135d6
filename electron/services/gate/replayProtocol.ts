import type { ModelArtifact } from '../../../shared/ml/modelArtifact';
import type { ModelColumns } from '../../../shared/ml/gate/replayPredict';
import type { JobMessage } from '../workerJob';
import type { PackedTexts } from '../model/textPack';

/** What a replay worker predicts: a slice of the replayed turns with the candidate, and the active artifact where asked. */
export interface ReplayWorkerRequest {
  readonly kind: 'predict';
  readonly candidate: ModelArtifact;
  /** The platform's active artifact, or null when none is needed or none could be fetched. */
  readonly active: unknown;
  readonly texts: PackedTexts;
  /** 1 where the platform stored no prediction for the turn (the active artifact predicts it). */
  readonly needOld: Uint8Array;
}

export interface ReplayWorkerResult {
  readonly kind: 'predicted';
  readonly candidate: ModelColumns;
  readonly active: ModelColumns;
  readonly candidateLabels: readonly string[];
  readonly activeLabels: readonly string[];
}

export type ReplayPhase = 'predicting';
export type ReplayWorkerMessage = JobMessage<ReplayPhase, ReplayWorkerResult>;
