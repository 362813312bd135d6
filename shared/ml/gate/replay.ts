/**
 * Replay of recent traffic with two models: what a candidate would change against the model that answered it.
 * Predictions come as index-aligned columns, one row per user turn: the intent as an index into a shared list of
 * intent ids (−1 = "no match", the bot's fallback) and the top confidence in [0, 1].
 */

/** One side of a replay: intent index per turn (−1 = no match) and confidence per turn. */
export interface PredictionColumns {
  readonly intent: Int32Array;
  readonly confidence: Float32Array;
}

/** Shares of turns over one side of a replay, each in [0, 1] (0 when there are no turns). */
export interface ReplayShares {
  /** Turns given an intent with confidence at or above the threshold. */
  readonly coverage: number;
  /** Turns given no intent ("no match"): the bot answers with its fallback. */
  readonly fallback: number;
}

/** Turns per intent before and after (intent −1 = no match). */
export interface IntentVolume {
  readonly intent: number;
  readonly before: number;
  readonly after: number;
}

/** One old → new change with its turns: rows, in replay order. */
export interface ReplayTransition {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  /** Up to `examples` rows of this transition, spread evenly over it (ascending). */
  readonly examples: readonly number[];
}

export interface ReplayAggregate {
  readonly turns: number;
  /** Turns whose intent differs (no match counts as an intent of its own). */
  readonly changed: number;
  /** changed / turns, in [0, 1]; 0 for no turns. */
  readonly changedShare: number;
  readonly before: ReplayShares;
  readonly after: ReplayShares;
  /** Every intent predicted on either side, by volume after then before, descending. */
  readonly volumes: readonly IntentVolume[];
  /** Every old → new pair that occurs, most turns first (ties: from, then to ascending). */
  readonly transitions: readonly ReplayTransition[];
}

export interface ReplayAggregateOptions {
  /** Coverage counts confidences at or above this, in [0, 1]. */
  readonly threshold: number;
  /** Example rows kept per transition. Default 3. */
  readonly examples?: number;
}

/**
 * Compares two predictions of the same turns: changed share, coverage and fallback before and after, volume per
 * intent and old → new transitions with example rows. Pure; O(turns).
 */
export function aggregateReplay(before: PredictionColumns, after: PredictionColumns, options: ReplayAggregateOptions): ReplayAggregate {
  const n = before.intent.length;
  if (after.intent.length !== n || before.confidence.length !== n || after.confidence.length !== n) throw new RangeError('replay columns differ in length');
  const keep = options.examples ?? 3;
  let changed = 0;
  let coveredBefore = 0;
  let coveredAfter = 0;
  let fallbackBefore = 0;
  let fallbackAfter = 0;
  const volumes = new Map<number, { before: number; after: number }>();
  const volume = (intent: number) => {
    let v = volumes.get(intent);
    if (!v) volumes.set(intent, (v = { before: 0, after: 0 }));
    return v;
  };
  const rowsOf = new Map<string, { from: number; to: number; rows: number[] }>();
  for (let r = 0; r < n; r++) {
    const a = before.intent[r]!;
    const b = after.intent[r]!;
    volume(a).before++;
    volume(b).after++;
    if (a < 0) fallbackBefore++;
    else if (before.confidence[r]! >= options.threshold) coveredBefore++;
    if (b < 0) fallbackAfter++;
    else if (after.confidence[r]! >= options.threshold) coveredAfter++;
    if (a === b) continue;
    changed++;
    const key = `${a}>${b}`;
    let t = rowsOf.get(key);
    if (!t) rowsOf.set(key, (t = { from: a, to: b, rows: [] }));
    t.rows.push(r);
  }
  const share = (k: number) => (n === 0 ? 0 : k / n);
  const transitions: ReplayTransition[] = [...rowsOf.values()]
    .map((t) => ({ from: t.from, to: t.to, count: t.rows.length, examples: spreadEvenly(t.rows, keep) }))
    .sort((x, y) => y.count - x.count || x.from - y.from || x.to - y.to);
  return {
    turns: n,
    changed,
    changedShare: share(changed),
    before: { coverage: share(coveredBefore), fallback: share(fallbackBefore) },
    after: { coverage: share(coveredAfter), fallback: share(fallbackAfter) },
    volumes: [...volumes.entries()]
      .map(([intent, v]) => ({ intent, before: v.before, after: v.after }))
      .sort((x, y) => y.after - x.after || y.before - x.before || x.intent - y.intent),
    transitions,
  };
}

/** The rows of every transition (old → new pair), keyed `from>to`, in replay order: the strata of the judged sample. */
export function transitionRows(before: Int32Array, after: Int32Array): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let r = 0; r < before.length; r++) {
    const a = before[r]!;
    const b = after[r]!;
    if (a === b) continue;
    const key = `${a}>${b}`;
    let rows = out.get(key);
    if (!rows) out.set(key, (rows = []));
    rows.push(r);
  }
  return out;
}

/** At most `limit` items spread evenly over `items`, in order. */
export function spreadEvenly<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)]!);
}
