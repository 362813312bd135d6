/**
 * few_shot: train on k labeled examples per intent (seeded samples of the training split) and measure in-scope
 * test accuracy; the LogisticRegression peer trains on exactly the same samples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mixSeed } from '../../shared/ml/random';
import { predictTexts, trainIntentModel } from '../../shared/ml/train';
import { accuracy, argmaxRows } from '../../shared/ml/metrics';
import { OOS, type Row, inPeerTask, samplePerClass, secondsSince } from './data';

export interface FewShotCell {
  shots: number;
  /** Mean in-scope test accuracy over the seeds. */
  ours_acc: number;
  peer_acc?: number;
  ours_fit_s: number;
  peer_fit_s?: number;
  /** Accuracy per seed, in seed order. */
  ours_by_seed: number[];
  peer_by_seed?: number[];
}

export interface FewShotResult {
  dataset: string;
  seeds: number[];
  peer: string;
  cells: FewShotCell[];
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

/** Runs the few-shot benchmark on one dataset for each shot count and seed. */
export function runFewShot(
  dataset: string,
  train: readonly Row[],
  test: readonly Row[],
  options: { shots: readonly number[]; seeds: readonly number[]; peer: boolean },
): FewShotResult {
  const inScope = test.filter((r) => r.intent !== OOS);
  const testTexts = inScope.map((r) => r.text);
  const labels = train.map((r) => r.intent);
  const samples: { name: string; shots: number; seed: number; rows: number[] }[] = [];
  for (const shots of options.shots) {
    for (const seed of options.seeds) samples.push({ name: `k${shots}_s${seed}`, shots, seed, rows: samplePerClass(labels, shots, mixSeed(seed, shots)) });
  }
  const ours = new Map<string, { acc: number; fit_s: number }>();
  for (const sample of samples) {
    const start = performance.now();
    const model = trainIntentModel(
      sample.rows.map((r) => train[r]!.text),
      sample.rows.map((r) => labels[r]!),
      { svm: { seed: 1 } },
    );
    const fit_s = secondsSince(start);
    const predicted = argmaxRows(predictTexts(model, testTexts), model.classes);
    const acc = accuracy(predicted, Int32Array.from(inScope, (r) => model.labels.indexOf(r.intent)));
    ours.set(sample.name, { acc, fit_s });
    console.error(`few_shot ${dataset} ${sample.name}: ours ${(acc * 100).toFixed(2)}% (${fit_s.toFixed(2)} s)`);
  }
  let peer: Record<string, { acc: number; fit_s: number }> | undefined;
  if (options.peer) {
    const spec = {
      test: testTexts,
      test_labels: inScope.map((r) => r.intent),
      samples: samples.map((s) => ({ name: s.name, texts: s.rows.map((r) => train[r]!.text), labels: s.rows.map((r) => labels[r]!) })),
    };
    peer = inPeerTask(
      'few_shot',
      (dir) => writeFileSync(join(dir, 'samples.json'), JSON.stringify(spec)),
      (dir) => JSON.parse(readFileSync(join(dir, 'few_shot.json'), 'utf8')) as Record<string, { acc: number; fit_s: number }>,
    );
  }
  const cells: FewShotCell[] = options.shots.map((shots) => {
    const names = samples.filter((s) => s.shots === shots).map((s) => s.name);
    const cell: FewShotCell = {
      shots,
      ours_acc: mean(names.map((n) => ours.get(n)!.acc)),
      ours_fit_s: mean(names.map((n) => ours.get(n)!.fit_s)),
      ours_by_seed: names.map((n) => ours.get(n)!.acc),
    };
    if (peer) {
      cell.peer_acc = mean(names.map((n) => peer[n]!.acc));
      cell.peer_fit_s = mean(names.map((n) => peer[n]!.fit_s));
      cell.peer_by_seed = names.map((n) => peer[n]!.acc);
    }
    return cell;
  });
  return { dataset, seeds: [...options.seeds], peer: 'scikit-learn TF-IDF + LogisticRegression(saga, C = 10, max_iter 1000, random_state 0)', cells };
}
