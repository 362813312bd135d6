import type { RankableIntent } from './intentSearch';

/** How many intents the digit keys 1–9 hold. */
export const DIGIT_KEYS = 9;

/**
 * The intents bound to the digit keys for a labeling session: the most used at the start, then frozen so a key never
 * moves under the annotator's fingers. Given the previous map (the catalogue changed mid-session), every intent still
 * usable keeps its key; a key whose intent was deprecated or merged away gets the most used intent not yet bound.
 * Slots are intent ids, or null when the catalogue has fewer intents than keys.
 */
export function freezeKeyMap(intents: readonly RankableIntent[], previous: readonly (string | null)[] | null = null): (string | null)[] {
  const usable = intents.filter((i) => i.status !== 'deprecated');
  const ids = new Set(usable.map((i) => i.id));
  const byUse = [...usable].sort((a, b) => (b.labeled ?? 0) - (a.labeled ?? 0) || a.name.localeCompare(b.name)).map((i) => i.id);
  const slots: (string | null)[] = Array.from({ length: DIGIT_KEYS }, (_, k) => {
    const id = previous?.[k] ?? null;
    return id !== null && ids.has(id) ? id : null;
  });
  const bound = new Set(slots.filter((s): s is string => s !== null));
  const free = byUse.filter((id) => !bound.has(id));
  for (let k = 0; k < DIGIT_KEYS; k++) if (slots[k] === null) slots[k] = free.shift() ?? null;
  return slots;
}

/** Slots of a key map being edited, nine long: `id` on key index `k`, taken off any other key it held. */
export function setSlot(slots: readonly (string | null)[], k: number, id: string | null): (string | null)[] {
  const next = padSlots(slots).map((s) => (id !== null && s === id ? null : s));
  next[k] = id;
  return next;
}

/** Swaps key index `k` with its neighbour `k + delta` (−1 up, +1 down); unchanged at the ends. */
export function moveSlot(slots: readonly (string | null)[], k: number, delta: -1 | 1): (string | null)[] {
  const next = padSlots(slots);
  const to = k + delta;
  if (to < 0 || to >= DIGIT_KEYS) return next;
  [next[k], next[to]] = [next[to]!, next[k]!];
  return next;
}

/** Exactly DIGIT_KEYS slots: missing ones are empty, extra ones dropped. */
export function padSlots(slots: readonly (string | null)[]): (string | null)[] {
  return Array.from({ length: DIGIT_KEYS }, (_, k) => slots[k] ?? null);
}
