import type { ModelReport, ModelSummary, TrainPhase } from '../../shared/contract/dto';

/** A change of one headline figure against the previous version. */
export interface Delta {
  /** "▲ 1.2" or "▼ 0.4" (percentage points), or "=" when unchanged at that precision. */
  readonly text: string;
  /** True when the change is for the better (accuracy and F1 up, ECE down), null when unchanged. */
  readonly better: boolean | null;
}

/** The changes of a version's accuracy, macro-F1 and ECE against the previous version. */
export interface VersionDeltas {
  readonly accuracy: Delta;
  readonly macroF1: Delta;
  readonly ece: Delta;
}

/** The change from `before` to `after` in percentage points, one decimal; `lowerIsBetter` for ECE. */
export function deltaOf(before: number, after: number, lowerIsBetter = false): Delta {
  const points = Math.round((after - before) * 1000) / 10;
  if (points === 0) return { text: '=', better: null };
  const up = points > 0;
  return { text: `${up ? '▲' : '▼'} ${Math.abs(points).toFixed(1)}`, better: up !== lowerIsBetter };
}

/** For each version (newest first, as listVersions returns them) its deltas against the next older one; null for the oldest. */
export function deltasOf(versions: readonly ModelSummary[]): Map<number, VersionDeltas | null> {
  const byAge = [...versions].sort((a, b) => a.version - b.version);
  const out = new Map<number, VersionDeltas | null>();
  byAge.forEach((v, i) => {
    const prev = byAge[i - 1];
    out.set(
      v.version,
      prev ? { accuracy: deltaOf(prev.accuracy, v.accuracy), macroF1: deltaOf(prev.macroF1, v.macroF1), ece: deltaOf(prev.ece, v.ece, true) } : null,
    );
  });
  return out;
}

/** Two intents the model confuses, in either direction. */
export interface ConfusedPair {
  readonly a: string;
  readonly b: string;
  readonly count: number;
}

/** Folds A→B and B→A confusions into one pair each, most confused first; at most `limit`. */
export function pairConfusions(pairs: ModelReport['confusedPairs'], limit = 8): ConfusedPair[] {
  const byKey = new Map<string, ConfusedPair>();
  for (const p of pairs) {
    if (p.actual === p.predicted) continue;
    const [a, b] = p.actual < p.predicted ? [p.actual, p.predicted] : [p.predicted, p.actual];
    const key = `${a}\u0000${b}`;
    const seen = byKey.get(key);
    byKey.set(key, { a, b, count: (seen?.count ?? 0) + p.count });
  }
  return [...byKey.values()].sort((x, y) => y.count - x.count || x.a.localeCompare(y.a) || x.b.localeCompare(y.b)).slice(0, limit);
}

const phaseOrder: readonly TrainPhase[] = ['preparing', 'folds', 'final', 'scoring', 'saving'];
const phaseWeight: Readonly<Record<TrainPhase, number>> = { preparing: 0.05, folds: 0.6, final: 0.15, scoring: 0.15, saving: 0.05 };

/** The whole job's share done in [0,1], from its phase and the share of that phase done. */
export function overallProgress(phase: TrainPhase, progress: number): number {
  let done = 0;
  for (const p of phaseOrder) {
    if (p === phase) return Math.min(1, done + phaseWeight[p] * Math.max(0, Math.min(1, progress)));
    done += phaseWeight[p];
  }
  return done;
}

/** An epoch-ms time as a short date and time in `locale`, e.g. "5月3日 14:02" or "May 3, 2:02 PM". */
export function formatDateTime(ms: number, locale: string): string {
  return new Date(ms).toLocaleString(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
