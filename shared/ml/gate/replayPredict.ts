import { loadModelArtifact } from '../modelArtifact';
import { predictWithOutOfScope } from '../outOfScope';
import { topTwo } from '../uncertainty';

/** Predictions of one model over replayed turns: intent as an index into the model's labels (−1 = no match). */
export interface ModelColumns {
  readonly intent: Int32Array;
  readonly confidence: Float32Array;
}

/** What `predictReplay` answers: the candidate's predictions of every turn, the active model's where asked. */
export interface ReplayPredictions {
  readonly candidate: ModelColumns;
  /** The active artifact's predictions of the turns marked in `needOld` (elsewhere intent −1, confidence NaN). */
  readonly active: ModelColumns;
  /** The labels the indexes of each side refer to. */
  readonly candidateLabels: readonly string[];
  readonly activeLabels: readonly string[];
}

/** Texts predicted per step; progress is reported after each. */
const STEP = 4096;

/**
 * Predicts replayed turns as the platform would (`createArtifactPredictor`'s rule: no match when the out-of-scope
 * score is at or above the artifact's threshold, confidence = top calibrated probability) with the candidate, and
 * with the active artifact where `needOld[r]` is 1 (turns the platform stored no prediction for). Identical texts
 * are predicted once. `onProgress` gets the share done, in [0, 1].
 */
export function predictReplay(
  candidateArtifact: unknown,
  activeArtifact: unknown,
  texts: readonly string[],
  needOld: Uint8Array,
  onProgress: (done: number) => void = () => undefined,
): ReplayPredictions {
  const candidate = loadModelArtifact(candidateArtifact);
  const active = activeArtifact === null ? null : loadModelArtifact(activeArtifact);
  const n = texts.length;
  const firstOf = new Map<string, number>();
  const source = new Int32Array(n);
  const distinct: string[] = [];
  const distinctNeedsOld: number[] = [];
  for (let r = 0; r < n; r++) {
    const text = texts[r]!;
    let d = firstOf.get(text);
    if (d === undefined) {
      d = distinct.length;
      firstOf.set(text, d);
      distinct.push(text);
    }
    source[r] = d;
  }
  if (active) {
    const marked = new Uint8Array(distinct.length);
    for (let r = 0; r < n; r++) if (needOld[r] === 1) marked[source[r]!] = 1;
    marked.forEach((m, d) => m === 1 && distinctNeedsOld.push(d));
  }
  const total = distinct.length + distinctNeedsOld.length;
  let done = 0;
  const step = (model: NonNullable<typeof active>, rows: readonly number[]): ModelColumns => {
    const intent = new Int32Array(rows.length);
    const confidence = new Float32Array(rows.length);
    for (let start = 0; start < rows.length; start += STEP) {
      const end = Math.min(rows.length, start + STEP);
      const batch = rows.slice(start, end).map((d) => distinct[d]!);
      const { probs, outOfScope } = predictWithOutOfScope(model.model, batch);
      const top = topTwo(probs, model.model.classes);
      for (let i = 0; i < batch.length; i++) {
        confidence[start + i] = top.firstProb[i]!;
        intent[start + i] = outOfScope[i]! >= model.outOfScopeThreshold ? -1 : top.first[i]!;
      }
      done += end - start;
      onProgress(total === 0 ? 1 : done / total);
    }
    return { intent, confidence };
  };
  const all = Array.from({ length: distinct.length }, (_, d) => d);
  const candidateDistinct = step(candidate, all);
  const activeDistinct = active ? step(active, distinctNeedsOld) : { intent: new Int32Array(0), confidence: new Float32Array(0) };
  const activeAt = new Int32Array(distinct.length).fill(-1);
  distinctNeedsOld.forEach((d, k) => (activeAt[d] = k));
  const out = { candidate: emptyColumns(n), active: emptyColumns(n) };
  for (let r = 0; r < n; r++) {
    const d = source[r]!;
    out.candidate.intent[r] = candidateDistinct.intent[d]!;
    out.candidate.confidence[r] = candidateDistinct.confidence[d]!;
    const k = needOld[r] === 1 ? activeAt[d]! : -1;
    if (k >= 0) {
      out.active.intent[r] = activeDistinct.intent[k]!;
      out.active.confidence[r] = activeDistinct.confidence[k]!;
    }
  }
  if (total === 0) onProgress(1);
  return { ...out, candidateLabels: candidate.model.labels, activeLabels: active?.model.labels ?? [] };
}

function emptyColumns(n: number): { intent: Int32Array; confidence: Float32Array } {
  return { intent: new Int32Array(n).fill(-1), confidence: new Float32Array(n).fill(Number.NaN) };
}
