import { computed, watch } from 'vue';
import type { Intent } from '../../shared/domain/types';
import { createMatcher } from './intentSearch';

/**
 * A `filter` for an intent NSelect (options valued by intent id) with the picker's search: fuzzy names, pinyin (full,
 * initials, mixed) and homophones. The matches of the last pattern are kept, so typing does not search once per option.
 */
export function useIntentSelectFilter(intents: () => readonly Intent[]): (pattern: string, option: { value?: string | number }) => boolean {
  const matcher = computed(() => createMatcher(intents()));
  let lastPattern = '';
  let lastMatches = new Set<string>();
  watch(matcher, () => (lastPattern = ''));
  return (pattern, option) => {
    const q = pattern.trim();
    if (!q) return true;
    if (q !== lastPattern) {
      lastPattern = q;
      lastMatches = new Set(matcher.value(q, intents().length).map((i) => i.id));
    }
    return lastMatches.has(String(option.value));
  };
}
