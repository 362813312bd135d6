import { fitSigmoid, type Sigmoid } from './calibrate';

/**
 * Platt scaling of the top probability: the model's confidence c (its largest class probability) becomes
 * sigmoid(slope · logit(c) + intercept), the other classes share the rest in their old proportions. One temperature
 * only stretches or shrinks every score alike; this also moves the level, which held-out data shows is needed
 * where the test traffic is harder than the training folds (SMP2017). Argmax and the order of classes never change.
 * References: Platt (1999); Kull, Silva Filho & Flach (2017), "Beta calibration"; Guo et al. (2017) (top-label ECE).
 */
export type TopLabelScaling = Sigmoid;

/** Fewest held-out rows, and fewest right and wrong among them, to fit a scaling on; with fewer there is none. */
const MIN_ROWS = 30;
const MIN_EACH = 3;
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
 * targets. Undefined when the rows are too few, all right or all wrong, or the fit is not increasing.
 */
export function fitTopLabelScaling(probs: Float32Array, truth: Int32Array, classes: number): TopLabelScaling | undefined {
  const rows = truth.length;
  const x = new Float64Array(rows);
  const right = new Uint8Array(rows);
  let hits = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[base + c]! > probs[base + best]!) best = c;
    x[r] = logit(probs[base + best]!);
    right[r] = best === truth[r] ? 1 : 0;
    hits += right[r]!;
  }
  if (rows < MIN_ROWS || hits < MIN_EACH || rows - hits < MIN_EACH) return undefined;
  const sigmoid = fitSigmoid(x, right, true);
  return sigmoid.slope > 0 && Number.isFinite(sigmoid.intercept) ? sigmoid : undefined;
}

/**
 * Applies a scaling to probability rows in place and returns them: the top probability c becomes
 * c′ = sigmoid(slope · logit(c) + intercept), the others are multiplied by (1 − c′) / (1 − c). c′ is kept at or above
 * p₂ / (1 − c + p₂) (p₂ the runner-up), where the runner-up would overtake it, so the argmax stays. Rows whose top
 * is 1 are left as they are.
 */
export function scaleTopLabel(probs: Float32Array, classes: number, scaling: TopLabelScaling): Float32Array {
  for (let base = 0; base < probs.length; base += classes) {
    let best = base;
    let second = 0;
    for (let k = base + 1; k < base + classes; k++) {
      const p = probs[k]!;
      if (p > probs[best]!) {
        second = probs[best]!;
        best = k;
      } else if (p > second) second = p;
    }
    const top = probs[best]!;
    const rest = 1 - top;
    if (!(rest > 0)) continue;
    const scaled = 1 / (1 + Math.exp(-(scaling.slope * logit(top) + scaling.intercept)));
    const kept = Math.max(scaled, (second / (rest + second)) * FLOOR_MARGIN);
    const factor = (1 - kept) / rest;
    for (let k = base; k < base + classes; k++) probs[k] = k === best ? kept : probs[k]! * factor;
  }
  return probs;
}
