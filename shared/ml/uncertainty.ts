/** The top two classes of each row of a probability matrix. */
export interface TopTwo {
  readonly first: Int32Array;
  readonly firstProb: Float32Array;
  readonly second: Int32Array;
  readonly secondProb: Float32Array;
}

/** For each row of `probs` (rows × classes, row-major), its most and second most probable class. */
export function topTwo(probs: Float32Array, classes: number): TopTwo {
  const rows = classes === 0 ? 0 : probs.length / classes;
  const out: TopTwo = {
    first: new Int32Array(rows),
    firstProb: new Float32Array(rows),
    second: new Int32Array(rows).fill(-1),
    secondProb: new Float32Array(rows),
  };
  for (let r = 0; r < rows; r++) {
    let a = -1;
    let pa = -Infinity;
    let b = -1;
    let pb = -Infinity;
    for (let c = 0; c < classes; c++) {
      const p = probs[r * classes + c]!;
      if (p > pa) {
        b = a;
        pb = pa;
        a = c;
        pa = p;
      } else if (p > pb) {
        b = c;
        pb = p;
      }
    }
    out.first[r] = a;
    out.firstProb[r] = pa;
    out.second[r] = b;
    out.secondProb[r] = b < 0 ? 0 : pb;
  }
  return out;
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
  const rows = classes === 0 ? 0 : probs.length / classes;
  const out: TopThree = {
    first: new Int32Array(rows),
    firstProb: new Float32Array(rows),
    second: new Int32Array(rows).fill(-1),
    secondProb: new Float32Array(rows),
    third: new Int32Array(rows).fill(-1),
    thirdProb: new Float32Array(rows),
  };
  for (let r = 0; r < rows; r++) {
    let a = -1;
    let pa = -Infinity;
    let b = -1;
    let pb = -Infinity;
    let c3 = -1;
    let pc = -Infinity;
    for (let c = 0; c < classes; c++) {
      const p = probs[r * classes + c]!;
      if (p > pa) {
        c3 = b;
        pc = pb;
        b = a;
        pb = pa;
        a = c;
        pa = p;
      } else if (p > pb) {
        c3 = b;
        pc = pb;
        b = c;
        pb = p;
      } else if (p > pc) {
        c3 = c;
        pc = p;
      }
    }
    out.first[r] = a;
    out.firstProb[r] = pa;
    out.second[r] = b;
    out.secondProb[r] = b < 0 ? 0 : pb;
    out.third[r] = c3;
    out.thirdProb[r] = c3 < 0 ? 0 : pc;
  }
  return out;
}

/**
 * Margin uncertainty ("breaking ties"): top-1 minus top-2 probability per row.
 * Lower = more uncertain, in [0, 1]. References: Scheffer et al. (2001), active learning with margins.
 */
export function marginScores(probs: Float32Array, classes: number): Float32Array {
  const t = topTwo(probs, classes);
  return t.firstProb.map((p, r) => p - t.secondProb[r]!);
}
