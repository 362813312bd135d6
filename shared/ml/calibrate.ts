/**
 * Turns row-major scores (rows × classes) into probabilities in place: p = softmax(score / temperature) per row.
 * Returns the same array.
 */
export function softmaxInPlace(scores: Float32Array, classes: number, temperature = 1): Float32Array {
  const beta = 1 / temperature;
  const rows = scores.length / classes;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (scores[base + c]! > max) max = scores[base + c]!;
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp((scores[base + c]! - max) * beta);
      scores[base + c] = e;
      sum += e;
    }
    for (let c = 0; c < classes; c++) scores[base + c] = scores[base + c]! / sum;
  }
  return scores;
}

/** Mean negative log-likelihood of softmax(beta · scores) and its first derivative in beta. */
function nllAndSlope(scores: Float32Array, labels: Int32Array, classes: number, beta: number): { nll: number; slope: number } {
  const rows = labels.length;
  let nll = 0;
  let slope = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (scores[base + c]! > max) max = scores[base + c]!;
    let sum = 0;
    let weighted = 0;
    for (let c = 0; c < classes; c++) {
      const s = scores[base + c]!;
      const e = Math.exp((s - max) * beta);
      sum += e;
      weighted += e * s;
    }
    const sy = scores[base + labels[r]!]!;
    nll += Math.log(sum) + (max - sy) * beta;
    slope += weighted / sum - sy;
  }
  return { nll: nll / rows, slope: slope / rows };
}

/**
 * Fits the temperature T > 0 that minimizes the negative log-likelihood of softmax(score / T) on held-out
 * scores (row-major, rows × classes) with their true classes. The NLL is convex in 1/T, so the root of its
 * slope is found by bisection in log space over 1/T ∈ [1e-3, 1e4]; the result is clamped to that range.
 * Lower T sharpens the probabilities. References: Guo et al. (2017), "On Calibration of Modern Neural Networks".
 */
export function fitTemperature(scores: Float32Array, labels: Int32Array, classes: number): number {
  if (labels.length === 0) return 1;
  let lo = Math.log(1e-3);
  let hi = Math.log(1e4);
  if (nllAndSlope(scores, labels, classes, Math.exp(hi)).slope <= 0) return Math.exp(-hi);
  if (nllAndSlope(scores, labels, classes, Math.exp(lo)).slope >= 0) return Math.exp(-lo);
  for (let iteration = 0; iteration < 60; iteration++) {
    const mid = (lo + hi) / 2;
    if (nllAndSlope(scores, labels, classes, Math.exp(mid)).slope > 0) hi = mid;
    else lo = mid;
  }
  return 1 / Math.exp((lo + hi) / 2);
}

/** Mean negative log-likelihood of softmax(score / temperature) against the true classes (natural log). */
export function negativeLogLikelihood(scores: Float32Array, labels: Int32Array, classes: number, temperature: number): number {
  return nllAndSlope(scores, labels, classes, 1 / temperature).nll;
}

/** One sigmoid p = 1 / (1 + exp(−(slope · score + intercept))) shared by every class of a one-vs-rest scorer. */
export interface SharedSigmoid {
  readonly slope: number;
  readonly intercept: number;
}

/** Summed log-loss of the shared sigmoid against the one-vs-rest targets 1[c = label] over every row and class. */
function sigmoidLogLoss(scores: Float32Array, labels: Int32Array, classes: number, slope: number, intercept: number): number {
  let loss = 0;
  for (let r = 0; r < labels.length; r++) {
    for (let c = 0; c < classes; c++) {
      const z = slope * scores[r * classes + c]! + intercept;
      loss += Math.max(z, 0) - (c === labels[r] ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
  }
  return loss;
}

/**
 * Fits Platt scaling shared by all classes: the slope and intercept minimizing the log-loss of
 * sigmoid(slope · score + intercept) against 1[c = label] over every (row, class) of held-out one-vs-rest scores
 * (rows × classes, row-major). Damped Newton from (1, 0), at most 50 steps. Unlike a softmax temperature, each class
 * gets its own probability before normalizing, so a row's runner-up classes do not drown its given class.
 * References: Platt (1999), "Probabilistic Outputs for Support Vector Machines"; Zadrozny & Elkan (2002) for the
 * one-vs-rest normalization.
 */
export function fitSharedSigmoid(scores: Float32Array, labels: Int32Array, classes: number): SharedSigmoid {
  let slope = 1;
  let intercept = 0;
  if (labels.length === 0) return { slope, intercept };
  let loss = sigmoidLogLoss(scores, labels, classes, slope, intercept);
  for (let iteration = 0; iteration < 50; iteration++) {
    let gs = 0;
    let gi = 0;
    let hss = 1e-12;
    let hsi = 0;
    let hii = 1e-12;
    for (let r = 0; r < labels.length; r++) {
      for (let c = 0; c < classes; c++) {
        const s = scores[r * classes + c]!;
        const p = 1 / (1 + Math.exp(-(slope * s + intercept)));
        const d = p - (c === labels[r] ? 1 : 0);
        const w = p * (1 - p);
        gs += d * s;
        gi += d;
        hss += w * s * s;
        hsi += w * s;
        hii += w;
      }
    }
    const det = hss * hii - hsi * hsi;
    const ds = (hii * gs - hsi * gi) / det;
    const di = (hss * gi - hsi * gs) / det;
    let step = 1;
    let next = sigmoidLogLoss(scores, labels, classes, slope - ds, intercept - di);
    while (!(next <= loss) && step > 1e-6) {
      step /= 2;
      next = sigmoidLogLoss(scores, labels, classes, slope - step * ds, intercept - step * di);
    }
    if (!(next <= loss)) break;
    slope -= step * ds;
    intercept -= step * di;
    const gain = loss - next;
    loss = next;
    if (gain <= 1e-10 * loss) break;
  }
  return { slope, intercept };
}

/**
 * Class probabilities from one-vs-rest scores (rows × classes, row-major) with a shared sigmoid: each class's
 * sigmoid(slope · score + intercept), divided by the row's sum so each row sums to 1. Returns a new array.
 */
export function sigmoidProbabilities(scores: Float32Array, classes: number, sigmoid: SharedSigmoid): Float32Array {
  const out = new Float32Array(scores.length);
  for (let base = 0; base < scores.length; base += classes) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const p = 1 / (1 + Math.exp(-(sigmoid.slope * scores[base + c]! + sigmoid.intercept)));
      out[base + c] = p;
      sum += p;
    }
    for (let c = 0; c < classes; c++) out[base + c] = out[base + c]! / sum;
  }
  return out;
}
