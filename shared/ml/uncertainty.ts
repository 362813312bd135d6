/** The top two classes of each row of a probability matrix. */
export interface TopTwo {
  readonly first: Int32Array;
  readonly firstProb: Float32Array;
  readonly second: Int32Array;
  readonly secondProb: Float32Array;
}

/** Column arrays of each row's k best classes: `index[j]` and `prob[j]` hold every row's (j+1)-th best. */
export interface TopK {
  readonly index: readonly Int32Array[];
  readonly prob: readonly Float32Array[];
}

/**
 * For each row of `probs` (rows × classes, row-major), its k most probable classes, best first (ties: the lower class
 * index first). Below the best, a rank a row has no class for is -1 with probability 0.
 */
export function topK(probs: Float32Array, classes: number, k: number): TopK {
  const rows = classes === 0 ? 0 : probs.length / classes;
  const index = Array.from({ length: k }, () => new Int32Array(rows));
  const prob = Array.from({ length: k }, () => new Float32Array(rows));
  const best = new Int32Array(k);
  const bestProb = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    best.fill(-1);
    bestProb.fill(-Infinity);
    for (let c = 0; c < classes; c++) {
      const p = probs[r * classes + c]!;
      let at = 0;
      while (at < k && !(p > bestProb[at]!)) at++;
      if (at === k) continue;
      best.copyWithin(at + 1, at, k - 1);
      bestProb.copyWithin(at + 1, at, k - 1);
      best[at] = c;
      bestProb[at] = p;
    }
    for (let j = 0; j < k; j++) {
      index[j]![r] = best[j]!;
      prob[j]![r] = j > 0 && best[j]! < 0 ? 0 : bestProb[j]!;
    }
  }
  return { index, prob };
}

/** For each row of `probs` (rows × classes, row-major), its most and second most probable class. */
export function topTwo(probs: Float32Array, classes: number): TopTwo {
  const { index, prob } = topK(probs, classes, 2);
  return { first: index[0]!, firstProb: prob[0]!, second: index[1]!, secondProb: prob[1]! };
}

/** The top three classes of each row; `third` is -1 (probability 0) when a row has fewer than three classes. */
export interface TopThree extends TopTwo {
  readonly third: Int32Array;
  readonly thirdProb: Float32Array;
}

/**
 * For each row of `probs` (rows × classes, row-major), its three most probable classes, best first (ties: the lower
 * class index first). The model's top three as the labeling view offers them, each with its probability.
 */
export function topThree(probs: Float32Array, classes: number): TopThree {
  const { index, prob } = topK(probs, classes, 3);
  const [first, second, third] = index as [Int32Array, Int32Array, Int32Array];
  const [firstProb, secondProb, thirdProb] = prob as [Float32Array, Float32Array, Float32Array];
  return { first, firstProb, second, secondProb, third, thirdProb };
}

/**
 * Margin uncertainty ("breaking ties"): top-1 minus top-2 probability per row.
 * Lower = more uncertain, in [0, 1]. References: Scheffer et al. (2001), active learning with margins.
 */
export function marginScores(probs: Float32Array, classes: number): Float32Array {
  const t = topTwo(probs, classes);
  return t.firstProb.map((p, r) => p - t.secondProb[r]!);
}
