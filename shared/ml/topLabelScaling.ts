import { fitSigmoid, type Sigmoid } from './calibrate';
import { selectDenseRows } from './csr';
import { argmaxRows, maxRows } from './metrics';

/**
 * Platt scaling of the top probability: the model's confidence c (its largest class probability) becomes
 * sigmoid(slope · logit(c) + intercept), the other classes share the rest in their old proportions. One temperature
 * only stretches or shrinks every score alike; this also moves the level, which held-out data shows is needed
 * where the test traffic is harder than the training folds (SMP2017). The top class stays on top, and the other
 * classes keep their order among themselves.
 * References: Platt (1999); Kull, Silva Filho & Flach (2017), "Beta calibration"; Guo et al. (2017) (top-label ECE).
 */
export type TopLabelScaling = Sigmoid;

/** Fewest held-out rows, and fewest right and wrong among them, to fit a scaling on; with fewer there is none. */
const MIN_ROWS = 30;
const MIN_EACH = 3;
/**
 * Slopes outside [MIN_SLOPE, MAX_SLOPE], or held-out logits spread less than MIN_SPREAD (standard deviation), mean the
 * held-out confidences barely vary and the fit would extrapolate wildly (a row at 0.1 made certain): no scaling then.
 * Real fits sit between 0.6 and 1.2 (CLINC150, BANKING77, SMP2017, the demo workspace).
 */
const MIN_SLOPE = 0.2;
const MAX_SLOPE = 3;
const MIN_SPREAD = 0.1;
/** Confidences are clamped to [LIMIT, 1 − LIMIT] before the logit, so certain rows stay finite. */
const LIMIT = 1e-7;
/** The floor is raised by this factor, above float32 rounding, so the runner-up never ties the top. */
const FLOOR_MARGIN = 1 + 1e-6;

function logit(p: number): number {
  const q = Math.min(1 - LIMIT, Math.max(LIMIT, p));
  return Math.log(q / (1 - q));
}

/**
 * Fits the scaling on held-out probability rows (rows × classes, row-major, as calibrated so far) and their true
 * classes: Platt's sigmoid of logit(top probability) against whether the top class was right, with Platt's smoothed
 * targets. Undefined when the rows are too few, all right or all wrong, their confidences barely vary, or the fit
 * is steeper or flatter than a real one (MIN_SLOPE, MAX_SLOPE).
 */
export function fitTopLabelScaling(probs: Float32Array, truth: Int32Array, classes: number): TopLabelScaling | undefined {
  const rows = truth.length;
  const top = maxRows(probs, classes);
  const predicted = argmaxRows(probs, classes);
  const x = Float64Array.from(top, logit);
  const right = Uint8Array.from(truth, (t, r) => (predicted[r] === t ? 1 : 0));
  let hits = 0;
  for (const v of right) hits += v;
  if (rows < MIN_ROWS || hits < MIN_EACH || rows - hits < MIN_EACH) return undefined;
  let mean = 0;
  for (let r = 0; r < rows; r++) mean += x[r]! / rows;
  let variance = 0;
  for (let r = 0; r < rows; r++) variance += (x[r]! - mean) ** 2 / rows;
  if (Math.sqrt(variance) < MIN_SPREAD) return undefined;
  const sigmoid = fitSigmoid(x, right, true);
  const usable = sigmoid.slope >= MIN_SLOPE && sigmoid.slope <= MAX_SLOPE && Number.isFinite(sigmoid.intercept);
  return usable ? sigmoid : undefined;
}

/**
 * Applies a scaling to probability rows in place and returns them: the top probability c becomes
 * c′ = sigmoid(slope · logit(c) + intercept), and the others, whose sum R is taken in float64 (not 1 − c, which
 * rounding spoils near 1), are multiplied by (1 − c′) / R, with 1 − c′ computed as the sigmoid's own tail. c′ is
 * kept at or above p₂ / (R + p₂) (p₂ the runner-up), where the runner-up would overtake it, so the argmax stays.
 * Rows whose other classes sum to 0 are left as they are.
 */
export function scaleTopLabel(probs: Float32Array, classes: number, scaling: TopLabelScaling): Float32Array {
  for (let base = 0; base < probs.length; base += classes) {
    let best = base;
    let second = 0;
    let total = 0;
    for (let k = base; k < base + classes; k++) {
      const p = probs[k]!;
      total += p;
      if (k === base) continue;
      if (p > probs[best]!) {
        second = probs[best]!;
        best = k;
      } else if (p > second) second = p;
    }
    const top = probs[best]!;
    const rest = total - top;
    if (!(rest > 0)) continue;
    const z = scaling.slope * logit(top) + scaling.intercept;
    let tail = 1 / (1 + Math.exp(z));
    const floor = (second / (rest + second)) * FLOOR_MARGIN;
    if (1 - tail < floor) tail = 1 - floor;
    const factor = tail / rest;
    for (let k = base; k < base + classes; k++) probs[k] = k === best ? 1 - tail : probs[k]! * factor;
  }
  return probs;
}

/**
 * Held-out probabilities scaled honestly, for reporting calibration: rows of fold f are scaled by a scaling fitted
 * on the rows of the other folds (left unscaled when those give none). Returns a new array; `foldOf` gives each
 * row's fold.
 */
export function crossFittedTopLabel(probs: Float32Array, truth: Int32Array, classes: number, foldOf: Int32Array): Float32Array {
  const out = probs.slice();
  const folds = new Set(foldOf);
  for (const f of folds) {
    const inside: number[] = [];
    const outside: number[] = [];
    foldOf.forEach((g, r) => (g === f ? inside : outside).push(r));
    const scaling = fitTopLabelScaling(selectDenseRows(probs, classes, outside), Int32Array.from(outside, (r) => truth[r]!), classes);
    if (!scaling) continue;
    const scaled = scaleTopLabel(selectDenseRows(probs, classes, inside), classes, scaling);
    inside.forEach((r, t) => out.set(scaled.subarray(t * classes, (t + 1) * classes), r * classes));
  }
  return out;
}
