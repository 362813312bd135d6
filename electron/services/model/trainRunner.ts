import type { TrainingPhase } from '../../../shared/ml/trainingRun';
import { runJob, type RunningJob } from '../workerJob';
import type { ScoreResult, TrainResult, WorkerRequest } from './workerProtocol';

export { JobCancelled, type RunningJob } from '../workerJob';

/**
 * Starts the training worker at `workerPath` (a built .js file, or the .ts source under tsx) on `request`.
 * The result promise rejects with JobCancelled when cancelled, or with the worker's error.
 */
export function runWorkerJob<R extends TrainResult | ScoreResult>(
  workerPath: string,
  request: WorkerRequest,
  onProgress: (phase: TrainingPhase, done: number) => void,
): RunningJob<R> {
  return runJob<TrainingPhase, R>(workerPath, request, onProgress, 'training');
}
