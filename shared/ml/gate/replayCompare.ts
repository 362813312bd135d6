import { createRng } from '../random';
import { sampleStrata } from './judge';
import { aggregateReplay, transitionRows, type ReplayAggregate, type ReplayAggregateOptions } from './replay';
import type { ReplayPredictions } from './replayPredict';

/** The platform's stored prediction of each replayed turn. */
export interface StoredColumns {
  /** Index into `labels` (−1 = no match, or nothing stored). */
  readonly intent: Int32Array;
  readonly confidence: Float32Array;
  /** 1 where the platform stored no prediction (the active artifact's, if any, stands in). */
  readonly needOld: Uint8Array;
  readonly labels: readonly string[];
}

/**
 * Both models' predictions of each replayed turn (`ReplayPredictions` spread over the turns; the active artifact's
 * where it predicted, elsewhere confidence NaN).
 */
export type PredictedColumns = ReplayPredictions;

/** `aggregateReplay`'s options (threshold, example turns kept per transition, both required), and the sample's. */
export interface ReplayCompareOptions extends Required<ReplayAggregateOptions> {
  /** Changed turns drawn for judging. */
  readonly sampleSize: number;
  /** The sample's random seed, from the number of turns compared. */
  readonly seedOf: (turns: number) => number;
}

/** A replayed turn shown or sampled: its row among the replayed turns and both sides' confidence. */
export interface ComparedTurn {
  readonly row: number;
  readonly fromConfidence: number;
  readonly toConfidence: number;
}

/**
 * What a replay changes, with intents as indexes into `intents` (−1 = no match) and turns as rows of the replayed
 * turns: plain data, so a worker can post it.
 */
export interface ReplayComparison extends Omit<ReplayAggregate, 'transitions'> {
  readonly intents: readonly string[];
  /** Turns compared: those with an old side (stored, or predicted by the active artifact). */
  readonly turns: number;
  /** Of those, turns whose old side the active artifact predicted. */
  readonly fromRegistry: number;
  /** Every old → new pair, most turns first, with example turns. */
  readonly transitions: readonly { readonly from: number; readonly to: number; readonly count: number; readonly examples: readonly ComparedTurn[] }[];
  /** The judged sample's strata: changed turns per transition, in `sampleStrata`'s order. */
  readonly strata: readonly { readonly from: number; readonly to: number; readonly size: number }[];
  /** The drawn changed turns, `stratum` indexing `strata`. */
  readonly sample: readonly (ComparedTurn & { readonly stratum: number })[];
}

/**
 * Compares the old side of each replayed turn (the platform's stored prediction, else the active artifact's, else
 * the turn is left out) with the candidate's, by intent id: `aggregateReplay`'s figures and a stratified sample of
 * the changes (`sampleStrata`, one stratum per transition). Intents are numbered in order of first appearance (old
 * sides in turn order, then new sides). Pure; O(turns).
 */
export function compareReplay(stored: StoredColumns, predicted: PredictedColumns, options: ReplayCompareOptions): ReplayComparison {
  const intents: string[] = [];
  const indexOf = new Map<string, number>();
  const internerOf = (labels: readonly string[]) => {
    const known = new Int32Array(labels.length).fill(-2);
    return (i: number): number => {
      if (i < 0) return -1;
      let k = known[i]!;
      if (k !== -2) return k;
      const id = labels[i]!;
      k = indexOf.get(id) ?? -2;
      if (k === -2) {
        k = intents.length;
        indexOf.set(id, k);
        intents.push(id);
      }
      known[i] = k;
      return k;
    };
  };
  const storedIntent = internerOf(stored.labels);
  const activeIntent = internerOf(predicted.activeLabels);
  const candidateIntent = internerOf(predicted.candidateLabels);
  const n = stored.intent.length;
  const kept = new Int32Array(n);
  const before = new Int32Array(n);
  const beforeConf = new Float32Array(n);
  let k = 0;
  let fromRegistry = 0;
  for (let r = 0; r < n; r++) {
    if (stored.needOld[r] === 0) {
      before[k] = storedIntent(stored.intent[r]!);
      beforeConf[k] = stored.confidence[r]!;
    } else if (!Number.isNaN(predicted.active.confidence[r]!)) {
      before[k] = activeIntent(predicted.active.intent[r]!);
      beforeConf[k] = predicted.active.confidence[r]!;
      fromRegistry++;
    } else continue;
    kept[k++] = r;
  }
  const rows = kept.subarray(0, k);
  const beforeIntent = before.subarray(0, k);
  const beforeConfidence = beforeConf.subarray(0, k);
  const after = new Int32Array(k);
  const afterConf = new Float32Array(k);
  for (let i = 0; i < k; i++) {
    after[i] = candidateIntent(predicted.candidate.intent[rows[i]!]!);
    afterConf[i] = predicted.candidate.confidence[rows[i]!]!;
  }
  const agg = aggregateReplay({ intent: beforeIntent, confidence: beforeConfidence }, { intent: after, confidence: afterConf }, { threshold: options.threshold, examples: options.examples });
  const turn = (i: number): ComparedTurn => ({ row: rows[i]!, fromConfidence: beforeConfidence[i]!, toConfidence: afterConf[i]! });
  const strata = [...transitionRows(beforeIntent, after).entries()].map(([key, members]) => ({ key, rows: members }));
  const sample = k === 0 ? [] : sampleStrata(strata, options.sampleSize, createRng(options.seedOf(k)));
  const fromTo = (key: string) => key.split('>').map(Number) as [number, number];
  return {
    intents,
    turns: k,
    fromRegistry,
    changed: agg.changed,
    changedShare: agg.changedShare,
    before: agg.before,
    after: agg.after,
    volumes: agg.volumes,
    transitions: agg.transitions.map((t) => ({ from: t.from, to: t.to, count: t.count, examples: t.examples.map(turn) })),
    strata: strata.map((s) => {
      const [from, to] = fromTo(s.key);
      return { from, to, size: s.rows.length };
    }),
    sample: sample.map((s) => ({ ...turn(s.row), stratum: s.stratum })),
  };
}
