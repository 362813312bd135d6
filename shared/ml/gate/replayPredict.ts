import { forEachTransformedChunkShared, sameFeaturizerConfig, type CsrMatrix } from '../featurize';
import { loadModelArtifact } from '../modelArtifact';
import { outOfScopeScoresOf } from '../outOfScope';
import { predictRowsInto, type IntentModel } from '../train';
import type { PredictionColumns } from './replay';

/** What `predictReplay` answers: the candidate's predictions of every turn, the active model's where asked. */
export interface ReplayPredictions {
  readonly candidate: PredictionColumns;
  /** The active artifact's predictions of the turns marked in `needOld` (elsewhere intent −1, confidence NaN). */
  readonly active: PredictionColumns;
  /** The labels the indexes of each side refer to. */
  readonly candidateLabels: readonly string[];
  readonly activeLabels: readonly string[];
}

/** A loaded artifact as the platform predicts with it. */
interface Predictor {
  readonly model: IntentModel;
  readonly outOfScopeThreshold: number;
}

/** Texts featurized and scored per step; progress is reported after each. */
const STEP = 1024;

/**
 * Predicts distinct texts as the platform would (`createArtifactPredictor`'s rule: no match when the out-of-scope
 * score is at or above the artifact's threshold, confidence = top calibrated probability, as `topTwo` picks it) with the candidate, and
 * with the active artifact where `needActive[d]` is 1 (elsewhere intent −1, confidence NaN). Each distinct part of
 * the texts (utterance, prompt, previous turn) is featurized once (`forEachTransformedChunkShared`), for both models
 * together when they hash alike (same featurizer config).
 * `onProgress` gets the share done, in [0, 1].
 */
export function predictDistinct(
  candidateArtifact: unknown,
  activeArtifact: unknown,
  texts: readonly string[],
  needActive: Uint8Array,
  onProgress: (done: number) => void = () => undefined,
): ReplayPredictions {
  const candidate = loadModelArtifact(candidateArtifact);
  const active = activeArtifact === null ? null : loadModelArtifact(activeArtifact);
  const n = texts.length;
  const out = { candidate: emptyColumns(n), active: emptyColumns(n) };
  let wanted = 0;
  if (active) for (let d = 0; d < n; d++) wanted += needActive[d]!;
  const total = n + wanted;
  let done = 0;
  const report = (rows: number) => {
    done += rows;
    onProgress(total === 0 ? 1 : done / total);
  };
  const score = (p: Predictor, x: CsrMatrix, columns: PredictionColumns, rowAt: (i: number) => number) => {
    if (x.rows === 0) return;
    const classes = p.model.classes;
    const block = new Float32Array(x.rows * classes);
    let outOfScope: Float32Array = new Float32Array(0);
    predictRowsInto(p.model, x, block, (tempered) => (outOfScope = outOfScopeScoresOf(p.model, tempered, classes)));
    for (let i = 0; i < x.rows; i++) {
      // The top class as `topTwo` finds it: the first of the highest probability (ties: the lower index).
      let first = -1;
      let firstProb = -Infinity;
      for (let c = 0, at = i * classes; c < classes; c++, at++) {
        if (block[at]! > firstProb) {
          firstProb = block[at]!;
          first = c;
        }
      }
      const d = rowAt(i);
      columns.confidence[d] = firstProb;
      columns.intent[d] = outOfScope[i]! >= p.outOfScopeThreshold ? -1 : first;
    }
    report(x.rows);
  };
  const activeRows: number[] = [];
  if (active && wanted > 0 && sameFeaturizerConfig(candidate.model.featurizer.config, active.model.featurizer.config)) {
    const include = (k: number, d: number) => k === 0 || needActive[d] === 1;
    forEachTransformedChunkShared([candidate.model.featurizer, active.model.featurizer], texts, include, ([xc, xa], first, last) => {
      score(candidate, xc!, out.candidate, (i) => first + i);
      activeRows.length = 0;
      for (let d = first; d < last; d++) if (needActive[d] === 1) activeRows.push(d);
      score(active, xa!, out.active, (i) => activeRows[i]!);
    }, STEP);
  } else {
    forEachTransformedChunkShared([candidate.model.featurizer], texts, null, ([x], first) => score(candidate, x!, out.candidate, (i) => first + i), STEP);
    if (active && wanted > 0) {
      const rows: number[] = [];
      for (let d = 0; d < n; d++) if (needActive[d] === 1) rows.push(d);
      const subset = rows.map((d) => texts[d]!);
      forEachTransformedChunkShared([active.model.featurizer], subset, null, ([x], first) => score(active, x!, out.active, (i) => rows[first + i]!), STEP);
    }
  }
  if (total === 0) onProgress(1);
  return { ...out, candidateLabels: candidate.model.labels, activeLabels: active?.model.labels ?? [] };
}

/** Replayed turns reduced to their distinct texts: `source[r]` is turn r's index into `texts`. */
export interface DistinctTexts {
  readonly texts: string[];
  readonly source: Int32Array;
  /** 1 where some turn of the text needs the active artifact's prediction. */
  readonly needActive: Uint8Array;
}

/** Builds `DistinctTexts` a range of turns at a time (`add(start, end)`), so a caller can yield between ranges. */
export function distinctTextCollector(texts: readonly string[], needOld: Uint8Array): { add(start: number, end: number): void; result(): DistinctTexts } {
  const firstOf = new Map<string, number>();
  const distinct: string[] = [];
  const marked: number[] = [];
  const source = new Int32Array(texts.length);
  return {
    add(start, end) {
      for (let r = start; r < end; r++) {
        const text = texts[r]!;
        let d = firstOf.get(text);
        if (d === undefined) {
          d = distinct.length;
          firstOf.set(text, d);
          distinct.push(text);
          marked.push(0);
        }
        source[r] = d;
        if (needOld[r] === 1) marked[d] = 1;
      }
    },
    result: () => ({ texts: distinct, source, needActive: Uint8Array.from(marked) }),
  };
}

/** Spreads predictions of distinct texts back over the turns: row r gets its text's prediction (`source[r]`). */
export function spreadColumns(distinct: PredictionColumns, source: Int32Array): PredictionColumns {
  const n = source.length;
  const intent = new Int32Array(n);
  const confidence = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const d = source[r]!;
    intent[r] = distinct.intent[d]!;
    confidence[r] = distinct.confidence[d]!;
  }
  return { intent, confidence };
}

/**
 * Predicts replayed turns (`predictDistinct` over their distinct texts): every turn with the candidate, and with the
 * active artifact the turns where `needOld[r]` is 1 (elsewhere intent −1, confidence NaN).
 */
export function predictReplay(
  candidateArtifact: unknown,
  activeArtifact: unknown,
  texts: readonly string[],
  needOld: Uint8Array,
  onProgress: (done: number) => void = () => undefined,
): ReplayPredictions {
  const collect = distinctTextCollector(texts, needOld);
  collect.add(0, texts.length);
  const distinct = collect.result();
  const predicted = predictDistinct(candidateArtifact, activeArtifact, distinct.texts, distinct.needActive, onProgress);
  const active = spreadColumns(predicted.active, distinct.source);
  for (let r = 0; r < texts.length; r++) {
    if (needOld[r] === 1) continue;
    active.intent[r] = -1;
    active.confidence[r] = Number.NaN;
  }
  return { ...predicted, candidate: spreadColumns(predicted.candidate, distinct.source), active };
}

function emptyColumns(n: number): { intent: Int32Array; confidence: Float32Array } {
  return { intent: new Int32Array(n).fill(-1), confidence: new Float32Array(n).fill(Number.NaN) };
}
