import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import type { IntentProbability } from '../../shared/contract/dto';
import type { Intent } from '../../shared/domain/types';
import { createIntentSearcher, type RankableIntent } from './intentSearch';
import { freezeKeyMap } from './keyMap';
import { usePicker } from './usePicker';

const mk = (id: string, name: string, labeled: number): RankableIntent => ({ id, name, description: '', examples: [], status: 'active', createdAt: 0, updatedAt: 0, labeled });
const intents = [mk('confirm', '确认本人', 90), mk('fraud', '否认交易/疑似盗刷', 40), mk('repay', '承诺还款', 60), mk('later', '稍后再打', 10), ...Array.from({ length: 8 }, (_, i) => mk(`x${i}`, `其他${i}`, 0))];

function setup() {
  const predicted = ref<string | null>(null);
  const modelTop = ref<readonly IntentProbability[]>([]);
  const currentLabel = ref<string | null>(null);
  const labelProbability = ref<number | null>(null);
  const keyMap = ref<readonly (string | null)[] | null>(freezeKeyMap(intents));
  const picker = usePicker(ref(createIntentSearcher(intents)), predicted, {
    keyMap,
    byId: ref(new Map<string, Intent>(intents.map((i) => [i.id, i]))),
    modelTop,
    currentLabel,
    labelProbability,
  });
  return { picker, predicted, modelTop, currentLabel, labelProbability };
}

/** The model's candidates, from (intent, probability) pairs. */
const top = (...pairs: [string, number][]): IntentProbability[] => pairs.map(([intentId, probability]) => ({ intentId, probability }));

const digitIds = (p: ReturnType<typeof setup>['picker']) => p.choices.value.map((c) => c?.intent.id ?? null);

describe('usePicker with a frozen key map', () => {
  it('keeps every digit on its intent whatever the prediction, and marks the prediction where it is', async () => {
    const { picker, predicted } = setup();
    const before = digitIds(picker);
    expect(before.slice(0, 4)).toEqual(['confirm', 'repay', 'fraud', 'later']);
    predicted.value = 'later';
    await nextTick();
    expect(digitIds(picker)).toEqual(before);
    expect(picker.choices.value[3]?.predicted).toBe(true);
    // Enter accepts the prediction: the highlight sits on it.
    expect(picker.highlighted()?.intent.id).toBe('later');
  });

  it("puts the model's candidates in their own row, and a prediction no digit holds there too", async () => {
    const { picker, predicted, modelTop } = setup();
    modelTop.value = top(['fraud', 0.7], ['repay', 0.2], ['later', 0.01]);
    predicted.value = 'x7';
    await nextTick();
    expect(digitIds(picker)).not.toContain('x7');
    expect(picker.suggestions.value.map((s) => [s.intent.id, s.probability])).toEqual([
      ['fraud', 0.7],
      ['repay', 0.2],
      ['x7', null],
    ]);
    expect(picker.suggestionAt(0)?.intent.id).toBe('fraud');
    expect(picker.highlighted()?.intent.id).toBe('x7');
  });

  it("shows the model's top three on Q W E, never the current label, and in review only what beats the label", async () => {
    const { picker, modelTop, currentLabel, labelProbability } = setup();
    modelTop.value = top(['confirm', 0.5], ['fraud', 0.3], ['x3', 0.12]);
    await nextTick();
    expect(picker.suggestions.value.map((s) => s.intent.id)).toEqual(['confirm', 'fraud', 'x3']);
    currentLabel.value = 'confirm';
    labelProbability.value = 0.2;
    await nextTick();
    expect(picker.suggestions.value.map((s) => [s.intent.id, s.probability])).toEqual([['fraud', 0.3]]);
  });

  it('keeps the last suggestion key for a prediction no digit holds', async () => {
    const { picker, predicted, modelTop } = setup();
    modelTop.value = top(['confirm', 0.5], ['fraud', 0.3], ['x3', 0.12]);
    predicted.value = 'x7';
    await nextTick();
    expect(picker.suggestions.value.map((s) => [s.intent.id, s.predicted])).toEqual([
      ['confirm', false],
      ['fraud', false],
      ['x7', true],
    ]);
  });

  it('ranks by the query while searching, so digits pick from the results, then comes back to the same keys', async () => {
    const { picker } = setup();
    const before = digitIds(picker);
    picker.query.value = 'chengnuo';
    await nextTick();
    expect(picker.choiceAt(0)?.intent.id).toBe('repay');
    expect(picker.suggestions.value).toEqual([]);
    picker.reset();
    await nextTick();
    expect(digitIds(picker)).toEqual(before);
  });
});
