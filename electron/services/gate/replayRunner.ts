import { availableParallelism } from 'node:os';
import type { ModelArtifact } from '../../../shared/ml/modelArtifact';
import type { ReplayPredictions } from '../../../shared/ml/gate/replayPredict';
import { packTexts } from '../model/textPack';
import { JobCancelled, runJob, type RunningJob } from '../workerJob';
import type { ReplayPhase, ReplayWorkerRequest, ReplayWorkerResult } from './replayProtocol';

/** What a replay predicts: every turn's model text, and which turns need the active artifact. */
export interface ReplayPredictInput {
  readonly candidate: ModelArtifact;
  readonly active: unknown;
  readonly texts: readonly string[];
  readonly needOld: Uint8Array;
}

/** Turns below which one worker predicts them all (a second thread would cost more than it saves). */
const MIN_TURNS_PER_WORKER = 20_000;

/** Worker threads a replay of `turns` turns uses: up to two (both models predict in each), at most the machine's cores. */
export function replayWorkers(turns: number): number {
  return Math.max(1, Math.min(2, availableParallelism(), Math.floor(turns / MIN_TURNS_PER_WORKER)));
}

/**
 * Predicts the turns in `workers` worker threads (`workerPath`: replayWorker, built .js or .ts source), each a
 * contiguous slice with both models, and joins the slices in order. Progress is the share of all turns done;
 * cancel stops every thread (the result rejects with JobCancelled).
 */
export function runReplayPredictions(
  workerPath: string,
  input: ReplayPredictInput,
  onProgress: (done: number) => void,
  workers = replayWorkers(input.texts.length),
): RunningJob<ReplayPredictions> {
  const n = input.texts.length;
  const bounds = Array.from({ length: workers + 1 }, (_, k) => Math.round((k * n) / workers));
  const done = new Float64Array(workers);
  const jobs: RunningJob<ReplayWorkerResult>[] = [];
  let cancelled = false;
  const report = (k: number, share: number) => {
    done[k] = share * (bounds[k + 1]! - bounds[k]!);
    onProgress(n === 0 ? 1 : done.reduce((a, b) => a + b, 0) / n);
  };
  const result = (async () => {
    const slices = await Promise.all(
      Array.from({ length: workers }, async (_, k) => {
        const texts = await packTexts(input.texts.slice(bounds[k], bounds[k + 1]));
        if (cancelled) throw new JobCancelled();
        const request: ReplayWorkerRequest = { kind: 'predict', candidate: input.candidate, active: input.active, texts, needOld: input.needOld.slice(bounds[k], bounds[k + 1]) };
        const job = runJob<ReplayPhase, ReplayWorkerResult>(workerPath, request, (_phase, share) => report(k, share), 'replay');
        jobs.push(job);
        return job.result;
      }),
    ).catch(async (err: unknown) => {
      await Promise.all(jobs.map((j) => j.cancel()));
      throw err;
    });
    return joinSlices(slices, n);
  })();
  return {
    result,
    async cancel() {
      cancelled = true;
      await Promise.all(jobs.map((j) => j.cancel()));
    },
  };
}

function joinSlices(slices: readonly ReplayWorkerResult[], n: number): ReplayPredictions {
  const column = () => ({ intent: new Int32Array(n), confidence: new Float32Array(n) });
  const candidate = column();
  const active = column();
  let at = 0;
  for (const s of slices) {
    candidate.intent.set(s.candidate.intent, at);
    candidate.confidence.set(s.candidate.confidence, at);
    active.intent.set(s.active.intent, at);
    active.confidence.set(s.active.confidence, at);
    at += s.candidate.intent.length;
  }
  return { candidate, active, candidateLabels: slices[0]?.candidateLabels ?? [], activeLabels: slices[0]?.activeLabels ?? [] };
}
