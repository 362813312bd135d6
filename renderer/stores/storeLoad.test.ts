// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { ref } from 'vue';
import { beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import { useNoticeStore } from './notices';
import { attempt, changeThenReload, keyedRead, useStoreLoad } from './storeLoad';

beforeEach(() => setActivePinia(createPinia()));

/** A promise settled by hand, to order overlapping loads. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ([resolve, reject] = [res, rej]));
  return { promise, resolve, reject };
}

const notFound = () => new ContractError('not_found', sentence('no_intent', { id: 'x' }));

describe('attempt', () => {
  it('answers the work’s result, or undefined with one error notice when it fails', async () => {
    await expect(attempt(async () => 7)).resolves.toBe(7);
    expect(useNoticeStore().queue).toHaveLength(0);
    await expect(attempt(() => Promise.reject(notFound()))).resolves.toBeUndefined();
    expect(useNoticeStore().queue.map((n) => n.error?.code)).toEqual(['not_found']);
  });

  it('hands the failure to its own handler instead of a notice when given one', async () => {
    const seen: unknown[] = [];
    await attempt(() => Promise.reject(notFound()), (err) => seen.push(err));
    expect(seen).toHaveLength(1);
    expect(useNoticeStore().queue).toHaveLength(0);
  });
});

describe('changeThenReload', () => {
  it('reloads after the change and answers its result; null with one notice when the change or the reload fails', async () => {
    const steps: string[] = [];
    const reload = async () => void steps.push('reload');
    await expect(changeThenReload(async () => (steps.push('change'), 'done'), reload)).resolves.toBe('done');
    expect(steps).toEqual(['change', 'reload']);
    await expect(changeThenReload(() => Promise.reject(notFound()), reload)).resolves.toBeNull();
    expect(steps).toEqual(['change', 'reload']);
    const taken = new ContractError('conflict', sentence('intent_name_taken', { name: 'x' }));
    await expect(changeThenReload(async () => 'done', () => Promise.reject(taken))).resolves.toBeNull();
    expect(useNoticeStore().queue.map((n) => n.error?.code)).toEqual(['not_found', 'conflict']);
  });

  it('answers a change that returns nothing as it is, not as a failure', async () => {
    await expect(changeThenReload(async () => undefined, async () => undefined)).resolves.toBeUndefined();
    expect(useNoticeStore().queue).toHaveLength(0);
  });
});

describe('useStoreLoad', () => {
  it('is loading while the fetch runs, applies the answer, then is loaded with no error', async () => {
    const applied: number[] = [];
    const d = deferred<number>();
    const s = useStoreLoad(() => d.promise, (v) => applied.push(v));
    expect([s.loaded.value, s.loading.value]).toEqual([false, false]);
    const done = s.load();
    expect(s.loading.value).toBe(true);
    d.resolve(3);
    await expect(done).resolves.toBe(true);
    expect(applied).toEqual([3]);
    expect([s.loaded.value, s.loading.value, s.error.value]).toEqual([true, false, null]);
  });

  it('keeps the data on a failure, records the error, shows one notice, and clears the error on the next success', async () => {
    const applied: number[] = [];
    let fail = true;
    const s = useStoreLoad(async () => {
      if (fail) throw notFound();
      return 5;
    }, (v) => applied.push(v));
    await expect(s.load()).resolves.toBe(false);
    expect(applied).toEqual([]);
    expect(s.loaded.value).toBe(false);
    expect(s.loading.value).toBe(false);
    expect(s.error.value).toBeInstanceOf(ContractError);
    expect(useNoticeStore().queue.map((n) => n.error?.code)).toEqual(['not_found']);
    fail = false;
    await expect(s.load()).resolves.toBe(true);
    expect(applied).toEqual([5]);
    expect([s.loaded.value, s.error.value]).toEqual([true, null]);
  });

  it('applies only the newest of overlapping loads, even when an older one answers last', async () => {
    const applied: string[] = [];
    const older = deferred<string>();
    const newer = deferred<string>();
    const answers = [older, newer];
    const s = useStoreLoad(() => answers.shift()!.promise, (v) => applied.push(v));
    const first = s.load();
    const second = s.load();
    newer.resolve('new');
    await second;
    expect(s.loading.value).toBe(false);
    older.resolve('old');
    await first;
    expect(applied).toEqual(['new']);
    expect(s.loading.value).toBe(false);
  });
});

describe('keyedRead', () => {
  it('keeps only the answer for the key asked for last, even when an older one answers last', async () => {
    const result = ref<string | null>(null);
    const busy = ref(false);
    const answers = new Map([1, 2].map((k) => [k, deferred<string>()]));
    const reader = keyedRead(result, busy, (k: number) => answers.get(k)!.promise);
    const first = reader.read(1);
    expect(busy.value).toBe(true);
    const second = reader.read(2);
    expect(reader.key()).toBe(2);
    answers.get(2)!.resolve('two');
    await second;
    expect([result.value, busy.value]).toEqual(['two', false]);
    answers.get(1)!.resolve('one');
    await first;
    expect([result.value, busy.value]).toEqual(['two', false]);
  });

  it('clears without asking for a null key or when told not to ask, and shows a failure for the newest key once', async () => {
    const result = ref<string | null>('old');
    const busy = ref(false);
    const asked: number[] = [];
    const reader = keyedRead(result, busy, (k: number) => (asked.push(k), Promise.reject(notFound())));
    await reader.read(null);
    expect([result.value, busy.value, asked]).toEqual([null, false, []]);
    result.value = 'old';
    await reader.read(3, false);
    expect([result.value, reader.key(), asked]).toEqual([null, 3, []]);
    await reader.read(4);
    expect([result.value, busy.value, asked]).toEqual([null, false, [4]]);
    expect(useNoticeStore().queue.map((n) => n.error?.code)).toEqual(['not_found']);
  });

  it('stops the spinner when the key is cleared while a read is in flight, and keeps the late answer out', async () => {
    const result = ref<string | null>(null);
    const busy = ref(false);
    const answer = deferred<string>();
    const reader = keyedRead(result, busy, () => answer.promise);
    const pending = reader.read(1);
    expect(busy.value).toBe(true);
    await reader.read(null);
    expect(busy.value).toBe(false);
    answer.resolve('one');
    await pending;
    expect([result.value, busy.value]).toEqual([null, false]);
  });
});
