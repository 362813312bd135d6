/** Trains an intent model with the solver's classes split over worker threads (as electron/workers will). */
import { Worker } from 'node:worker_threads';
import { finishIntentModel, type IntentModel, mergeSvmFits, planTraining, type SvmFit, type TrainOptions } from '../../shared/ml/train';

const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_ENTRY = new URL('./svmWorker.ts', import.meta.url).href;
/** Workers do not inherit tsx's loader: the bootstrap registers it, then loads the TypeScript entry. */
const WORKER_BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_ENTRY)}); });`;

/**
 * Plans in this thread (featurize, folds), trains contiguous class ranges in `threads` workers, merges and fits
 * the temperature here, always with the one-vs-rest SVM (its classes split; the softmax solver trains them together).
 * Gives the same model as `trainIntentModel` with the same options when that picks the SVM.
 */
export async function trainIntentModelInWorkers(
  texts: readonly string[],
  labels: readonly string[],
  options: Partial<TrainOptions>,
  threads: number,
): Promise<IntentModel> {
  const plan = planTraining(texts, labels, { ...options, solver: 'svm' });
  const classes = plan.labels.length;
  const ranges: [number, number][] = [];
  for (let t = 0; t < threads; t++) ranges.push([Math.floor((t * classes) / threads), Math.floor(((t + 1) * classes) / threads)]);
  const fits = await Promise.all(
    ranges.map(
      (classRange) =>
        new Promise<SvmFit>((resolvePromise, reject) => {
          const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: { plan, classRange } });
          worker.once('message', (fit: SvmFit) => {
            resolvePromise(fit);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return finishIntentModel(plan, mergeSvmFits(fits));
}
