import type { DiscoveryPhase } from '../../../shared/contract/dto';
import { runJob, type RunningJob } from '../workerJob';
import type { DiscoveryWorkerMessage, DiscoveryWorkerRequest } from './discoveryProtocol';

type ResultOf<Q extends DiscoveryWorkerRequest> = Extract<DiscoveryWorkerMessage, { kind: { discover: 'discovered'; expand: 'expanded'; cleanup: 'cleaned' }[Q['kind']] }>;

/** Runs one discovery request in its own worker thread; `cancel` terminates the thread and rejects with JobCancelled. */
export function runDiscoveryJob<Q extends DiscoveryWorkerRequest>(
  workerPath: string,
  request: Q,
  onProgress: (phase: DiscoveryPhase, done: number) => void = () => undefined,
): RunningJob<ResultOf<Q>> {
  return runJob<DiscoveryPhase, ResultOf<Q>>(workerPath, request, onProgress, 'discovery');
}
