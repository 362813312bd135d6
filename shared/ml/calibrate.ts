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

/** Mean negative log-likelihood of softmax(beta · scores), its first derivative in beta and its second. */
function nllAndSlope(scores: Float32Array, labels: Int32Array, classes: number, beta: number): { nll: number; slope: number; curvature: number } {
  const rows = labels.length;
  let nll = 0;
  let slope = 0;
  let curvature = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (scores[base + c]! > max) max = scores[base + c]!;
    let sum = 0;
    let weighted = 0;
    let squared = 0;
    for (let c = 0; c < classes; c++) {
      const s = scores[base + c]! - max;
      const e = Math.exp(s * beta);
      sum += e;
      weighted += e * s;
      squared += e * s * s;
    }
    const sy = scores[base + labels[r]!]! - max;
    const mean = weighted / sum;
    nll += Math.log(sum) - sy * beta;
    slope += mean - sy;
    curvature += squared / sum - mean * mean;
  }
  return { nll: nll / rows, slope: slope / rows, curvature: curvature / rows };
}

/**
 * Fits the temperature T > 0 that minimizes the negative log-likelihood of softmax(score / T) on held-out
 * scores (row-major, rows × classes) with their true classes. The NLL is convex in 1/T, so its slope has one root:
 * found by Newton's method in log(1/T) inside a bracket that bisection keeps when a step would leave it, over
 * 1/T ∈ [1e-3, 1e4]; the result is clamped to that range. Lower T sharpens the probabilities.
 * References: Guo et al. (2017), "On Calibration of Modern Neural Networks".
 */
export function fitTemperature(scores: Float32Array, labels: Int32Array, classes: number): number {
  if (labels.length === 0) return 1;
  let lo = Math.log(1e-3);
  let hi = Math.log(1e4);
  if (nllAndSlope(scores, labels, classes, Math.exp(hi)).slope <= 0) return Math.exp(-hi);
  if (nllAndSlope(scores, labels, classes, Math.exp(lo)).slope >= 0) return Math.exp(-lo);
  let u = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    const beta = Math.exp(u);
    const { slope, curvature } = nllAndSlope(scores, labels, classes, beta);
    if (slope > 0) hi = u;
    else lo = u;
    const step = slope / (beta * curvature);
    if (Math.abs(step) < 1e-12) return 1 / Math.exp(u - step);
    u = u - step > lo && u - step < hi ? u - step : (lo + hi) / 2;
    if (hi - lo < 1e-12) break;
  }
  return 1 / Math.exp(u);
}

/** Mean negative log-likelihood of softmax(score / temperature) against the true classes (natural log). */
export function negativeLogLikelihood(scores: Float32Array, labels: Int32Array, classes: number, temperature: number): number {
  return nllAndSlope(scores, labels, classes, 1 / temperature).nll;
}

/** A sigmoid p = 1 / (1 + exp(−(slope · x + intercept))). */
export interface Sigmoid {
  readonly slope: number;
  readonly intercept: number;
}

/** Summed log-loss of sigmoid(slope · x + intercept) against targets t_i (1 for positives, else 0, or smoothed). */
function sigmoidLogLoss(x: ArrayLike<number>, positive: Uint8Array, high: number, low: number, slope: number, intercept: number): number {
  let loss = 0;
  for (let i = 0; i < positive.length; i++) {
    const z = slope * x[i]! + intercept;
    loss += Math.max(z, 0) - (positive[i] ? high : low) * z + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return loss;
}

/**
 * Fits sigmoid(slope · x + intercept) to binary outcomes by maximum likelihood: damped Newton from (1, 0), at most
 * 50 steps. With `smoothTargets`, Platt's targets (N₊ + 1) / (N₊ + 2) and 1 / (N₋ + 2) replace 1 and 0, which keeps
 * the fit finite and modest on small or separable data. Reference: Platt (1999), "Probabilistic Outputs for Support
 * Vector Machines".
 */
export function fitSigmoid(x: ArrayLike<number>, positive: Uint8Array, smoothTargets = false): Sigmoid {
  let slope = 1;
  let intercept = 0;
  const n = positive.length;
  if (n === 0) return { slope, intercept };
  let positives = 0;
  for (let i = 0; i < n; i++) positives += positive[i]!;
  const high = smoothTargets ? (positives + 1) / (positives + 2) : 1;
  const low = smoothTargets ? 1 / (n - positives + 2) : 0;
  let loss = sigmoidLogLoss(x, positive, high, low, slope, intercept);
  for (let iteration = 0; iteration < 50; iteration++) {
    let gs = 0;
    let gi = 0;
    let hss = 1e-12;
    let hsi = 0;
    let hii = 1e-12;
    for (let i = 0; i < n; i++) {
      const s = x[i]!;
      const p = 1 / (1 + Math.exp(-(slope * s + intercept)));
      const d = p - (positive[i] ? high : low);
      const w = p * (1 - p);
      gs += d * s;
      gi += d;
      hss += w * s * s;
      hsi += w * s;
      hii += w;
    }
    const det = hss * hii - hsi * hsi;
    const ds = (hii * gs - hsi * gi) / det;
    const di = (hss * gi - hsi * gs) / det;
    let step = 1;
    let next = sigmoidLogLoss(x, positive, high, low, slope - ds, intercept - di);
    while (!(next <= loss) && step > 1e-6) {
      step /= 2;
      next = sigmoidLogLoss(x, positive, high, low, slope - step * ds, intercept - step * di);
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
 * Fits Platt scaling shared by all classes: the slope and intercept minimizing the log-loss of
 * sigmoid(slope · score + intercept) against 1[c = label] over every (row, class) of held-out one-vs-rest scores
 * (rows × classes, row-major). Unlike a softmax temperature, each class gets its own probability before
 * normalizing, so a row's runner-up classes do not drown its given class.
 * References: Platt (1999); Zadrozny & Elkan (2002) for the one-vs-rest normalization.
 */
export function fitSharedSigmoid(scores: Float32Array, labels: Int32Array, classes: number): Sigmoid {
  const positive = new Uint8Array(labels.length * classes);
  for (let r = 0; r < labels.length; r++) positive[r * classes + labels[r]!] = 1;
  return fitSigmoid(scores.subarray(0, positive.length), positive);
}

/**
 * Class probabilities from one-vs-rest scores (rows × classes, row-major) with a shared sigmoid: each class's
 * sigmoid(slope · score + intercept), divided by the row's sum so each row sums to 1. Returns a new array.
 */
export function sigmoidProbabilities(scores: Float32Array, classes: number, sigmoid: Sigmoid): Float32Array {
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
