/** Scoring throughput: utterances per second on one thread, normalization + featurization + probabilities. */
import { transformTexts } from '../../shared/ml/featurize';
import { decisionScores, type IntentModel, predictTexts } from '../../shared/ml/train';

export interface ThroughputResult {
  dataset: string;
  utterances: number;
  /** predictTexts end to end. */
  per_s: number;
  /** Of which: normalize + featurize (transformTexts) alone, and the linear scores alone. */
  featurize_per_s: number;
  score_per_s: number;
}

/** Times `predictTexts` over `texts` repeated to at least `target` utterances, after a warm-up pass of 2,000. */
export function measureThroughput(dataset: string, model: IntentModel, texts: readonly string[], target = 50_000): ThroughputResult {
  const batch: string[] = [];
  while (batch.length < target) batch.push(...texts);
  predictTexts(model, batch.slice(0, 2000));
  let start = performance.now();
  predictTexts(model, batch);
  const per_s = batch.length / ((performance.now() - start) / 1000);
  start = performance.now();
  const x = transformTexts(model.featurizer, batch);
  const featurize_per_s = batch.length / ((performance.now() - start) / 1000);
  start = performance.now();
  decisionScores(model, x);
  const score_per_s = batch.length / ((performance.now() - start) / 1000);
  console.error(`throughput ${dataset}: ${Math.round(per_s)}/s (featurize ${Math.round(featurize_per_s)}/s, scores ${Math.round(score_per_s)}/s)`);
  return { dataset, utterances: batch.length, per_s, featurize_per_s, score_per_s };
}
