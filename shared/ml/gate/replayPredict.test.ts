import { describe, expect, it } from 'vitest';
import { toArtifact } from '../modelArtifact';
import { createArtifactPredictor } from '../predictArtifact';
import { trainIntentModel } from '../train';
import { contextualText } from '../turnContext';
import { distinctTextCollector, predictDistinct, predictReplay, type ReplayPredictions } from './replayPredict';

const yes = ['是的', '对', '可以', '好的', '没问题', 'yes', 'sure', 'ok'];
const no = ['不是', '不要', '不需要', '没有', '不行', 'no', 'nope', 'not now'];
const later = ['晚点再打', '现在忙', '下午再说', '明天打给我', 'call me later', 'busy now', 'later please', 'another time'];
const texts = [...yes, ...no, ...later];
const labels = [...yes.map(() => 'yes'), ...no.map(() => 'no'), ...later.map(() => 'later')];
const candidate = toArtifact(trainIntentModel(texts, labels), 0.6);
const active = toArtifact(trainIntentModel([...yes, ...no], [...yes.map(() => 'yes'), ...no.map(() => 'no')]), 0.5);

// With context: the models read the bot's question (featurizer context groups on), so texts carry it.
const prompts = ['您现在方便吗？', 'Is now a good time?', '需要我们稍后回电吗？'];
const withContext = (t: string, i: number) => contextualText(t, { prompt: prompts[i % prompts.length]!, previous: i % 2 ? '喂' : '' });
const contextCandidate = toArtifact(trainIntentModel(texts.map(withContext), labels), 0.6);
const contextActive = toArtifact(trainIntentModel([...yes, ...no].map(withContext), [...yes.map(() => 'yes'), ...no.map(() => 'no')]), 0.5);

/** Checks a replay's columns against `createArtifactPredictor` turn by turn: intent exactly, confidence bit for bit. */
function expectPlatformRule(out: ReplayPredictions, candidateArtifact: unknown, activeArtifact: unknown, replayed: readonly string[], needOld: Uint8Array) {
  const want = createArtifactPredictor(candidateArtifact)(replayed);
  expect(Array.from(out.candidate.intent, (i) => (i < 0 ? null : out.candidateLabels[i]))).toEqual(want.map((p) => p.intent));
  expect(Array.from(out.candidate.confidence)).toEqual(want.map((p) => Math.fround(p.confidence)));
  const old = createArtifactPredictor(activeArtifact)(replayed);
  needOld.forEach((need, r) => {
    if (need) {
      expect(out.active.intent[r]! < 0 ? null : out.activeLabels[out.active.intent[r]!]).toBe(old[r]!.intent);
      expect(out.active.confidence[r]).toBe(Math.fround(old[r]!.confidence));
    } else {
      expect(out.active.intent[r]).toBe(-1);
      expect(Number.isNaN(out.active.confidence[r])).toBe(true);
    }
  });
}

describe('predictReplay', () => {
  const replayed = ['是的', '晚点再打', '是的', '完全无关的一句话 xyz', 'no', '明天打给我'];
  const needOld = Uint8Array.from([1, 0, 1, 1, 0, 1]);
  const seen: number[] = [];
  const out = predictReplay(candidate, active, replayed, needOld, (done) => seen.push(done));

  it('predicts every turn with the candidate, and the turns that need it with the active artifact, exactly as the platform would', () => {
    expectPlatformRule(out, candidate, active, replayed, needOld);
    expect(out.candidateLabels).toEqual(['later', 'no', 'yes']);
    expect(out.active.intent[1]).toBe(-1);
  });

  it('predicts texts with context exactly as the platform would, hashing once for both models when they share a featurizer config', () => {
    const turns = [...texts, '完全无关的一句话 xyz', 'maybe tomorrow'].map(withContext);
    const need = Uint8Array.from(turns, (_, r) => (r % 3 === 0 ? 0 : 1));
    expectPlatformRule(predictReplay(contextCandidate, contextActive, turns, need), contextCandidate, contextActive, turns, need);
  });

  it('predicts exactly as the platform would when the two artifacts featurize differently (one reads context, one does not)', () => {
    const turns = [...texts, '完全无关的一句话 xyz'].map(withContext);
    const need = new Uint8Array(turns.length).fill(1);
    expectPlatformRule(predictReplay(contextCandidate, active, turns, need), contextCandidate, active, turns, need);
  });

  it('reports progress up to done, and leaves the old side empty without an active artifact', () => {
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((s, i) => i === 0 || s >= seen[i - 1]!)).toBe(true);
    const none = predictReplay(candidate, null, replayed, needOld);
    expect(Array.from(none.active.intent)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(none.activeLabels).toEqual([]);
  });
});

describe('distinctTextCollector', () => {
  it('maps each turn to its text once, in first-seen order, marking texts any turn of which needs the active model', () => {
    const collect = distinctTextCollector(['a', 'b', 'a', 'c', 'b'], Uint8Array.from([0, 0, 1, 0, 0]));
    collect.add(0, 2);
    collect.add(2, 5);
    const d = collect.result();
    expect(d.texts).toEqual(['a', 'b', 'c']);
    expect(Array.from(d.source)).toEqual([0, 1, 0, 2, 1]);
    expect(Array.from(d.needActive)).toEqual([1, 0, 0]);
  });

  it('predicts a slice of distinct texts as the whole would', () => {
    const all = predictDistinct(candidate, active, texts, new Uint8Array(texts.length).fill(1));
    const part = predictDistinct(candidate, active, texts.slice(5, 12), new Uint8Array(7).fill(1));
    expect(Array.from(part.candidate.intent)).toEqual(Array.from(all.candidate.intent.subarray(5, 12)));
    expect(Array.from(part.active.confidence)).toEqual(Array.from(all.active.confidence.subarray(5, 12)));
  });
});
