import type { DiscoveryPhase } from '../../../shared/contract/dto';
import { JobCancelled, startWorker, type RunningJob } from '../model/trainRunner';
import type { DiscoveryWorkerMessage, DiscoveryWorkerRequest } from './discoveryProtocol';

type ResultOf<Q extends DiscoveryWorkerRequest> = Extract<DiscoveryWorkerMessage, { kind: { discover: 'discovered'; expand: 'expanded'; cleanup: 'cleaned' }[Q['kind']] }>;

/** Runs one discovery request in its own worker thread; `cancel` terminates the thread and rejects with JobCancelled. */
export function runDiscoveryJob<Q extends DiscoveryWorkerRequest>(
  workerPath: string,
  request: Q,
  onProgress: (phase: DiscoveryPhase, done: number) => void = () => undefined,
): RunningJob<ResultOf<Q>> {
  const worker = startWorker(workerPath);
  let cancelled = false;
  const result = new Promise<ResultOf<Q>>((resolve, reject) => {
    worker.on('message', (message: DiscoveryWorkerMessage) => {
      if (message.kind === 'progress') onProgress(message.phase, message.done);
      else if (message.kind === 'error') reject(new Error(message.message));
      else resolve(message as ResultOf<Q>);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (cancelled) reject(new JobCancelled());
      else if (code !== 0) reject(new Error(`The discovery worker stopped with exit code ${code}.`));
    });
  }).finally(() => void worker.terminate());
  worker.postMessage(request);
  return {
    result,
    async cancel() {
      cancelled = true;
      await worker.terminate();
    },
  };
}
