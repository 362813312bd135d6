import { computed, ref, watch, type Ref } from 'vue';
import type { IntentProbability } from '../../shared/contract/dto';
import type { Intent } from '../../shared/domain/types';
import { chooseSuggestions } from '../../shared/ml/suggestions';
import type { IntentChoice, IntentSearcher } from './intentSearch';

/** The least probability a model candidate needs to be shown in the suggestion row. */
export const MIN_SUGGESTION_PROBABILITY = 0.05;

/** Keys of the suggestion row, above the digit rows. */
export const SUGGESTION_KEYS = ['Q', 'W', 'E'] as const;

/** A choice in the suggestion row: the model's candidates for this item and the platform's prediction. */
export interface SuggestedChoice extends IntentChoice {
  /** The local model's probability, when the model proposed it. */
  readonly probability: number | null;
}

/** Where the picker's digit keys come from. */
export interface PickerKeys {
  /** Intent ids bound to 1–9 for the session (null slots are empty keys); null = rank by the query and prediction. */
  readonly keyMap: Ref<readonly (string | null)[] | null>;
  readonly byId: Ref<ReadonlyMap<string, Intent>>;
  /** The model's candidates for the current item (its top three), best first. */
  readonly modelTop: Ref<readonly IntentProbability[]>;
  /** The item's current label: never suggested (review queues). */
  readonly currentLabel?: Ref<string | null>;
  /** Review queues: the label's out-of-fold probability; only candidates the model prefers to it are suggested. */
  readonly labelProbability?: Ref<number | null>;
}

/**
 * Picker state: the query, the choices and the highlighted one. With a frozen key map the digit rows never move: the
 * platform's prediction is marked where it is, and the model's candidates get their own row (Q W E). While searching,
 * the digits pick from the filtered list.
 */
export function usePicker(searcher: Ref<IntentSearcher>, predictedId: Ref<string | null>, keys?: PickerKeys) {
  const query = ref('');
  const highlight = ref(0);
  const frozen = computed(() => (keys?.keyMap.value && keys.keyMap.value.length > 0 && query.value.trim() === '' ? keys.keyMap.value : null));

  const choices = computed<readonly (IntentChoice | null)[]>(() => {
    const map = frozen.value;
    if (!map) return searcher.value.rank(query.value, predictedId.value, 9);
    return map.map((id) => {
      const intent = id ? keys!.byId.value.get(id) : undefined;
      return intent && intent.status !== 'deprecated' ? { intent, predicted: intent.id === predictedId.value } : null;
    });
  });

  const suggestions = computed<readonly SuggestedChoice[]>(() => {
    if (!frozen.value) return [];
    const out: SuggestedChoice[] = [];
    const seen = new Set<string>();
    const add = (id: string, probability: number | null) => {
      const intent = keys!.byId.value.get(id);
      if (!intent || intent.status === 'deprecated' || seen.has(id) || out.length >= SUGGESTION_KEYS.length) return;
      seen.add(id);
      out.push({ intent, predicted: id === predictedId.value, probability });
    };
    // A candidate the model gives a few percent is noise, and the current label is no change: neither is suggested.
    const pred = predictedId.value;
    // The platform's prediction joins the row only when no digit holds it; it keeps the last key for itself.
    const predictionNeedsKey = pred !== null && pred !== keys!.currentLabel?.value && !frozen.value.includes(pred) && keys!.byId.value.has(pred);
    const offered = chooseSuggestions(keys!.modelTop.value, {
      max: SUGGESTION_KEYS.length - (predictionNeedsKey && !keys!.modelTop.value.some((c) => c.intentId === pred) ? 1 : 0),
      minProbability: MIN_SUGGESTION_PROBABILITY,
      currentLabel: keys!.currentLabel?.value ?? null,
      labelProbability: keys!.labelProbability?.value ?? null,
      usable: (id) => keys!.byId.value.get(id)?.status !== 'deprecated' && keys!.byId.value.has(id),
    });
    for (const c of offered) add(c.intentId, c.probability);
    if (predictionNeedsKey) add(pred, null);
    return out;
  });

  /** Every row top to bottom: the suggestion row (Q W E), then the digit rows (with empty slots). */
  const rows = computed(() => [...suggestions.value, ...choices.value]);

  /** Enter accepts the platform's prediction when one is shown, else the first choice. */
  function defaultHighlight(): number {
    const pred = predictedId.value;
    const at = pred ? rows.value.findIndex((c) => c?.intent.id === pred) : -1;
    if (at >= 0) return at;
    const first = rows.value.findIndex((c) => c !== null);
    return first >= 0 ? first : 0;
  }

  watch([query, predictedId, () => keys?.modelTop.value], () => {
    highlight.value = defaultHighlight();
  });
  highlight.value = defaultHighlight();

  function move(delta: number): void {
    const n = rows.value.length;
    if (n === 0) return;
    let next = highlight.value;
    for (let step = 0; step < n; step++) {
      next = (next + delta + n) % n;
      if (rows.value[next]) break;
    }
    highlight.value = next;
  }

  function choiceAt(index: number): IntentChoice | undefined {
    return choices.value[index] ?? undefined;
  }

  function suggestionAt(index: number): SuggestedChoice | undefined {
    return suggestions.value[index];
  }

  function highlighted(): IntentChoice | undefined {
    return rows.value[highlight.value] ?? undefined;
  }

  function reset(): void {
    query.value = '';
    highlight.value = defaultHighlight();
  }

  return { query, highlight, choices, suggestions, rows, move, choiceAt, suggestionAt, highlighted, reset };
}
