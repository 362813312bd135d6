import { parentPort } from 'node:worker_threads';
import type { Featurizer } from '../../shared/ml/featurize';
import { loadModelArtifact, toArtifact } from '../../shared/ml/modelArtifact';
import { chooseThresholdFromScores, outOfScopeCurve, outOfScopeFiguresAt, predictWithOutOfScope } from '../../shared/ml/outOfScope';
import { reportByQuestion } from '../../shared/ml/questionReport';
import { rankQueues, rankUncovered, type QueueOrders, type RankedTrainingRows } from '../../shared/ml/rankQueues';
import { runTraining } from '../../shared/ml/trainingRun';
import { topThree } from '../../shared/ml/uncertainty';
import { unpackTexts } from '../services/model/textPack';
import type { OutOfScopeMeasurement, RankColumns, ScoredColumns, WorkerMessage, WorkerRequest } from '../services/model/workerProtocol';

/**
 * Worker-thread entry: trains or scores off the main thread, ranks the queues over the scores (so the thread that
 * answers labels never ranks), and posts progress, then one result.
 */
const port = parentPort;
if (!port) throw new Error('trainWorker must run in a worker thread');

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.once('message', (request: WorkerRequest) => {
  try {
    if (request.kind === 'rankUncovered') {
      const order = rankUncovered(request.platformConfidence, request.outOfScope, { threshold: request.threshold });
      post({ kind: 'rankedUncovered', order }, [order.buffer as ArrayBuffer]);
      return;
    }
    if (request.kind === 'score') {
      const { model, outOfScopeThreshold } = loadModelArtifact(request.artifact);
      const texts = unpackTexts(request.score);
      const { probs, outOfScope } = predictWithOutOfScope(model, texts);
      const scored = { ...topThree(probs, model.classes), outOfScope };
      const t = request.training;
      const training = t && { ...t, modelIntentIds: Array.from(t.modelIntent, (c) => model.labels[c]!) };
      const orders = rank(scored, texts, model.featurizer, request.rank, outOfScopeThreshold, training);
      post({ kind: 'scored', scored, orders }, [...buffersOf(scored), ...ordersBuffers(orders)]);
      return;
    }
    const started = performance.now();
    const score = unpackTexts(request.score);
    const texts = Array.from(request.utterances, (u) => score[u]!);
    const outOfScopeTexts = Array.from(request.outOfScopeUtterances, (u) => score[u]!);
    const out = runTraining(
      { texts, labels: request.labels, outOfScopeTexts, score, folds: request.folds, seed: request.seed },
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
    const scored = { ...out.scored, outOfScope: out.scoredOutOfScope };
    const training: RankedTrainingRows = {
      utterances: request.utterances,
      intentIds: request.labels,
      quality: out.labelIssues.quality,
      isIssue: out.labelIssues.isIssue,
      modelIntentIds: Array.from(out.review.top.first, (c) => out.model.labels[c]!),
    };
    const usedThreshold = request.keptThreshold ?? threshold;
    const classOf = new Map(out.model.labels.map((id, c) => [id, c]));
    const questions = reportByQuestion({
      questions: request.questions,
      predicted: scored.first,
      outOfScope: scored.outOfScope,
      platformConfidence: request.rank.platformConfidence,
      threshold: usedThreshold,
      training: { utterances: request.utterances, truth: request.labels.map((id) => classOf.get(id) ?? -1), predicted: out.outOfFoldPrediction, evaluated: out.evaluated },
      classes: out.model.labels,
    });
    const orders = rank(scored, score, out.model.featurizer, request.rank, usedThreshold, training);
    const result: WorkerMessage = {
      kind: 'trained',
      artifact: toArtifact(out.model, threshold),
      report: out.report,
      scored,
      labelQuality: out.labelIssues.quality,
      suggested: out.labelIssues.suggested,
      isIssue: out.labelIssues.isIssue,
      outOfFoldPrediction: out.outOfFoldPrediction,
      review: { ...out.review.top, suggestedProb: out.review.suggestedProb },
      outOfScope,
      orders,
      questions,
      questionsThreshold: usedThreshold,
      trainSeconds: (performance.now() - started) / 1000,
    };
    post(result, [...buffersOf(result.scored), out.labelIssues.quality.buffer, out.labelIssues.suggested.buffer, out.labelIssues.isIssue.buffer, ...ordersBuffers(orders)] as ArrayBuffer[]);
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});

function rank(scored: ScoredColumns, texts: readonly string[], featurizer: Featurizer, columns: RankColumns, threshold: number, training: RankedTrainingRows | null): QueueOrders {
  return rankQueues({ ...columns, ...scored, texts, featurizer, outOfScopeThreshold: threshold, training });
}

function buffersOf(s: ScoredColumns): ArrayBuffer[] {
  return [s.first.buffer, s.firstProb.buffer, s.second.buffer, s.secondProb.buffer, s.third.buffer, s.thirdProb.buffer, s.outOfScope.buffer] as ArrayBuffer[];
}

function ordersBuffers(o: QueueOrders): ArrayBuffer[] {
  return [o.uncovered.buffer, o.informative.buffer, o.mislabeled.buffer, o.disagreements.buffer] as ArrayBuffer[];
}
