import type { Rng } from '../random';

/**
 * The judged sample of a replay: changed turns drawn by stratum (one stratum per old → new transition), the lead's
 * judgments of them, and the net change in accuracy on the replayed traffic they imply.
 *
 * References: W. G. Cochran, "Sampling Techniques" (3rd ed., 1977), ch. 5 (stratified random sampling, proportional
 * allocation, the variance of the stratified mean with the finite population correction).
 */

/** A judgment of one changed turn: the new prediction is right, the old one is, or neither is. */
export type Judgment = 'new' | 'old' | 'neither';

/** One stratum to sample: its key and its rows (the changed turns of one transition). */
export interface Stratum {
  readonly key: string;
  readonly rows: readonly number[];
}

/** A drawn turn: its row and the index of its stratum. */
export interface SampledRow {
  readonly row: number;
  readonly stratum: number;
}

/**
 * Up to `size` rows drawn without replacement from the strata, allocated by `allocateProportionally`, in an order
 * shuffled by `rng` so the first judgments already span the strata. All rows when `size` ≥ their total.
 */
export function sampleStrata(strata: readonly Stratum[], size: number, rng: Rng): SampledRow[] {
  const total = strata.reduce((sum, s) => sum + s.rows.length, 0);
  const take = Math.min(size, total);
  const alloc = allocateProportionally(strata.map((s) => s.rows.length), take);
  const out: SampledRow[] = [];
  strata.forEach((s, h) => {
    const rows = rng.shuffle([...s.rows]).slice(0, alloc[h]!);
    for (const row of rows) out.push({ row, stratum: h });
  });
  return rng.shuffle(out);
}

/**
 * Splits `take` (≤ the sum of `sizes`) over strata of `sizes` in proportion to size (largest remainder), then gives
 * each empty-handed stratum one row, larger strata first, taken from the stratum holding most while it holds two or
 * more. Never more than a stratum holds.
 */
export function allocateProportionally(sizes: readonly number[], take: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total === 0 || take <= 0) return sizes.map(() => 0);
  const exact = sizes.map((n) => (n * Math.min(take, total)) / total);
  const alloc = exact.map((x) => Math.floor(x));
  const rest = Math.min(take, total) - alloc.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, h) => ({ h, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || sizes[b.h]! - sizes[a.h]! || a.h - b.h);
  for (let k = 0; k < rest; k++) alloc[byRemainder[k]!.h]! += 1;
  const empty = sizes.map((_, h) => h).filter((h) => sizes[h]! > 0 && alloc[h] === 0).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  for (const h of empty) {
    let donor = -1;
    alloc.forEach((a, g) => {
      if (a >= 2 && (donor < 0 || a > alloc[donor]! || (a === alloc[donor]! && sizes[g]! > sizes[donor]!))) donor = g;
    });
    if (donor < 0) break;
    alloc[donor]! -= 1;
    alloc[h] = 1;
  }
  return alloc;
}

/** A stratum's size (changed turns of its transition) and the judgments of its sampled turns. */
export interface JudgedStratum {
  readonly size: number;
  readonly newRight: number;
  readonly oldRight: number;
  readonly neither: number;
}

export interface NetChangeEstimate {
  /** Judgments counted. */
  readonly judged: number;
  /** Estimated change in accuracy on the replayed traffic (new minus old), in [−changedShare, changedShare]. */
  readonly estimate: number;
  /** The 95% interval of `estimate`. */
  readonly low: number;
  readonly high: number;
  /** True when the interval lies wholly above or below zero. */
  readonly excludesZero: boolean;
  /**
   * About how many more judgments (drawn the same way) would make the interval exclude zero if the estimate held: 0
   * when it already does; null when no judgment is in yet or the estimate is zero.
   */
  readonly moreJudgments: number | null;
}

const Z95 = 1.959963984540054;

