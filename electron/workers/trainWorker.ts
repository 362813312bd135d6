import { parentPort } from 'node:worker_threads';
import { loadModelArtifact, toArtifact } from '../../shared/ml/modelArtifact';
import { chooseOutOfScopeThreshold, outOfScopeScores } from '../../shared/ml/outOfScope';
import { predictTexts } from '../../shared/ml/train';
import { runTraining } from '../../shared/ml/trainingRun';
import { topTwo } from '../../shared/ml/uncertainty';
import type { WorkerMessage, WorkerRequest } from '../services/model/workerProtocol';

/** Worker-thread entry: trains or scores off the main thread and posts progress, then one result. */
const port = parentPort;
if (!port) throw new Error('trainWorker must run in a worker thread');

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.once('message', (request: WorkerRequest) => {
  try {
    if (request.kind === 'score') {
      const { model } = loadModelArtifact(request.artifact);
      const scored = topTwo(predictTexts(model, request.score), model.classes);
      post({ kind: 'scored', scored }, buffersOf(scored));
      return;
    }
    const started = performance.now();
    const out = runTraining(
      { texts: request.texts, labels: request.labels, score: request.score, folds: request.folds, seed: request.seed },
      (phase, done) => post({ kind: 'progress', phase, done }),
    );
    const threshold = chooseThreshold(out.model, request.outOfScopeTexts, out.labelIssues.quality);
    const result: WorkerMessage = {
      kind: 'trained',
      artifact: toArtifact(out.model, threshold),
      report: out.report,
      scored: out.scored,
      labelQuality: out.labelIssues.quality,
      suggested: out.labelIssues.suggested,
      isIssue: out.labelIssues.isIssue,
      outOfFoldPrediction: out.outOfFoldPrediction,
      trainSeconds: (performance.now() - started) / 1000,
    };
    post(result, [...buffersOf(out.scored), out.labelIssues.quality.buffer, out.labelIssues.suggested.buffer, out.labelIssues.isIssue.buffer] as ArrayBuffer[]);
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});

/**
 * The out-of-scope threshold: with "none of these" examples, the F1-best threshold of in-scope versus those; without,
 * the score that flags 5% of in-scope examples. In-scope scores are approximated out of fold by 1 − p(given label).
 */
function chooseThreshold(model: Parameters<typeof predictTexts>[0], oosTexts: readonly string[], inScopeQuality: Float32Array): number {
  const inScope = Float32Array.from(inScopeQuality, (q) => 1 - q);
  if (oosTexts.length >= 5) {
    const oos = outOfScopeScores(predictTexts(model, oosTexts), model.classes);
    const scores = new Float32Array(inScope.length + oos.length);
    scores.set(inScope);
    scores.set(oos, inScope.length);
    const positives = new Uint8Array(scores.length).fill(1, inScope.length);
    const chosen = chooseOutOfScopeThreshold(scores, positives);
    if (Number.isFinite(chosen.threshold)) return chosen.threshold;
  }
  const sorted = [...inScope].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(0.95 * (sorted.length - 1))]! : 0.5;
}

function buffersOf(s: { first: Int32Array; firstProb: Float32Array; second: Int32Array; secondProb: Float32Array }): ArrayBuffer[] {
  return [s.first.buffer, s.firstProb.buffer, s.second.buffer, s.secondProb.buffer] as ArrayBuffer[];
}
