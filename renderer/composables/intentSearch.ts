import Fuse from 'fuse.js';
import type { Intent } from '../../shared/domain/types';

/** One choice the picker offers. */
export interface IntentChoice {
  readonly intent: Intent;
  /** True when this is the platform's prediction for the utterance. */
  readonly predicted: boolean;
}

/** Ranks intents for a query; built once per catalogue so the fuzzy index is reused. */
export interface IntentSearcher {
  /** Up to `limit` choices: fuzzy matches for a query, or the prediction followed by the most used intents when empty. */
  rank(query: string, predictedId: string | null, limit?: number): readonly IntentChoice[];
}

/** Intents with an optional usage count (labels so far), which orders the empty-query list. */
export type RankableIntent = Intent & { readonly labeled?: number };

/**
 * Builds a fuzzy searcher over names, descriptions and examples of the non-deprecated intents,
 * tolerant to a wrong or missing character in Chinese or English names.
 */
export function createIntentSearcher(intents: readonly RankableIntent[]): IntentSearcher {
  const usable = intents.filter((i) => i.status !== 'deprecated');
  const byUse = [...usable].sort((a, b) => (b.labeled ?? 0) - (a.labeled ?? 0) || a.name.localeCompare(b.name));
  const fuse = new Fuse(usable, {
    keys: [
      { name: 'name', weight: 0.6 },
      { name: 'examples', weight: 0.25 },
      { name: 'description', weight: 0.15 },
    ],
    includeScore: true,
    ignoreLocation: true,
    threshold: 0.45,
    minMatchCharLength: 1,
  });

  return {
    rank(query, predictedId, limit = 9) {
      const q = query.trim();
      if (q.length === 0) {
        const predicted = predictedId ? usable.find((i) => i.id === predictedId) : undefined;
        const rest = byUse.filter((i) => i.id !== predictedId);
        const list = predicted ? [predicted, ...rest] : rest;
        return list.slice(0, limit).map((intent) => ({ intent, predicted: intent.id === predictedId }));
      }
      return fuse
        .search(q, { limit })
        .map((r) => ({ intent: r.item, predicted: r.item.id === predictedId }));
    },
  };
}

/** Filters a whole catalogue (every status) by a fuzzy query; an empty query keeps everything in order. */
export function createCatalogueSearch<T extends Intent>(intents: readonly T[]): (query: string) => readonly T[] {
  const fuse = new Fuse(intents, {
    keys: [
      { name: 'name', weight: 0.6 },
      { name: 'examples', weight: 0.25 },
      { name: 'description', weight: 0.15 },
    ],
    ignoreLocation: true,
    threshold: 0.45,
  });
  return (query) => {
    const q = query.trim();
    return q.length === 0 ? intents : fuse.search(q).map((r) => r.item);
  };
}
