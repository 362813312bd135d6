import Fuse from 'fuse.js';
import type { Intent } from '../../shared/domain/types';
import { hasHan, readingsOf, soundScore, spellScore, type Readings } from './pinyinMatch';

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
  const matcher = createMatcher(usable);

  return {
    rank(query, predictedId, limit = 9) {
      const q = query.trim();
      if (q.length === 0) {
        const predicted = predictedId ? usable.find((i) => i.id === predictedId) : undefined;
        const rest = byUse.filter((i) => i.id !== predictedId);
        const list = predicted ? [predicted, ...rest] : rest;
        return list.slice(0, limit).map((intent) => ({ intent, predicted: intent.id === predictedId }));
      }
      return matcher(q, limit).map((intent) => ({ intent, predicted: intent.id === predictedId }));
    },
  };
}

/** Filters a whole catalogue (every status) by a fuzzy query; an empty query keeps everything in order. */
export function createCatalogueSearch<T extends Intent>(intents: readonly T[]): (query: string) => readonly T[] {
  const matcher = createMatcher(intents);
  return (query) => {
    const q = query.trim();
    return q.length === 0 ? intents : matcher(q, intents.length);
  };
}

/**
 * Matches a query against intent names, examples and descriptions (fuzzy: a wrong or missing character), and against
 * the names' pinyin: full, initials or mixed ("tuibao", "hk", "huank") and Chinese homophones ("炸骗" finds 诈骗).
 * Best first; a name's pinyin match counts as much as a fuzzy match of the same strength.
 */
export function createMatcher<T extends Intent>(intents: readonly T[]): (query: string, limit: number) => T[] {
  const fuse = new Fuse(intents, {
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
  let readings: Readings[] | null = null;
  return (query, limit) => {
    const scores = new Map<T, number>();
    for (const r of fuse.search(query)) scores.set(r.item, r.score ?? 1);
    readings ??= intents.map((i) => readingsOf(i.name));
    const han = hasHan(query);
    const queryReadings = han ? readingsOf(query) : null;
    intents.forEach((intent, i) => {
      const score = queryReadings ? soundScore(queryReadings, readings![i]!) : spellScore(query, readings![i]!);
      if (score === null) return;
      const before = scores.get(intent);
      if (before === undefined || score < before) scores.set(intent, score);
    });
    return [...scores.entries()]
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit)
      .map(([intent]) => intent);
  };
}
