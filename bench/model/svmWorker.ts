/** Worker entry: trains one class range of a training plan and posts the fit back. */
import { parentPort, workerData } from 'node:worker_threads';
import { type TrainingPlan, trainPlannedClasses } from '../../shared/ml/train';

const { plan, classRange } = workerData as { plan: TrainingPlan; classRange: [number, number] };
const fit = trainPlannedClasses(plan, classRange);
parentPort?.postMessage(fit);
