import { ref, type Ref } from 'vue';
import { useNoticeStore } from './notices';

/**
 * Runs one store action against the services: its result, or `undefined` when it fails, the failure then shown as
 * an error notice (or handed to `onError` instead). The try / notice / fallback every store action repeats.
 */
export async function attempt<T>(work: () => Promise<T>, onError: (err: unknown) => void = (err) => useNoticeStore().error(err)): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    onError(err);
    return undefined;
  }
}

/**
 * A change against the services followed by the reload that shows it: the change's result, or null when the change
 * or the reload fails (shown as an error notice, like `attempt`).
 */
export async function changeThenReload<T>(change: () => Promise<T>, reload: () => Promise<unknown>): Promise<T | null> {
  const done = await attempt(async () => {
    const result = await change();
    await reload();
    return { result };
  });
  return done === undefined ? null : done.result;
}

/** A store's load and what the view shows about it. */
export interface StoreLoad {
  /** True once a load has succeeded (a view can tell "nothing yet" from "empty"). */
  readonly loaded: Ref<boolean>;
  /** True while a load runs. */
  readonly loading: Ref<boolean>;
  /** The last load's failure, or null after a success. */
  readonly error: Ref<unknown>;
  /** Fetches and applies; true when it succeeded. A failure is shown as an error notice and leaves the data as it was. */
  readonly load: () => Promise<boolean>;
}

/**
 * The load / loading / error pattern of a store: `fetch` asks the services, `apply` puts the answer in the store's
 * state. Overlapping loads are allowed; only the newest one's answer is applied, so a slow earlier answer never
 * overwrites a fresher one.
 */
export function useStoreLoad<T>(fetch: () => Promise<T>, apply: (value: T) => void): StoreLoad {
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<unknown>(null);
  let newest = 0;
  async function load(): Promise<boolean> {
    const run = ++newest;
    loading.value = true;
    try {
      const value = await fetch();
      if (run !== newest) return true;
      apply(value);
      loaded.value = true;
      error.value = null;
      return true;
    } catch (err) {
      if (run === newest) error.value = err;
      useNoticeStore().error(err);
      return false;
    } finally {
      if (run === newest) loading.value = false;
    }
  }
  return { loaded, loading, error, load };
}

/** A result read for one key at a time (a model version): the key asked for last, and the read. */
export interface KeyedRead<K> {
  /** The key asked for last (null: none). */
  readonly key: () => K | null;
  /**
   * Clears the result and, unless `key` is null or `ask` is false, reads it for `key` while `busy` is true. Only the
   * answer (or failure, shown as an error notice) for the key asked for last is kept; an older one is dropped.
   */
  readonly read: (key: K | null, ask?: boolean) => Promise<void>;
}

/** Reads into `result` the answer of `fetch` for the key asked for last (see `KeyedRead`). */
export function keyedRead<K, T>(result: Ref<T | null>, busy: Ref<boolean>, fetch: (key: K) => Promise<T>): KeyedRead<K> {
  let current: K | null = null;
  async function read(key: K | null, ask = true): Promise<void> {
    current = key;
    result.value = null;
    if (key === null || !ask) {
      // A read still in flight is for an older key now: it will not clear the spinner.
      busy.value = false;
      return;
    }
    busy.value = true;
    try {
      const value = await fetch(key);
      if (current === key) result.value = value;
    } catch (err) {
      if (current === key) useNoticeStore().error(err);
    } finally {
      if (current === key) busy.value = false;
    }
  }
  return { key: () => current, read };
}
