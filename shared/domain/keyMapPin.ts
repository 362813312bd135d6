import type { Intent } from './types';

/** How many intents the digit keys 1–9 hold. */
export const KEY_MAP_SLOTS = 9;

/** The digit key map a lead pinned for a workspace: what every annotator's keys 1–9 hold. */
export interface KeyMapPin {
  /** Intent ids on keys 1–9, in key order; null leaves the key empty. Always KEY_MAP_SLOTS long. */
  readonly slots: readonly (string | null)[];
  /** The annotator name of whoever pinned it. */
  readonly pinnedBy: string;
  /** When it was pinned, epoch ms. */
  readonly pinnedAt: number;
}

/**
 * The pinned slots as the catalogue has them now: an intent merged into another becomes its target (following chains
 * of merges), one deprecated without a target or no longer in the catalogue leaves its key empty, and an intent that
 * would sit on two keys keeps only the first (a merge target already pinned elsewhere).
 */
export function resolvePinnedSlots(slots: readonly (string | null)[], intents: readonly Pick<Intent, 'id' | 'status' | 'mergedInto'>[]): (string | null)[] {
  const byId = new Map(intents.map((i) => [i.id, i]));
  const live = (id: string | null): string | null => {
    const seen = new Set<string>();
    let at = id;
    while (at !== null && !seen.has(at)) {
      seen.add(at);
      const intent = byId.get(at);
      if (!intent) return null;
      if (intent.status !== 'deprecated') return at;
      at = intent.mergedInto ?? null;
    }
    return null;
  };
  const taken = new Set<string>();
  const direct = new Set(slots.map(live).filter((id, k) => id !== null && id === slots[k]));
  return Array.from({ length: KEY_MAP_SLOTS }, (_, k) => {
    const original = slots[k] ?? null;
    const id = live(original);
    if (id === null || taken.has(id)) return null;
    // A merge target pinned on its own key keeps that key; the merged source's key empties.
    if (id !== original && direct.has(id)) return null;
    taken.add(id);
    return id;
  });
}
