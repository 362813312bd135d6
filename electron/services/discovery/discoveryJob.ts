import type { BotQuestion, DiscoveryJob, DiscoveryPhase } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { sentence } from '../../../shared/contract/errorWords';
import type { Rankings } from '../model/rankings';
import type { WorkspaceStore } from '../store/workspaceStore';
import type { JobSlot, RunningJob } from '../workerJob';
import { storedCluster, type ClusterDoc } from './clusterBook';
import { DISCOVERY_SEED, knownExamples } from './discoveryInputs';
import type { DiscoveryRequest, DiscoveryResultMessage } from './discoveryProtocol';
import { runDiscoveryJob } from './discoveryRunner';
import { QuestionKeys } from './questions';
import { uncoveredPool } from './uncoveredPool';

/** Most uncovered utterances clustered in one run (clustering 20k takes seconds on a laptop). */
const MAX_POOL = 40_000;

/** A clustering run as planned: the utterances it clusters and the question it is scoped to. */
export interface DiscoveryPlan {
  readonly store: WorkspaceStore;
  readonly pool: Int32Array;
  readonly question: BotQuestion | null;
  readonly modelVersion: number | null;
}

/** The clustering job of the discovery service: one at a time, its progress as `onDidDiscoveryProgress`. */
export type DiscoveryJobSlot = JobSlot<DiscoveryJob, DiscoveryResultMessage>;

/**
 * Plans a run over the uncovered pool (at most MAX_POOL, most uncovered first), or over the uncovered replies to one
 * bot question (`questionKey`); invalid_argument when nothing is left to cluster.
 */
export function planDiscovery(store: WorkspaceStore, rankings: Rankings | null, questionKey: string | undefined): DiscoveryPlan {
  let uncovered = uncoveredPool(store, rankings);
  let question: BotQuestion | null = null;
  if (questionKey !== undefined) {
    // Scoped to one bot question: only the uncovered replies to it, and the run says so.
    const keys = new QuestionKeys(store);
    uncovered = uncovered.filter((idx) => keys.keyOf(idx) === questionKey);
    const counted = keys.count(uncovered, 1)[0];
    question = counted ? { key: counted.key, node: counted.node, prompt: counted.prompt } : null;
  }
  const pool = uncovered.slice(0, MAX_POOL);
  if (pool.length === 0) throw new ContractError('invalid_argument', sentence('nothing_to_cluster'), questionKey === undefined ? undefined : { field: 'question' });
  return { store, pool, question, modelVersion: rankings?.input.version ?? null };
}

/** Clusters `texts` (a run's pool, or a cluster's members when `split`) in a discovery worker. */
export function startClustering(
  store: WorkspaceStore,
  texts: readonly string[],
  split: boolean,
  workerPath: string,
  onProgress?: (phase: DiscoveryPhase, done: number) => void,
): RunningJob<DiscoveryResultMessage> {
  const known = knownExamples(store);
  const request: DiscoveryRequest = { kind: 'discover', texts, knownTexts: known.texts, knownLabels: known.labels, seed: DISCOVERY_SEED, split };
  return runDiscoveryJob(workerPath, request, onProgress);
}

/** The cluster file of a finished run: its clusters by utterance id, and what the run was. */
export function clusteringDoc(plan: DiscoveryPlan, result: DiscoveryResultMessage): ClusterDoc {
  const ids = Array.from(plan.pool, (idx) => plan.store.calls.utteranceId(idx));
  const createdAt = Date.now();
  // Ids name their run: an action sent for a cluster of an earlier run finds nothing instead of another run's cluster.
  const run = createdAt.toString(36);
  const clusters = result.clusters.map((c, i) => storedCluster(`${run}-c${i + 1}`, c, ids, null));
  return {
    format: 'callsift-clusters',
    version: 1,
    run: {
      createdAt,
      pool: plan.pool.length,
      distinct: result.distinct,
      clusters: clusters.length,
      lowConfidence: result.lowConfidence,
      seconds: result.seconds,
      modelVersion: plan.modelVersion,
      question: plan.question,
    },
    clusters,
  };
}
