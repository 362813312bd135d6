import { computed, ref, watch, type Ref } from 'vue';
import type { IntentChoice, IntentSearcher } from './intentSearch';

/** Picker state: the query, the ranked choices and the highlighted one. */
export function usePicker(searcher: Ref<IntentSearcher>, predictedId: Ref<string | null>) {
  const query = ref('');
  const highlight = ref(0);
  const choices = computed<readonly IntentChoice[]>(() => searcher.value.rank(query.value, predictedId.value, 9));

  watch([query, predictedId], () => {
    highlight.value = 0;
  });

  function move(delta: number): void {
    const n = choices.value.length;
    if (n === 0) return;
    highlight.value = (highlight.value + delta + n) % n;
  }

  function choiceAt(index: number): IntentChoice | undefined {
    return choices.value[index];
  }

  function highlighted(): IntentChoice | undefined {
    return choices.value[highlight.value];
  }

  function reset(): void {
    query.value = '';
    highlight.value = 0;
  }

  return { query, highlight, choices, move, choiceAt, highlighted, reset };
}
