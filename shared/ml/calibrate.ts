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
