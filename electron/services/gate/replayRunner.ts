import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ModelArtifact } from '../../../shared/ml/modelArtifact';
import type { ReplayComparison, StoredColumns } from '../../../shared/ml/gate/replayCompare';
import type { DistinctTexts } from '../../../shared/ml/gate/replayPredict';
import { packTexts } from '../model/textPack';
import { JobCancelled, runJob, type RunningJob } from '../workerJob';
import type { ReplayCompareRequest, ReplayPhase, ReplaySliceRequest, ReplayTimings, ReplayWorkerResult } from './replayProtocol';

/** What a replay runs on: the distinct texts of the replayed turns, the stored predictions, how to compare. */
export interface ReplayRunInput {
  readonly candidate: ModelArtifact;
  readonly active: unknown;
  readonly distinct: DistinctTexts;
  readonly stored: StoredColumns;
  readonly compare: ReplayCompareRequest;
}

export interface ReplayRunResult {
  readonly comparison: ReplayComparison;
  /** Milliseconds per step: `pack` on this thread, then each worker's (`w0.predict`, `w1.predict`, `w0.compare`, …). */
  readonly timings: ReplayTimings;
  readonly workers: number;
}

/** Texts packed per part: packing one holds this thread for a few milliseconds. */
const PACK_PART = 8192;

/** Distinct texts below which one worker predicts them all (a second thread would cost more than it saves). */
const MIN_TEXTS_PER_WORKER = 20_000;

/** Worker threads a replay of `texts` distinct texts uses: up to two (both models predict in each), at most the machine's cores. */
export function replayWorkers(texts: number): number {
  return Math.max(1, Math.min(2, availableParallelism(), Math.floor(texts / MIN_TEXTS_PER_WORKER)));
}

/**
 * Runs a replay in `workers` worker threads (`workerPath`: replayWorker, built .js or .ts source): each predicts an
 * even, contiguous slice of the distinct texts with both models; the first (the leader) takes the others' slices
 * through message ports, spreads them over the turns and compares them with the stored predictions, so only a few
 * kilobytes of comparison come back to this thread. Progress is the share of the prediction done, then phase
 * 'comparing'; cancel stops every thread (the result rejects with JobCancelled).
 */
export function runReplay(
  workerPath: string,
  input: ReplayRunInput,
  onProgress: (phase: ReplayPhase, done: number) => void,
  workers = replayWorkers(input.distinct.texts.length),
): RunningJob<ReplayRunResult> {
  const n = input.distinct.texts.length;
  const bounds = Array.from({ length: workers + 1 }, (_, k) => Math.round((k * n) / workers));
  const done = new Float64Array(workers);
  const jobs: RunningJob<ReplayWorkerResult>[] = [];
  let cancelled = false;
  let comparing = false;
  const report = (k: number, phase: ReplayPhase, share: number) => {
    if (phase === 'comparing') comparing = true;
    if (comparing) return onProgress('comparing', 0);
    done[k] = share * (bounds[k + 1]! - bounds[k]!);
    onProgress('predicting', n === 0 ? 1 : done.reduce((a, b) => a + b, 0) / n);
  };
  const result = (async () => {
    const started = performance.now();
    const slices: ReplaySliceRequest[] = [];
    for (let k = 0; k < workers; k++) {
      const texts = await packTexts(input.distinct.texts.slice(bounds[k], bounds[k + 1]), PACK_PART);
      slices.push({ candidate: input.candidate, active: input.active, texts, needActive: input.distinct.needActive.slice(bounds[k], bounds[k + 1]) });
    }
    const pack = performance.now() - started;
    if (cancelled) throw new JobCancelled();
    const channels = Array.from({ length: workers - 1 }, () => new MessageChannel());
    const peers: MessagePort[] = channels.map((c) => c.port1);
    const start = <R extends ReplayWorkerResult>(k: number, request: object, transfer: MessagePort[]) => {
      const job = runJob<ReplayPhase, ReplayWorkerResult>(workerPath, request, (phase, share) => report(k, phase, share), 'replay', transfer);
      jobs.push(job);
      return job.result as Promise<R>;
    };
    const lead = start<Extract<ReplayWorkerResult, { kind: 'compared' }>>(0, { ...slices[0]!, kind: 'lead', distinct: n, peers, source: input.distinct.source, stored: input.stored, compare: input.compare }, peers);
    const helpers = channels.map((c, h) => start<Extract<ReplayWorkerResult, { kind: 'helped' }>>(h + 1, { ...slices[h + 1]!, kind: 'help', peer: c.port2 }, [c.port2]));
    const [led, ...helped] = await Promise.all([lead, ...helpers]).catch(async (err: unknown) => {
      await Promise.all(jobs.map((j) => j.cancel()));
      throw err;
    });
    const timings: Record<string, number> = { pack };
    [led, ...helped].forEach((r, k) => Object.entries(r.timings).forEach(([step, ms]) => (timings[`w${k}.${step}`] = ms)));
    return { comparison: led.comparison, timings, workers };
  })();
  return {
    result,
    async cancel() {
      cancelled = true;
      await Promise.all(jobs.map((j) => j.cancel()));
    },
  };
}
