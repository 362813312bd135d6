import { parentPort } from 'node:worker_threads';
import { discoverClusters, type DiscoveredCluster } from '../../shared/ml/discovery/discover';
import { conflictingDuplicates, nearDuplicatesAcrossIntents } from '../../shared/ml/discovery/cleanup';
import { rankSimilarUtterances } from '../../shared/ml/discovery/expansion';
import { clusterKeywords, suggestName } from '../../shared/ml/discovery/keywords';
import type { CleanupRequest, DiscoveryRequest, DiscoveryWorkerMessage, DiscoveryWorkerRequest, ExpandRequest, FoundCluster } from '../services/discovery/discoveryProtocol';

/** Worker-thread entry: clusters (and names), expands or cleans up off the main thread; posts progress and one result. */
const port = parentPort;
if (!port) throw new Error('discoveryWorker must run in a worker thread');

const post = (message: DiscoveryWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const KEYWORDS = 8;

port.once('message', (request: DiscoveryWorkerRequest) => {
  try {
    if (request.kind === 'discover') discover(request);
    else if (request.kind === 'expand') expand(request);
    else cleanup(request);
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});

function expand(request: ExpandRequest): void {
  const ranked = rankSimilarUtterances(request.examples, request.candidates, { top: request.top });
  post({ kind: 'expanded', ranked });
}

function cleanup(request: CleanupRequest): void {
  const items = request.texts.map((text, i) => ({ id: String(i), text, label: request.labels[i]!, question: request.questions[i] ?? '' }));
  const duplicates = conflictingDuplicates(items).map((g) => ({ normalized: g.normalized, question: g.question, items: g.items.map((it) => Number(it.id)) }));
  const nearDuplicates = nearDuplicatesAcrossIntents(items, { maxPairs: request.maxPairs }).map((p) => ({ a: Number(p.a), b: Number(p.b), similarity: p.similarity }));
  post({ kind: 'cleaned', duplicates, nearDuplicates });
}

function discover(request: DiscoveryRequest): void {
  const started = performance.now();
  post({ kind: 'progress', phase: 'clustering', done: 0 });
  const result = discoverClusters(
    { texts: request.texts, knownTexts: request.knownTexts, knownLabels: request.knownLabels, seed: request.seed, minClusters: request.split ? 2 : 1 },
    (done) => post({ kind: 'progress', phase: 'clustering', done }),
  );
  post({ kind: 'progress', phase: 'describing', done: 0 });
  const keywords = describe(result.clusters, request);
  const clusters: FoundCluster[] = result.clusters.map((c, i) => ({
    members: c.members,
    similarity: c.memberSimilarity,
    lowConfidence: c.lowConfidence,
    duplicates: c.copies,
    cohesion: c.cohesion,
    representatives: c.representatives,
    outliers: c.outliers,
    nearestIntents: c.nearestIntents,
    keywords: keywords[i] ?? [],
    suggestedName: suggestName(keywords[i] ?? []),
  }));
  post({ kind: 'progress', phase: 'describing', done: 1 });
  post({ kind: 'discovered', clusters, distinct: result.distinctTexts, lowConfidence: result.lowConfidence, seconds: (performance.now() - started) / 1000 });
}

/**
 * Keywords of each cluster by class-based TF-IDF, with the known intents' utterances as further classes: words the
 * known intents use everywhere (greetings, filler) score low, so the names say what is new.
 */
function describe(clusters: readonly DiscoveredCluster[], request: DiscoveryRequest) {
  const classes: string[][] = clusters.map((c) => Array.from(c.members, (m) => request.texts[m]!));
  const known = new Map<string, string[]>();
  request.knownLabels.forEach((label, i) => {
    const texts = known.get(label) ?? [];
    texts.push(request.knownTexts[i]!);
    known.set(label, texts);
  });
  classes.push(...known.values());
  return clusterKeywords(classes, { top: KEYWORDS }).slice(0, clusters.length);
}
