/** One user turn the platform answered: when, what it predicted (null = "no match"), and how sure it was. */
export interface WatchedTurn {
  /** Start of its call, epoch ms. */
  readonly at: number;
  readonly intent: string | null;
  /** In [0,1]; NaN when the platform sent none. */
  readonly confidence: number;
}

/** The shares of one stretch of traffic; null when it holds no turns. */
export interface TrafficShares {
  readonly turns: number;
  /** Share predicted with an intent at or above the coverage confidence, in [0,1]. */
  readonly coverage: number | null;
  /** Share predicted "no match", in [0,1]. */
  readonly fallback: number | null;
  /** Share predicted as a transfer-to-a-person intent, in [0,1]. */
  readonly transfer: number | null;
}

/** How the watch counts and judges. */
export interface WatchRule {
  /** A turn counts as covered at or above this confidence (with an intent). */
  readonly coverageConfidence: number;
  /** Degraded when, in an hour after activation, coverage falls or fallback or transfer rises by more than this (share points, in [0,1]). */
  readonly maxChange: number;
  /** An hour is judged only with at least this many turns (and the baseline too). */
  readonly minTurns: number;
}

export const DEFAULT_WATCH_RULE: WatchRule = { coverageConfidence: 0.5, maxChange: 0.05, minTurns: 30 };

const HOUR = 3_600_000;

/** Counts turns into shares; `isTransfer` says which intents are a transfer to a person. */
export function sharesOf(turns: readonly WatchedTurn[], isTransfer: (intent: string) => boolean, coverageConfidence: number): TrafficShares {
  let covered = 0;
  let fallback = 0;
  let transfer = 0;
  for (const t of turns) {
    if (t.intent === null) fallback++;
    else {
      if (t.confidence >= coverageConfidence) covered++;
      if (isTransfer(t.intent)) transfer++;
    }
  }
  const n = turns.length;
  return { turns: n, coverage: n ? covered / n : null, fallback: n ? fallback / n : null, transfer: n ? transfer / n : null };
}

/** One hour after activation beside its baseline. */
export interface WatchHour {
  /** Hours since activation (0 = the first hour). */
  readonly hour: number;
  readonly start: number;
  readonly after: TrafficShares;
  readonly before: TrafficShares;
  /** Which shares degraded past the rule in this hour (empty when none, or too few turns to judge). */
  readonly degraded: readonly ('coverage' | 'fallback' | 'transfer')[];
}

/**
 * Splits traffic around an activation at `activatedAt` into hours: hour k after activation (`[A + k h, A + (k+1) h)`)
 * is compared with the same hour of the day before (`[A + k h - 24 h, …)`) when that hour holds at least
 * `rule.minTurns` turns, else with all the turns of the 24 hours before activation pooled (so a young workspace with
 * only a few hours of traffic before still has a baseline). Hours with no turns after activation are left out; at most
 * `maxHours` hours are returned, oldest first. Turns at or after `activatedAt` are after; turns before it are before.
 *
 * `baselineEnd` (default `activatedAt`) ends the baseline: after a rollback it is when the rolled-back version was
 * activated, so the re-activated version is compared with its own traffic before, and the rolled-back version's
 * traffic (`[baselineEnd, activatedAt)`) counts on neither side; the pooled baseline is then the 24 hours before
 * `baselineEnd`.
 */
export function watchHours(
  turns: readonly WatchedTurn[],
  activatedAt: number,
  isTransfer: (intent: string) => boolean,
  rule: WatchRule,
  maxHours = 24,
  baselineEnd = activatedAt,
): WatchHour[] {
  const end = Math.min(baselineEnd, activatedAt);
  const afterByHour = new Map<number, WatchedTurn[]>();
  const beforeByHour = new Map<number, WatchedTurn[]>();
  const pooled: WatchedTurn[] = [];
  for (const t of turns) {
    if (t.at >= activatedAt) {
      const k = Math.floor((t.at - activatedAt) / HOUR);
      if (k >= maxHours) continue;
      push(afterByHour, k, t);
    } else if (t.at < end) {
      if (t.at >= end - 24 * HOUR) pooled.push(t);
      if (t.at >= activatedAt - 24 * HOUR) push(beforeByHour, Math.floor((t.at - (activatedAt - 24 * HOUR)) / HOUR), t);
    }
  }
  const pooledShares = sharesOf(pooled, isTransfer, rule.coverageConfidence);
  return [...afterByHour.keys()]
    .sort((a, b) => a - b)
    .map((k): WatchHour => {
      const after = sharesOf(afterByHour.get(k)!, isTransfer, rule.coverageConfidence);
      const sameHour = beforeByHour.get(k) ?? [];
      const before = sameHour.length >= rule.minTurns ? sharesOf(sameHour, isTransfer, rule.coverageConfidence) : pooledShares;
      return { hour: k, start: activatedAt + k * HOUR, after, before, degraded: degradedShares(before, after, rule) };
    });
}

/**
 * Which shares degraded from `before` to `after` by more than `rule.maxChange`: coverage falling, fallback rising,
 * transfer rising. Nothing is judged when either side has fewer than `rule.minTurns` turns.
 */
export function degradedShares(before: TrafficShares, after: TrafficShares, rule: WatchRule): ('coverage' | 'fallback' | 'transfer')[] {
  if (before.turns < rule.minTurns || after.turns < rule.minTurns) return [];
  const out: ('coverage' | 'fallback' | 'transfer')[] = [];
  if (before.coverage! - after.coverage! > rule.maxChange) out.push('coverage');
  if (after.fallback! - before.fallback! > rule.maxChange) out.push('fallback');
  if (after.transfer! - before.transfer! > rule.maxChange) out.push('transfer');
  return out;
}

/** True when `intent` (an id) or its name looks like a transfer to a person: used when no intent is marked as one. */
export function looksLikeTransfer(id: string, name: string): boolean {
  return /transfer|human|agent|operator|人工|转接|客服/i.test(`${id} ${name}`);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
