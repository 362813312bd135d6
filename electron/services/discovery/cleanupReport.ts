import { join } from 'node:path';
import type { BotQuestion, CleanupReport, LabeledText } from '../../../shared/contract/dto';
import { confusedIntentPairs } from '../../../shared/ml/discovery/cleanup';
import type { Rankings } from '../model/rankings';
import { VersionStore } from '../model/versionStore';
import type { WorkspaceStore } from '../store/workspaceStore';
import { intentLabeledRows, seededSample } from './discoveryInputs';
import { runDiscoveryJob } from './discoveryRunner';
import { QuestionKeys } from './questions';

const MAX_CLEANUP_TEXTS = 200_000;

/**
 * Cleanup of the labels: same text with different labels after the same question, near-duplicates across intents
 * (in a discovery worker, over a seeded sample of the labeled rows), and the intents the latest model confuses.
 * `rankings` gives each shown utterance the intent a model that never saw its label predicts.
 */
export async function buildCleanupReport(store: WorkspaceStore, rankings: Rankings | null, workerPath: string): Promise<CleanupReport> {
  const keys = new QuestionKeys(store);
  const { rows, labelOf } = intentLabeledRows(store);
  const picked = seededSample(rows.map((_, i) => i), MAX_CLEANUP_TEXTS);
  const pickedRows = picked.map((i) => rows[i]!);
  const result = await runDiscoveryJob(workerPath, {
    kind: 'cleanup',
    texts: store.reads.texts(pickedRows),
    labels: picked.map((i) => labelOf[i]!),
    questions: pickedRows.map((idx) => keys.keyOf(idx)),
    maxPairs: 200,
  }).result;
  // What each shown utterance answered, and whether a model that never saw its label backs it.
  const duplicates = result.duplicates.slice(0, 200);
  const text = (i: number): LabeledText => {
    const turn = store.reads.turn(pickedRows[i]!);
    return {
      utteranceId: turn.id,
      text: turn.text,
      intentId: labelOf[picked[i]!]!,
      botPrompt: store.calls.botPrompt(turn.index),
      node: turn.context.node || null,
      modelIntentId: rankings?.outOfSampleIntent(turn.index) ?? null,
    };
  };
  const questionOf = (g: (typeof duplicates)[number]): BotQuestion | null => {
    const counted = g.question ? keys.count(g.items.map((i) => pickedRows[i]!), 1)[0] : undefined;
    return counted ? { key: counted.key, node: counted.node, prompt: counted.prompt } : null;
  };
  return {
    conflictingDuplicates: duplicates.map((g) => ({ normalized: g.normalized, question: questionOf(g), items: g.items.map(text) })),
    nearDuplicates: result.nearDuplicates.map((p) => ({ a: text(p.a), b: text(p.b), similarity: p.similarity })),
    confusedPairs: await confusedPairs(store),
    labeled: rows.length,
  };
}

/** Intents the latest model version keeps confusing, from its out-of-fold predictions. */
async function confusedPairs(store: WorkspaceStore): Promise<CleanupReport['confusedPairs']> {
  const versions = new VersionStore(join(store.folder, 'models'));
  const latest = (await versions.versions()).pop();
  const doc = latest === undefined ? null : await versions.read(latest);
  if (!doc) return [];
  const labels = doc.artifact.labels;
  const indexOf = new Map(labels.map((l, i) => [l, i]));
  const truth = Int32Array.from(doc.training.intentIds, (id) => indexOf.get(id) ?? -1);
  const predicted = Int32Array.from(doc.training.outOfFoldPrediction);
  return confusedIntentPairs(truth, predicted, labels, { minCount: 2, top: 20 });
}
