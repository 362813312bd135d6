import type { DiscoveryPhase } from '../../../shared/contract/dto';
import type { JobMessage } from '../workerJob';

/** Cluster `texts` (the uncovered pool, or one cluster's members when splitting), shaped by the known intents. */
export interface DiscoveryRequest {
  readonly kind: 'discover';
  readonly texts: readonly string[];
  readonly knownTexts: readonly string[];
  readonly knownLabels: readonly string[];
  readonly seed: number;
  /** Splitting: the clustering must give at least two clusters when the texts have two distinct ones. */
  readonly split: boolean;
}

/** One cluster as the worker found it; indexes are into the request's texts. */
export interface FoundCluster {
  readonly members: Int32Array;
  readonly similarity: Float32Array;
  readonly lowConfidence: Uint8Array;
  /** Per member: how many pooled texts were folded together with it (near-duplicates, itself included). */
  readonly duplicates: Int32Array;
  readonly cohesion: number;
  readonly representatives: Int32Array;
  readonly outliers: Int32Array;
  readonly nearestIntents: readonly { readonly label: string; readonly similarity: number }[];
  readonly keywords: readonly { readonly term: string; readonly score: number }[];
  readonly suggestedName: string;
}

/** Rank `candidates` by similarity to an intent's `examples`. */
export interface ExpandRequest {
  readonly kind: 'expand';
  readonly examples: readonly string[];
  readonly candidates: readonly string[];
  readonly top: number;
}

/** Find conflicting duplicates and near-duplicates across intents among labeled texts. */
export interface CleanupRequest {
  readonly kind: 'cleanup';
  readonly texts: readonly string[];
  readonly labels: readonly string[];
  /** The question each text answered (`questionKey`), '' when none: same-text conflicts are grouped within a question. */
  readonly questions: readonly string[];
  readonly maxPairs: number;
}

export type DiscoveryWorkerRequest = DiscoveryRequest | ExpandRequest | CleanupRequest;

export interface ExpandResultMessage {
  readonly kind: 'expanded';
  /** Indexes into the request's candidates, most similar first. */
  readonly ranked: readonly { readonly index: number; readonly similarity: number }[];
}

export interface CleanupResultMessage {
  readonly kind: 'cleaned';
  /** Groups of indexes into the request's texts sharing one normalized text with different labels. */
  readonly duplicates: readonly { readonly normalized: string; readonly question: string; readonly items: readonly number[] }[];
  /** Pairs of indexes into the request's texts: near-duplicates with different labels. */
  readonly nearDuplicates: readonly { readonly a: number; readonly b: number; readonly similarity: number }[];
}

export interface DiscoveryResultMessage {
  readonly kind: 'discovered';
  readonly clusters: readonly FoundCluster[];
  readonly distinct: number;
  readonly lowConfidence: number;
  readonly seconds: number;
}

export type DiscoveryWorkerMessage = JobMessage<DiscoveryPhase, DiscoveryResultMessage | ExpandResultMessage | CleanupResultMessage>;
