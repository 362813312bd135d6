import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from './featurize';
import { createRng } from './random';
import { trainSoftmaxDual } from './softmaxDual';

/** Random sparse rows of unit norm over `cols` columns, labels from a hidden linear rule plus noise. */
function problem(rows: number, cols: number, classes: number, seed: number): { x: CsrMatrix; y: Int32Array } {
  const rng = createRng(seed);
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = r % classes;
    const picked = new Set<number>([y[r]! * 2, rng.int(cols)]);
    if (rng.int(4) === 0) picked.add(rng.int(cols));
    const cs = [...picked].sort((a, b) => a - b);
    const v = cs.map(() => 0.5 + rng.next());
    const norm = Math.hypot(...v);
    cs.forEach((c, t) => {
      indices.push(c);
      values.push(v[t]! / norm);
    });
    indptr[r + 1] = indices.length;
  }
  return { x: { rows, cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) }, y };
}

/** Gradient of ½‖W‖² + ½‖b‖² + C Σ −log softmax(xW + B b)_y at the scorer (bias = B·b), as its largest magnitude. */
function primalGradientMax(x: CsrMatrix, y: Int32Array, classes: number, C: number, B: number, weights: Float32Array, bias: Float32Array): number {
  const grad = Float64Array.from(weights);
  const gradB = Float64Array.from(bias, (v) => v / B);
  for (let r = 0; r < x.rows; r++) {
    const s = Array.from(bias, (v) => v);
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) for (let c = 0; c < classes; c++) s[c]! += x.values[k]! * weights[x.indices[k]! * classes + c]!;
    const max = Math.max(...s);
    const e = s.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < classes; c++) {
      const d = C * (e[c]! / sum - (y[r] === c ? 1 : 0));
      for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) grad[x.indices[k]! * classes + c]! += d * x.values[k]!;
      gradB[c]! += d * B;
    }
  }
  return Math.max(...grad.map(Math.abs), ...gradB.map(Math.abs));
}

describe('trainSoftmaxDual', () => {
  it('reaches the primal optimum of L2-regularized multinomial logistic regression (gradient ≈ 0)', () => {
    const { x, y } = problem(60, 12, 3, 1);
    const fit = trainSoftmaxDual(x, y, 3, { C: 5, maxEpochs: 300, tolerance: 0, seed: 1 });
    expect(primalGradientMax(x, y, 3, 5, 1, fit.scorer.weights, fit.scorer.bias)).toBeLessThan(1e-4);
    const early = trainSoftmaxDual(x, y, 3, { C: 5, maxEpochs: 1, initialOwnShare: 1 / 3, seed: 1 });
    expect(primalGradientMax(x, y, 3, 5, 1, early.scorer.weights, early.scorer.bias)).toBeGreaterThan(1e-3);
  });

  it('is deterministic for a seed', () => {
    const { x, y } = problem(40, 10, 4, 2);
    const a = trainSoftmaxDual(x, y, 4, { seed: 3 });
    const b = trainSoftmaxDual(x, y, 4, { seed: 3 });
    expect([...a.scorer.weights]).toEqual([...b.scorer.weights]);
    expect([...a.scorer.bias]).toEqual([...b.scorer.bias]);
  });

  it('scores each fold as a refit without it would, once the unlearned model is re-solved', () => {
    const { x, y } = problem(48, 10, 3, 4);
    const folds = Int32Array.from({ length: 48 }, (_, r) => Math.floor(r / 3) % 4);
    const fit = trainSoftmaxDual(x, y, 3, { C: 5, maxEpochs: 300, tolerance: 0, seed: 1 }, { folds, unlearnEpochs: 300 });
    for (const f of [0, 2]) {
      const keep = [...folds.keys()].filter((r) => folds[r] !== f);
      const indptr = new Int32Array(keep.length + 1);
      const indices: number[] = [];
      const values: number[] = [];
      keep.forEach((r, t) => {
        for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) {
          indices.push(x.indices[k]!);
          values.push(x.values[k]!);
        }
        indptr[t + 1] = indices.length;
      });
      const sub: CsrMatrix = { rows: keep.length, cols: x.cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
      const refit = trainSoftmaxDual(sub, Int32Array.from(keep, (r) => y[r]!), 3, { C: 5, maxEpochs: 300, tolerance: 0, seed: 1 }).scorer;
      for (let r = 0; r < 48; r++) {
        if (folds[r] !== f) continue;
        for (let c = 0; c < 3; c++) {
          let s = refit.bias[c]!;
          for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) s += x.values[k]! * refit.weights[x.indices[k]! * 3 + c]!;
          expect(fit.outOfFoldScores[r * 3 + c]).toBeCloseTo(s, 3);
        }
      }
    }
  });
});
