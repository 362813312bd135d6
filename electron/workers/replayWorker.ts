import { parentPort } from 'node:worker_threads';
import { predictReplay } from '../../shared/ml/gate/replayPredict';
import { unpackTexts } from '../services/model/textPack';
import type { ReplayWorkerMessage, ReplayWorkerRequest } from '../services/gate/replayProtocol';

/** Worker-thread entry: predicts a slice of replayed turns with the candidate and the active model; posts progress, then one result. */
const port = parentPort;
if (!port) throw new Error('replayWorker must run in a worker thread');

const post = (message: ReplayWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.once('message', (request: ReplayWorkerRequest) => {
  try {
    let last = -1;
    const out = predictReplay(request.candidate, request.active, unpackTexts(request.texts), request.needOld, (done) => {
      // At most a hundred progress messages.
      const step = Math.floor(done * 100);
      if (step === last) return;
      last = step;
      post({ kind: 'progress', phase: 'predicting', done });
    });
    const buffers = [out.candidate.intent, out.candidate.confidence, out.active.intent, out.active.confidence].map((a) => a.buffer as ArrayBuffer);
    post({ kind: 'predicted', ...out }, buffers);
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
