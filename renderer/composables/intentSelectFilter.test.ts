import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import type { Intent } from '../../shared/domain/types';
import { useIntentSelectFilter } from './intentSelectFilter';

const intent = (id: string, name: string): Intent => ({ id, name, description: '', examples: [], status: 'active', createdAt: 1, updatedAt: 1 });

describe('useIntentSelectFilter', () => {
  it('keeps every option for a blank pattern, matches names by pinyin, and searches the intents as they are now', async () => {
    const intents = ref<Intent[]>([intent('repay', '还款'), intent('refund', '退款')]);
    const filter = useIntentSelectFilter(() => intents.value);
    expect(filter('  ', { value: 'refund' })).toBe(true);
    expect(filter('huank', { value: 'repay' })).toBe(true);
    expect(filter('huank', { value: 'refund' })).toBe(false);
    intents.value = [intent('repay', '还款'), intent('complain', '投诉')];
    await nextTick();
    expect(filter('tousu', { value: 'complain' })).toBe(true);
    expect(filter('huank', { value: 'complain' })).toBe(false);
  });
});
