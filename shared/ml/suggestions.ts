/** An intent with the model's probability for it. */
export interface Candidate {
  readonly intentId: string;
  readonly probability: number;
}

/** Options of `chooseSuggestions`. */
export interface SuggestionOptions {
  /** Fewest candidates offered (the suggestion row has three keys). Default 3. */
  readonly max?: number;
  /** Least probability a candidate needs to be offered; below it a candidate is noise. Default 0.05. */
  readonly minProbability?: number;
  /** The item's current label: never offered as a change to itself. */
  readonly currentLabel?: string | null;
  /**
   * The out-of-fold probability of the current label (its label quality) in a review queue: only candidates the model
   * prefers to the label, i.e. with a higher probability from the same out-of-fold set, are offered.
   */
  readonly labelProbability?: number | null;
  /** Intents that cannot be chosen (deprecated, unknown). */
  readonly usable?: (intentId: string) => boolean;
}

/**
 * The model's candidates worth offering for an item, best first: at most `max`, each at least `minProbability`,
 * never the current label, and in review queues only those above the label's own probability. Candidates must come
 * from one probability set (the same out-of-fold or scored row), so the figures shown agree with each other.
 * Output: a subsequence of `candidates` sorted by probability, descending (ties keep input order).
 * References: confident learning (Northcutt et al. 2021) suggests a label only where the model prefers it.
 */
export function chooseSuggestions(candidates: readonly Candidate[], options: SuggestionOptions = {}): Candidate[] {
  const max = options.max ?? 3;
  const min = options.minProbability ?? 0.05;
  const floor = options.labelProbability ?? null;
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const sorted = candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.probability - a.c.probability || a.i - b.i);
  for (const { c } of sorted) {
    if (out.length >= max) break;
    if (seen.has(c.intentId) || c.intentId === options.currentLabel) continue;
    if (!(c.probability >= min) || (floor !== null && !(c.probability > floor))) continue;
    if (options.usable && !options.usable(c.intentId)) continue;
    seen.add(c.intentId);
    out.push(c);
  }
  return out;
}
