import { describe, expect, it } from 'vitest';
import { toArtifact } from '../modelArtifact';
import { createArtifactPredictor } from '../predictArtifact';
import { trainIntentModel } from '../train';
import { predictReplay } from './replayPredict';

const yes = ['是的', '对', '可以', '好的', '没问题', 'yes', 'sure', 'ok'];
const no = ['不是', '不要', '不需要', '没有', '不行', 'no', 'nope', 'not now'];
const later = ['晚点再打', '现在忙', '下午再说', '明天打给我', 'call me later', 'busy now', 'later please', 'another time'];
const texts = [...yes, ...no, ...later];
const labels = [...yes.map(() => 'yes'), ...no.map(() => 'no'), ...later.map(() => 'later')];
const candidate = toArtifact(trainIntentModel(texts, labels), 0.6);
const active = toArtifact(trainIntentModel([...yes, ...no], [...yes.map(() => 'yes'), ...no.map(() => 'no')]), 0.5);

describe('predictReplay', () => {
  const replayed = ['是的', '晚点再打', '是的', '完全无关的一句话 xyz', 'no', '明天打给我'];
  const needOld = Uint8Array.from([1, 0, 1, 1, 0, 1]);
  const seen: number[] = [];
  const out = predictReplay(candidate, active, replayed, needOld, (done) => seen.push(done));

  it('predicts every turn with the candidate exactly as the platform would', () => {
    const expected = createArtifactPredictor(candidate)(replayed);
    expect(Array.from(out.candidate.intent, (i) => (i < 0 ? null : out.candidateLabels[i]))).toEqual(expected.map((p) => p.intent));
    expected.forEach((p, r) => expect(out.candidate.confidence[r]).toBeCloseTo(p.confidence, 6));
  });

  it('predicts with the active artifact only the turns that need it', () => {
    const expected = createArtifactPredictor(active)(replayed);
    needOld.forEach((need, r) => {
      if (need) {
        expect(out.active.intent[r]! < 0 ? null : out.activeLabels[out.active.intent[r]!]).toBe(expected[r]!.intent);
        expect(out.active.confidence[r]).toBeCloseTo(expected[r]!.confidence, 6);
      } else {
        expect(out.active.intent[r]).toBe(-1);
        expect(Number.isNaN(out.active.confidence[r])).toBe(true);
      }
    });
  });

  it('reports progress up to done, and leaves the old side empty without an active artifact', () => {
    expect(seen.at(-1)).toBe(1);
    const none = predictReplay(candidate, null, replayed, needOld);
    expect(Array.from(none.active.intent)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(none.activeLabels).toEqual([]);
  });
});
