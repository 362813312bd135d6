import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareReplay, type StoredColumns } from '../../../shared/ml/gate/replayCompare';
import { distinctTextCollector, predictReplay } from '../../../shared/ml/gate/replayPredict';
import { toArtifact } from '../../../shared/ml/modelArtifact';
import { mixSeed } from '../../../shared/ml/random';
import { trainIntentModel } from '../../../shared/ml/train';
import { contextualText } from '../../../shared/ml/turnContext';
import { runReplay, type ReplayRunResult } from './replayRunner';

const workerPath = fileURLToPath(new URL('../../workers/replayWorker.ts', import.meta.url));
const yes = ['是的', '对', '可以', '好的', '没问题', 'yes', 'sure', 'ok'];
const no = ['不是', '不要', '不需要', '没有', '不行', 'no', 'nope', 'not now'];
const later = ['晚点再打', '现在忙', '下午再说', '明天打给我', 'call me later', 'busy now', 'later please', 'another time'];
const ctx = (t: string, i: number) => contextualText(t, { prompt: i % 2 ? '您现在方便吗？' : 'Is now a good time?' });
const train = [...yes, ...no, ...later].map(ctx);
const labels = [...yes.map(() => 'yes'), ...no.map(() => 'no'), ...later.map(() => 'later')];
const candidate = toArtifact(trainIntentModel(train, labels), 0.6);
const active = toArtifact(trainIntentModel(train.slice(0, 16), labels.slice(0, 16)), 0.5);

// 400 turns, many repeated, a few unseen; the platform stored predictions for two turns in three (intents 'yes'/'no').
const pool = [...yes, ...no, ...later, '完全无关 xyz', 'maybe', '嗯嗯', 'what is this'];
const texts = Array.from({ length: 400 }, (_, r) => ctx(pool[(r * 7) % pool.length]!, r % 3));
const needOld = Uint8Array.from(texts, (_, r) => (r % 3 === 0 ? 1 : 0));
const stored: StoredColumns = {
  labels: ['yes', 'no'],
  needOld,
  intent: Int32Array.from(texts, (_, r) => (needOld[r] ? -1 : r % 5 === 0 ? -1 : r % 2)),
  confidence: Float32Array.from(texts, (_, r) => (needOld[r] ? Number.NaN : 0.4 + (r % 6) / 10)),
};
const compare = { threshold: 0.5, examples: 3, sampleSize: 40, seed: 99, version: 4 };

function run(workers: number): Promise<ReplayRunResult> {
  const collect = distinctTextCollector(texts, needOld);
  collect.add(0, texts.length);
  return runReplay(workerPath, { candidate, active, distinct: collect.result(), stored, compare }, () => undefined, workers).result;
}

describe('runReplay', () => {
  it('compares in the worker exactly as compareReplay over predictReplay does in process, with one worker or two', async () => {
    const want = compareReplay(stored, predictReplay(candidate, active, texts, needOld), {
      ...compare,
      seedOf: (turns) => mixSeed(compare.seed, compare.version * 1_000_003 + turns),
    });
    expect(want.turns).toBe(400);
    expect(want.fromRegistry).toBe(134);
    expect(want.changed).toBeGreaterThan(0);
    expect(want.sample.length).toBe(Math.min(40, want.changed));
    const [one, two] = await Promise.all([run(1), run(2)]);
    expect(one.workers).toBe(1);
    expect(two.workers).toBe(2);
    expect(one.comparison).toEqual(want);
    expect(two.comparison).toEqual(want);
    expect(Object.keys(two.timings)).toEqual(expect.arrayContaining(['pack', 'w0.predict', 'w1.predict', 'w0.compare']));
  }, 60_000);
});
