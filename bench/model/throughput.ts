/** Scoring throughput: utterances per second on one thread, normalization + featurization + probabilities. */
import { transformTexts } from '../../shared/ml/featurize';
import { decisionScores, type IntentModel, predictTexts, writeDecisionScoresInJs } from '../../shared/ml/train';

export interface ThroughputResult {
  dataset: string;
  utterances: number;
  /** predictTexts end to end (best wall-clock run). */
  per_s: number;
  /** predictTexts end to end over the CPU time of this process (user + system), which other load on the machine barely moves. */
  cpu_per_s: number;
  /** Of which: normalize + featurize (transformTexts) alone, and the linear scores alone (best wall-clock runs). */
  featurize_per_s: number;
  score_per_s: number;
  /** The linear scores in the JavaScript loop the WebAssembly kernel replaces (best wall-clock run). */
  score_js_per_s: number;
  /** score_per_s / score_js_per_s: what the kernel buys, measured in the same run. */
  kernel_speedup: number;
  /** Whether the kernel's scores are the JavaScript loop's, bit for bit, over the whole batch. */
  kernel_bit_identical: boolean;
}

/** Wall-clock and CPU milliseconds of one call. */
function timed(run: () => unknown): { wall: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  run();
  const wall = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/**
 * Times `predictTexts`, `transformTexts` and `decisionScores` over `texts` repeated to at least `target` utterances,
 * after a warm-up pass of 2,000, keeping the best of `runs` runs of each.
 */
export function measureThroughput(dataset: string, model: IntentModel, texts: readonly string[], target = 50_000, runs = 5): ThroughputResult {
  const batch: string[] = [];
  while (batch.length < target) batch.push(...texts);
  predictTexts(model, batch.slice(0, 2000));
  const x = transformTexts(model.featurizer, batch);
  let predictWall = Infinity;
  let predictCpu = Infinity;
  let featurizeWall = Infinity;
  let scoreWall = Infinity;
  let scoreJsWall = Infinity;
  const jsOut = new Float32Array(x.rows * model.classes);
  for (let run = 0; run < runs; run++) {
    const predict = timed(() => predictTexts(model, batch));
    predictWall = Math.min(predictWall, predict.wall);
    predictCpu = Math.min(predictCpu, predict.cpu);
    featurizeWall = Math.min(featurizeWall, timed(() => transformTexts(model.featurizer, batch)).wall);
    scoreWall = Math.min(scoreWall, timed(() => decisionScores(model, x)).wall);
    scoreJsWall = Math.min(scoreJsWall, timed(() => writeDecisionScoresInJs(model, x, jsOut)).wall);
  }
  const kernelScores = decisionScores(model, x);
  let identical = kernelScores.length === jsOut.length;
  for (let i = 0; identical && i < jsOut.length; i++) identical = Object.is(kernelScores[i], jsOut[i]);
  const rate = (ms: number): number => batch.length / (ms / 1000);
  const result: ThroughputResult = {
    dataset,
    utterances: batch.length,
    per_s: rate(predictWall),
    cpu_per_s: rate(predictCpu),
    featurize_per_s: rate(featurizeWall),
    score_per_s: rate(scoreWall),
    score_js_per_s: rate(scoreJsWall),
    kernel_speedup: scoreJsWall / scoreWall,
    kernel_bit_identical: identical,
  };
  console.error(
    `throughput ${dataset}: ${Math.round(result.per_s)}/s, ${Math.round(result.cpu_per_s)}/s of CPU time ` +
      `(featurize ${Math.round(result.featurize_per_s)}/s, scores ${Math.round(result.score_per_s)}/s, ` +
      `in JavaScript ${Math.round(result.score_js_per_s)}/s: kernel ×${result.kernel_speedup.toFixed(2)}, ${identical ? 'same bits' : 'BITS DIFFER'})`,
  );
  return result;
}