/**
 * The net change in accuracy on the replayed traffic, estimated from judged changed turns.
 *
 * Each judged turn i scores d_i = +1 (new right), −1 (old right), 0 (neither). With C changed turns of T replayed
 * (changedShare s = C / T), stratum h holding N_h changed turns (weight W_h = N_h / C) of which n_h are judged:
 *
 *   Δ̂ = s · Σ_h W_h · d̄_h,                  d̄_h = (newRight_h − oldRight_h) / n_h
 *   Var(Δ̂) = s² · Σ_h W_h² · (1 − n_h / N_h) · S_h² / n_h
 *   95% interval: Δ̂ ± 1.96 · √Var(Δ̂)
 *
 * Unchanged turns are right or wrong for both models alike, so they add nothing to the difference. S_h² is the
 * variance of d in stratum h, from its proportions shrunk towards the pooled ones by one pseudo-judgment (so a small
 * stratum whose few judgments agree does not claim zero variance). A stratum with no judgment yet takes the pooled
 * mean and counts as judged once (its variance the pooled one), without the finite population correction.
 *
 * More judgments: under proportional allocation Var ≈ s² · V · (1/n − 1/C) with V = Σ_h W_h S_h²; the interval
 * excludes zero once 1.96² · s² · V · (1/n − 1/C) < Δ̂², i.e. n > 1 / (Δ̂² / (1.96² s² V) + 1/C).
 */
export function estimateNetChange(strata: readonly JudgedStratum[], changedShare: number): NetChangeEstimate {
  const changed = strata.reduce((sum, s) => sum + s.size, 0);
  let judged = 0;
  let pooledNew = 0;
  let pooledOld = 0;
  for (const s of strata) {
    judged += s.newRight + s.oldRight + s.neither;
    pooledNew += s.newRight;
    pooledOld += s.oldRight;
  }
  if (judged === 0 || changed === 0) return { judged, estimate: 0, low: -changedShare, high: changedShare, excludesZero: false, moreJudgments: null };
  const qNew = pooledNew / judged;
  const qOld = pooledOld / judged;
  const pooledMean = qNew - qOld;
  const pooledVar = qNew + qOld - pooledMean * pooledMean;
  let mean = 0;
  let variance = 0;
  let perJudgment = 0;
  for (const s of strata) {
    if (s.size === 0) continue;
    const w = s.size / changed;
    const n = s.newRight + s.oldRight + s.neither;
    if (n === 0) {
      mean += w * pooledMean;
      variance += w * w * pooledVar;
      perJudgment += w * pooledVar;
      continue;
    }
    const pNew = (s.newRight + qNew) / (n + 1);
    const pOld = (s.oldRight + qOld) / (n + 1);
    const sh2 = pNew + pOld - (pNew - pOld) ** 2;
    mean += (w * (s.newRight - s.oldRight)) / n;
    variance += (w * w * Math.max(0, 1 - n / s.size) * sh2) / n;
    perJudgment += w * sh2;
  }
  const estimate = changedShare * mean;
  const half = Z95 * changedShare * Math.sqrt(variance);
  const low = estimate - half;
  const high = estimate + half;
  const excludesZero = low > 0 || high < 0;
  let moreJudgments: number | null = null;
  if (excludesZero) moreJudgments = 0;
  else if (estimate !== 0 && perJudgment > 0) {
    const needed = 1 / ((estimate * estimate) / (Z95 * Z95 * changedShare * changedShare * perJudgment) + 1 / changed);
    moreJudgments = Math.max(1, Math.ceil(needed) + 1 - judged);
  }
  return { judged, estimate, low, high, excludesZero, moreJudgments };
}

/** Tallies judgments by stratum: `judgments[k]` (or null, not judged yet) of sampled row `sample[k]`. */
export function tallyJudgments(sizes: readonly number[], sample: readonly SampledRow[], judgments: readonly (Judgment | null)[]): JudgedStratum[] {
  const out = sizes.map((size) => ({ size, newRight: 0, oldRight: 0, neither: 0 }));
  sample.forEach((s, k) => {
    const j = judgments[k];
    const t = out[s.stratum];
    if (!j || !t) return;
    if (j === 'new') t.newRight++;
    else if (j === 'old') t.oldRight++;
    else t.neither++;
  });
  return out;
}
