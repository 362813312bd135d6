import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DiscoveryResultMessage } from './discoveryProtocol';
import type { ClusterMember, ClusterStatus, ClusterSummary, ClusterUtterance, DiscoveryRunInfo } from '../../../shared/contract/dto';
import { CorruptFileError, DurableJsonFile } from '../../../lib/durable/durableFile';
import type { WorkspaceStore } from '../store/workspaceStore';
import { atypicalMembers } from '../../../shared/ml/clusterTypicality';
import { log } from '../log';
import { QuestionKeys } from './questions';

/** Bot questions a cluster summary lists. */
const CLUSTER_QUESTIONS = 5;

/** A cluster as kept on disk: members by utterance id, most typical first, with per-member figures alongside. */
export interface StoredCluster {
  readonly id: string;
  readonly members: readonly string[];
  readonly similarity: readonly number[];
  /** 1 = attached as noise (low confidence), aligned with members. */
  readonly lowConfidence: readonly number[];
  /** Members sharing the member's normalized text, aligned with members. */
  readonly duplicates: readonly number[];
  readonly cohesion: number;
  readonly representatives: readonly string[];
  readonly outliers: readonly string[];
  readonly nearestIntents: readonly { readonly intentId: string; readonly similarity: number }[];
  readonly keywords: readonly { readonly term: string; readonly score: number }[];
  readonly suggestedName: string;
  readonly status: ClusterStatus;
  readonly intentId: string | null;
  readonly splitFrom: string | null;
}

/** `discovery/clusters.json`: the last clustering of the uncovered pool and what the leads did with each cluster. */
export interface ClusterDoc {
  readonly format: 'callsift-clusters';
  readonly version: 1;
  readonly run: DiscoveryRunInfo;
  readonly clusters: readonly StoredCluster[];
}

/** The cluster file of a workspace, written atomically. */
export class ClusterBook {
  private readonly file: DurableJsonFile<ClusterDoc>;

  constructor(readonly store: WorkspaceStore) {
    this.file = new DurableJsonFile<ClusterDoc>(join(store.folder, 'discovery', 'clusters.json'));
  }

  /** The saved clustering, or null when there is none (or it is unreadable, which a new run repairs). */
  async read(): Promise<ClusterDoc | null> {
    try {
      const doc = await this.file.read();
      return doc?.format === 'callsift-clusters' && doc.version === 1 ? doc : null;
    } catch (err) {
      if (err instanceof CorruptFileError) {
        log.warn('discovery.readClusters', err, { file: err.path });
        return null;
      }
      throw err;
    }
  }

  async write(doc: ClusterDoc): Promise<void> {
    await mkdir(dirname(this.file.path), { recursive: true });
    await this.file.write(doc);
  }
}

/** How a stored cluster's utterances read in the UI. */
export function clusterUtterance(store: WorkspaceStore, cluster: StoredCluster, position: number): ClusterUtterance | null {
  const idx = store.calls.findUtterance(cluster.members[position]!);
  return idx === undefined ? null : utteranceAt(store, cluster, position, idx);
}

function utteranceAt(store: WorkspaceStore, cluster: StoredCluster, position: number, idx: number): ClusterUtterance {
  return {
    utteranceId: cluster.members[position]!,
    callId: store.reads.callIdOf(idx),
    text: store.reads.text(idx),
    similarity: cluster.similarity[position]!,
    lowConfidence: cluster.lowConfidence[position] === 1,
    count: cluster.duplicates[position]!,
  };
}

/** A member with its campaign and current label. */
export function clusterMember(store: WorkspaceStore, cluster: StoredCluster, position: number): ClusterMember | null {
  const idx = store.calls.findUtterance(cluster.members[position]!);
  if (idx === undefined) return null;
  return { ...utteranceAt(store, cluster, position, idx), campaign: store.reads.campaignOf(idx), label: store.labels.targetOf(idx) };
}

/** The summary the UI lists; `pool` is the number of utterances the run clustered. Representatives sit near the start of the members (most typical first), outliers near the end. */
export function summarize(store: WorkspaceStore, cluster: StoredCluster, pool: number): ClusterSummary {
  const utterancesOf = (ids: readonly string[], fromEnd: boolean) =>
    ids
      .map((id) => (fromEnd ? cluster.members.lastIndexOf(id) : cluster.members.indexOf(id)))
      .filter((p) => p >= 0)
      .map((p) => clusterUtterance(store, cluster, p))
      .filter((u): u is ClusterUtterance => u !== null);
  const calls = new Set<number>();
  const found: number[] = [];
  for (const id of cluster.members) {
    const idx = store.calls.findUtterance(id);
    if (idx === undefined) continue;
    calls.add(store.reads.callOf(idx));
    found.push(idx);
  }
  return {
    id: cluster.id,
    size: cluster.members.length,
    share: pool > 0 ? cluster.members.length / pool : 0,
    calls: calls.size,
    suggestedName: cluster.suggestedName,
    keywords: cluster.keywords,
    cohesion: cluster.cohesion,
    lowConfidence: cluster.lowConfidence.reduce((a, b) => a + b, 0),
    atypical: atypicalMembers(cluster.similarity, cluster.lowConfidence).filter(Boolean).length,
    representatives: utterancesOf(cluster.representatives, false),
    outliers: utterancesOf(cluster.outliers, true),
    nearestIntents: cluster.nearestIntents,
    status: cluster.status,
    intentId: cluster.intentId,
    splitFrom: cluster.splitFrom,
    questions: new QuestionKeys(store).count(found, CLUSTER_QUESTIONS),
  };
}

/** The cluster without the members at `drop` (positions), its representatives and outliers kept in step. */
export function withoutMembers(cluster: StoredCluster, drop: ReadonlySet<string>): StoredCluster {
  const keep = cluster.members.map((id, i) => (drop.has(id) ? -1 : i)).filter((i) => i >= 0);
  const similarity = keep.map((i) => cluster.similarity[i]!);
  return {
    ...cluster,
    members: keep.map((i) => cluster.members[i]!),
    similarity,
    lowConfidence: keep.map((i) => cluster.lowConfidence[i]!),
    duplicates: keep.map((i) => cluster.duplicates[i]!),
    cohesion: similarity.length ? similarity.reduce((a, b) => a + b, 0) / similarity.length : 0,
    representatives: cluster.representatives.filter((id) => !drop.has(id)),
    outliers: cluster.outliers.filter((id) => !drop.has(id)),
  };
}

/** The identity of a clustering run, which cluster decisions are recorded under. */
export function runKey(doc: ClusterDoc): string {
  return String(doc.run.createdAt);
}

/** A found cluster by utterance id; `ids` maps the request's text indexes to utterance ids. */
export function storedCluster(id: string, c: DiscoveryResultMessage['clusters'][number], ids: readonly string[], splitFrom: string | null): StoredCluster {
  return {
    id,
    members: Array.from(c.members, (m) => ids[m]!),
    similarity: Array.from(c.similarity, round4),
    lowConfidence: Array.from(c.lowConfidence),
    duplicates: Array.from(c.duplicates),
    cohesion: round4(c.cohesion),
    representatives: Array.from(c.representatives, (m) => ids[m]!),
    outliers: Array.from(c.outliers, (m) => ids[m]!),
    nearestIntents: c.nearestIntents.map((n) => ({ intentId: n.label, similarity: round4(n.similarity) })),
    keywords: c.keywords.map((k) => ({ term: k.term, score: round4(k.score) })),
    suggestedName: c.suggestedName,
    status: 'open',
    intentId: null,
    splitFrom,
  };
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
