import { parentPort } from 'node:worker_threads';
import { loadModelArtifact, toArtifact } from '../../shared/ml/modelArtifact';
import { chooseThresholdFromScores, outOfScopeCurve, outOfScopeFiguresAt, predictWithOutOfScope } from '../../shared/ml/outOfScope';
import { runTraining } from '../../shared/ml/trainingRun';
import { topThree } from '../../shared/ml/uncertainty';
import type { OutOfScopeMeasurement, ScoredColumns, WorkerMessage, WorkerRequest } from '../services/model/workerProtocol';

/** Worker-thread entry: trains or scores off the main thread and posts progress, then one result. */
const port = parentPort;
if (!port) throw new Error('trainWorker must run in a worker thread');

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.once('message', (request: WorkerRequest) => {
  try {
    if (request.kind === 'score') {
      const { model } = loadModelArtifact(request.artifact);
      const { probs, outOfScope } = predictWithOutOfScope(model, request.score);
      const scored = { ...topThree(probs, model.classes), outOfScope };
      post({ kind: 'scored', scored }, buffersOf(scored));
      return;
    }
    const started = performance.now();
    const out = runTraining(
      { texts: request.texts, labels: request.labels, outOfScopeTexts: request.outOfScopeTexts, score: request.score, folds: request.folds, seed: request.seed },
      (phase, done) => post({ kind: 'progress', phase, done }),
    );
    const examples = out.outOfScopeExamples;
    const threshold = chooseThresholdFromScores(out.inScopeOutOfScope, examples, { inScopeMissed: out.inScopeMissed });
    const outOfScope: OutOfScopeMeasurement = {
      inScope: out.inScopeOutOfScope,
      examples,
      curve: outOfScopeCurve(out.inScopeOutOfScope, examples),
      atThreshold: outOfScopeFiguresAt(out.inScopeOutOfScope, examples, threshold),
    };
    const result: WorkerMessage = {
      kind: 'trained',
      artifact: toArtifact(out.model, threshold),
      report: out.report,
      scored: { ...out.scored, outOfScope: out.scoredOutOfScope },
      labelQuality: out.labelIssues.quality,
      suggested: out.labelIssues.suggested,
      isIssue: out.labelIssues.isIssue,
      outOfFoldPrediction: out.outOfFoldPrediction,
      review: { ...out.review.top, suggestedProb: out.review.suggestedProb },
      outOfScope,
      trainSeconds: (performance.now() - started) / 1000,
    };
    post(result, [...buffersOf(result.scored), out.labelIssues.quality.buffer, out.labelIssues.suggested.buffer, out.labelIssues.isIssue.buffer] as ArrayBuffer[]);
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});

function buffersOf(s: ScoredColumns): ArrayBuffer[] {
  return [s.first.buffer, s.firstProb.buffer, s.second.buffer, s.secondProb.buffer, s.third.buffer, s.thirdProb.buffer, s.outOfScope.buffer] as ArrayBuffer[];
}
