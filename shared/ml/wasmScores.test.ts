import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from './featurize';
import { createRng } from './random';
import { softmaxInPlace } from './calibrate';
import { decisionScores, type LinearScorer } from './train';
import { createKernelExp, createScoreKernel, softmaxWithKernel, writeScoresWithKernel } from './wasmScores';

function randomScorer(classes: number, features: number, seed: number): LinearScorer {
  const rng = createRng(seed);
  return {
    classes,
    features,
    weights: Float32Array.from({ length: classes * features }, () => rng.next() * 2 - 1),
    bias: Float32Array.from({ length: classes }, () => rng.next() - 0.5),
  };
}

function randomRows(rows: number, cols: number, seed: number): CsrMatrix {
  const rng = createRng(seed);
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      if (rng.next() < 0.1) {
        indices.push(j);
        values.push(rng.next());
      }
    }
    indptr[r + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

describe('WebAssembly scoring kernel', () => {
  it('scores a hand-computed fixture: bias plus value × weight in f64, rounded once to f32, unknown columns dropped', () => {
    const classes = 11;
    const weights = new Float32Array(2 * classes);
    for (let c = 0; c < classes; c++) {
      weights[c] = c;
      weights[classes + c] = 0.1;
    }
    const scorer: LinearScorer = { classes, features: 2, weights, bias: Float32Array.from({ length: classes }, (_, c) => -c) };
    const x: CsrMatrix = { rows: 2, cols: 3, indptr: Int32Array.of(0, 3, 3), indices: Int32Array.of(0, 1, 2), values: Float32Array.of(0.5, 0.25, 9) };
    const kernel = createScoreKernel(scorer);
    expect(kernel).not.toBeNull();
    const out = new Float32Array(2 * classes);
    kernel!.write(x, out);
    const expected = Array.from({ length: classes }, (_, c) => Math.fround(-c + 0.5 * c + 0.25 * Math.fround(0.1)));
    expect([...out.subarray(0, classes)]).toEqual(expected);
    expect([...out.subarray(classes)]).toEqual(Array.from({ length: classes }, (_, c) => -c));
  });

  it('gives the same bits as the JavaScript loop for every class-count remainder', () => {
    for (const classes of [1, 2, 3, 7, 8, 9, 15, 16, 17, 150]) {
      const scorer = randomScorer(classes, 300, classes);
      const x = randomRows(120, 310, 1000 + classes);
      const js = decisionScores(scorer, x);
      const wasm = new Float32Array(js.length);
      createScoreKernel(scorer)!.write(x, wasm);
      expect(sameBits(wasm, js)).toBe(true);
    }
  });

  it('scores a row range of a larger matrix (a chunk view whose indptr does not start at 0)', () => {
    const scorer = randomScorer(10, 50, 3);
    const x = randomRows(40, 50, 4);
    const first = 7;
    const view: CsrMatrix = { rows: 20, cols: 50, indptr: x.indptr.subarray(first, first + 21), indices: x.indices, values: x.values };
    const out = new Float32Array(20 * 10);
    createScoreKernel(scorer)!.write(view, out);
    expect(sameBits(out, decisionScores(scorer, x).subarray(first * 10, (first + 20) * 10))).toBe(true);
  });

  it('leaves small one-off calls to JavaScript and takes over once the scorer has scored 2,048 rows', () => {
    const scorer = randomScorer(5, 40, 5);
    const x = randomRows(1500, 40, 6);
    const out = new Float32Array(1500 * 5);
    expect(writeScoresWithKernel(scorer, x, out)).toBe(false);
    expect(writeScoresWithKernel(scorer, x, out)).toBe(true);
    expect(sameBits(out, decisionScores({ ...scorer, weights: scorer.weights.slice() }, x))).toBe(true);
  });
});

describe('WebAssembly softmax', () => {
  it("computes fdlibm's exp: pinned values where newer V8 (Chromium 156) Math.exp differs in the last bit", () => {
    const exp = createKernelExp()!;
    const xs = [-38.31545412540436, -5.316934986039996, -13.954485328868032, 0, 1, -Infinity, 800, -800, Number.NaN];
    const expected = [2.289864064890474e-17, 0.004907773089232306, 8.702499838018902e-7, 1, Math.E, 0, Infinity, 0, Number.NaN];
    for (const shift of [0, 1]) {
      const got = exp(Float64Array.from([...xs.slice(shift), ...xs.slice(0, shift)]));
      expect([...got]).toEqual([...expected.slice(shift), ...expected.slice(0, shift)]);
    }
  });

  it("equals Node 20's Math.exp (V8's fdlibm port) lane-wise and alone, over the whole range and fdlibm's branch edges", () => {
    const exp = createKernelExp()!;
    const rng = createRng(11);
    const edges = [0.5 * Math.LN2, 1.5 * Math.LN2, 2 ** -28, 512, 708, 709.78, 745.13];
    const xs: number[] = [];
    for (const edge of edges) for (let d = -40; d <= 40; d++) xs.push(-edge * (1 + d * 2 ** -50), -edge * (1 + d * 2 ** -30));
    for (let i = 0; i < 300_000; i++) xs.push(i % 3 === 0 ? -rng.next() * 750 : i % 3 === 1 ? -rng.next() * 2 : (rng.next() - 0.5) * 1420);
    for (const shift of [0, 1]) {
      const args = Float64Array.from(xs.slice(shift));
      const got = exp(args);
      let differences = 0;
      args.forEach((x, i) => {
        if (!Object.is(got[i], Math.exp(x))) differences++;
      });
      expect(differences).toBe(0);
    }
  });

  it('gives the bits of softmaxInPlace, alone and fused after the scores', () => {
    const scorer = randomScorer(150, 200, 21);
    const x = randomRows(64, 200, 22);
    const expected = softmaxInPlace(decisionScores(scorer, x), 150, 0.14);
    const alone = decisionScores(scorer, x);
    expect(softmaxWithKernel(alone, 150, 0.14)).toBe(true);
    expect(sameBits(alone, expected)).toBe(true);
    const fused = new Float32Array(64 * 150);
    createScoreKernel(scorer)!.write(x, fused, 0.14);
    expect(sameBits(fused, expected)).toBe(true);
  });
});

describe('WebAssembly kernel batches', () => {
  it('scores and normalizes batches larger than its 1,024-row chunk the same as JavaScript', () => {
    const scorer = randomScorer(13, 60, 31);
    const x = randomRows(2500, 60, 32);
    const js = decisionScores(scorer, x);
    const wasm = new Float32Array(js.length);
    createScoreKernel(scorer)!.write(x, wasm);
    expect(sameBits(wasm, js)).toBe(true);
    const probs = js.slice();
    expect(softmaxWithKernel(probs, 13, 0.5)).toBe(true);
    expect(sameBits(probs, softmaxInPlace(js.slice(), 13, 0.5))).toBe(true);
  });
});
