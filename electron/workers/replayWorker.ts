import { parentPort, type MessagePort } from 'node:worker_threads';
import { compareReplay } from '../../shared/ml/gate/replayCompare';
import type { PredictionColumns } from '../../shared/ml/gate/replay';
import { predictDistinct, spreadColumns } from '../../shared/ml/gate/replayPredict';
import { mixSeed } from '../../shared/ml/random';
import { unpackTexts } from '../services/model/textPack';
import type { ReplayLeadRequest, ReplaySlice, ReplayWorkerMessage, ReplayWorkerRequest } from '../services/gate/replayProtocol';

/**
 * Worker-thread entry: predicts a slice of a replay's distinct texts with the candidate and the active model. A
 * helper posts its slice to the leading worker; the leader joins the slices, spreads them over the turns and
 * compares them with the stored predictions (`compareReplay`), so the service's thread never holds for it. Posts
 * progress, then one result.
 */
const port = parentPort;
if (!port) throw new Error('replayWorker must run in a worker thread');

const post = (message: ReplayWorkerMessage) => port.postMessage(message);
const buffersOf = (s: ReplaySlice) => [s.candidate.intent, s.candidate.confidence, s.active.intent, s.active.confidence].map((a) => a.buffer as ArrayBuffer);

port.once('message', (request: ReplayWorkerRequest) => {
  void run(request).catch((err: unknown) => post({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
});

async function run(request: ReplayWorkerRequest): Promise<void> {
  const timings: Record<string, number> = {};
  let at = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + (now - at);
    at = now;
  };
  const texts = unpackTexts(request.texts);
  lap('unpack');
  let last = -1;
  const own = predictDistinct(request.candidate, request.active, texts, request.needActive, (done) => {
    // At most a hundred progress messages.
    const step = Math.floor(done * 100);
    if (step === last) return;
    last = step;
    post({ kind: 'progress', phase: 'predicting', done });
  });
  lap('predict');
  if (request.kind === 'help') {
    const slice: ReplaySlice = { candidate: own.candidate, active: own.active };
    request.peer.postMessage(slice, buffersOf(slice));
    request.peer.close();
    post({ kind: 'helped', timings });
    return;
  }
  const slices = await Promise.all(request.peers.map(receive));
  lap('waitForHelpers');
  post({ kind: 'progress', phase: 'comparing', done: 0 });
  const join = (side: (s: ReplaySlice) => PredictionColumns): PredictionColumns => {
    const intent = new Int32Array(request.distinct);
    const confidence = new Float32Array(request.distinct);
    let offset = 0;
    for (const s of [own, ...slices]) {
      const c = side(s);
      intent.set(c.intent, offset);
      confidence.set(c.confidence, offset);
      offset += c.intent.length;
    }
    return { intent, confidence };
  };
  const predicted = {
    candidate: spreadColumns(join((s) => s.candidate), request.source),
    active: spreadColumns(join((s) => s.active), request.source),
    candidateLabels: own.candidateLabels,
    activeLabels: own.activeLabels,
  };
  lap('join');
  const comparison = compare(request, predicted);
  lap('compare');
  post({ kind: 'compared', comparison, timings });
}

function compare(request: ReplayLeadRequest, predicted: Parameters<typeof compareReplay>[1]) {
  const { threshold, examples, sampleSize, seed, version } = request.compare;
  return compareReplay(request.stored, predicted, { threshold, examples, sampleSize, seedOf: (turns) => mixSeed(seed, version * 1_000_003 + turns) });
}

function receive(peer: MessagePort): Promise<ReplaySlice> {
  return new Promise((resolve) => {
    peer.once('message', (slice: ReplaySlice) => {
      peer.close();
      resolve(slice);
    });
  });
}
