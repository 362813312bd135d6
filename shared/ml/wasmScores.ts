import type { CsrMatrix } from './featurize';
import { Code, F64, I32, name, section, uleb, V128, vector } from './wasmCode';

/** The parts of the WebAssembly JS API used here (not in the ES library typings; present in Node, browsers and workers). */
interface WasmApi {
  readonly Memory: new (descriptor: { initial: number }) => WasmMemory;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  readonly validate: (bytes: Uint8Array) => boolean;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The weights a kernel scores with (a `LinearScorer`'s fields). */
export interface ScorerTables {
  readonly classes: number;
  readonly features: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

type SoftmaxKernel = (rows: number, at: number, classes: number, beta: number) => void;

type ChunkKernel = (
  rows: number,
  indptr: number,
  indices: number,
  values: number,
  out: number,
  bases: number,
  vals: number,
  weights: number,
  bias: number,
  classes: number,
  features: number,
) => void;

const PAGE = 65536;
/** Classes per SIMD block in the kernel's main loop (accumulators are f64x2 pairs). */
const BLOCK_PAIRS = 4;

/**
 * Builds the scoring kernel: for each CSR row, the bucket-free column list becomes weight row offsets (columns at
 * or past `features` dropped, values widened to f64), then every class's sum starts from its bias and adds
 * value × weight in column order, in f64, and is rounded to f32 once: the same operations in the same order as
 * `decisionScores` in JavaScript, so the same bits.
 */
function buildKernelModule(): Uint8Array {
  const [rows, indptr, indices, values, out, bases, vals, weights, bias, classes, features] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [r, k, end, n, c, blockEnd, classBytes, t, b, j, rowOut] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
  const scalar = 22;
  const acc = (p: number): number => 23 + p;
  const splat = 23 + BLOCK_PAIRS;
  const locals = [
    [11, I32],
    [1, F64],
    [BLOCK_PAIRS + 1, V128],
  ];
  const code = new Code();
  code.get(classes).i32(2).shl().set(classBytes);
  code.get(classes).i32(~(BLOCK_PAIRS * 2 - 1)).and().i32(2).shl().set(blockEnd);
  code.i32(0).set(r);
  const classLoop = (pairs: number, last: number): void => {
    code.whileLoop((l) => {
      l.get(c).i32(pairs * 8).add().get(last).gtU().brIf(1);
      for (let p = 0; p < pairs; p++) l.get(bias).get(c).add().loadPairF32(p * 8).set(acc(p));
      l.i32(0).set(t);
      l.whileLoop((f) => {
        f.get(t).get(n).geU().brIf(1);
        f.get(bases).get(t).add().loadI32().get(c).add().set(b);
        f.get(vals).get(t).i32(1).shl().add().load64Splat().set(splat);
        for (let p = 0; p < pairs; p++) f.get(acc(p)).get(splat).get(b).loadPairF32(p * 8).mulF64x2().addF64x2().set(acc(p));
        f.get(t).i32(4).add().set(t);
      });
      if (pairs % 2 === 0) {
        for (let p = 0; p < pairs; p += 2) {
          l.get(rowOut).get(c).add().get(acc(p)).demoteF64x2().get(acc(p + 1)).demoteF64x2().joinLowHalves().storeV128(p * 8);
        }
      } else {
        for (let p = 0; p < pairs; p++) {
          l.get(rowOut).get(c).add().get(acc(p)).extractF64x2(0).demote().storeF32(p * 8);
          l.get(rowOut).get(c).add().get(acc(p)).extractF64x2(1).demote().storeF32(p * 8 + 4);
        }
      }
      l.get(c).i32(pairs * 8).add().set(c);
    });
  };
  code.whileLoop((rowLoop) => {
    rowLoop.get(r).get(rows).geU().brIf(1);
    rowLoop.get(indptr).get(r).i32(2).shl().add().loadI32().set(k);
    rowLoop.get(indptr).get(r).i32(2).shl().add().loadI32(4).set(end);
    rowLoop.i32(0).set(n);
    rowLoop.whileLoop((build) => {
      build.get(k).get(end).geU().brIf(1);
      build.get(indices).get(k).i32(2).shl().add().loadI32().set(j);
      build.get(j).get(features).ltU().ifThen((keep) => {
        keep.get(bases).get(n).add().get(weights).get(j).get(classBytes).mul().add().storeI32();
        keep.get(vals).get(n).i32(1).shl().add().get(values).get(k).i32(2).shl().add().loadF32().promote().storeF64();
        keep.get(n).i32(4).add().set(n);
      });
      build.get(k).i32(1).add().set(k);
    });
    rowLoop.get(out).get(r).get(classBytes).mul().add().set(rowOut);
    rowLoop.i32(0).set(c);
    classLoop(BLOCK_PAIRS, blockEnd);
    classLoop(1, classBytes);
    rowLoop.get(c).get(classBytes).ltU().ifThen((one) => {
      one.get(bias).get(c).add().loadF32().promote().set(scalar);
      one.i32(0).set(t);
      one.whileLoop((f) => {
        f.get(t).get(n).geU().brIf(1);
        f.get(scalar).get(vals).get(t).i32(1).shl().add().loadF64().get(bases).get(t).add().loadI32().get(c).add().loadF32().promote().mulF64().addF64().set(scalar);
        f.get(t).i32(4).add().set(t);
      });
      one.get(rowOut).get(c).add().get(scalar).demote().storeF32();
    });
    rowLoop.get(r).i32(1).add().set(r);
  });
  code.bytes.push(0x0b);
  const body = [...vector(locals.map(([count, type]) => [...uleb(count!), type!])), ...code.bytes];
  const expBody = buildExp();
  const softmaxBody = buildSoftmax();
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(
      1,
      vector([
        [0x60, ...vector(Array.from({ length: 11 }, () => [I32])), 0],
        [0x60, 1, F64, 1, F64],
        [0x60, 4, I32, I32, I32, F64, 0],
        [0x60, 1, V128, 1, V128],
        [0x60, 2, I32, I32, 0],
      ]),
    ),
    ...section(2, vector([[...name('m'), ...name('memory'), 0x02, 0x00, 0x01], [...name('m'), ...name('exp'), 0x00, 1]])),
    ...section(3, vector([[0], [1], [2], [3], [4]])),
    ...section(7, vector([[...name('score'), 0x00, FN_SCORE], [...name('exp'), 0x00, FN_EXP], [...name('softmax'), 0x00, FN_SOFTMAX], [...name('expArray'), 0x00, FN_EXP_ARRAY]])),
    ...section(10, vector([body, expBody, softmaxBody, buildExpPair(), buildExpArray()].map((b) => [...uleb(b.length), ...b]))),
  ]);
}

const FN_IMPORTED_EXP = 0;
const FN_SCORE = 1;
const FN_EXP = 2;
const FN_SOFTMAX = 3;
const FN_EXP_PAIR = 4;
const FN_EXP_ARRAY = 5;

/** exp in place over `n` f64 at `at`, two at a time with `buildExpPair` (the last one alone with `buildExp`). */
function buildExpArray(): number[] {
  const [at, n, p, end] = [0, 1, 2, 3];
  const e = new Code();
  e.get(at).set(p);
  e.get(at).get(n).i32(3).shl().add().set(end);
  e.whileLoop((l) => {
    l.get(p).i32(16).add().get(end).gtU().brIf(1);
    l.get(p).get(p).load64Splat().get(p).loadF64(8).replaceF64x2(1).call(FN_EXP_PAIR).storeV128();
    l.get(p).i32(16).add().set(p);
  });
  e.get(p).get(end).ltU().ifThen((last) => last.get(p).get(p).loadF64().call(FN_EXP).storeF64());
  e.bytes.push(0x0b);
  return [...vector([[2, I32]]), ...e.bytes];
}

/**
 * exp(x) as V8's `Math.exp` computes it: fdlibm's e_exp.c as adapted in V8's src/base/ieee754.cc (argument
 * reduction x = k·ln2 + r, the degree-5 Remez polynomial, scaling by 2^k), the same f64 operations in the same
 * order, so the same bits. |x| ≥ 709.78, infinities and NaN go to the imported `Math.exp` itself.
 */
function buildExp(): number[] {
  const [x, hx, xsb, k, hi, lo, t, c, y, twopk] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const e = new Code();
  e.get(x).highWord().set(hx);
  e.get(hx).i32(31).shrU().set(xsb);
  e.get(hx).i32(0x7fffffff).and().set(hx);
  e.get(hx).i32(0x40862e42).geU().ifThen((big) => big.get(x).call(FN_IMPORTED_EXP).ret());
  e.get(hx).i32(0x3fd62e42).gtU().ifElse(
    (reduce) => {
      reduce.get(hx).i32(0x3ff0a2b2).ltU().ifElse(
        (near) => {
          near.get(x).f64(1).eqF64().ifThen((one) => one.f64(2.718281828459045).ret());
          near.get(x).f64(-LN2_HI).f64(LN2_HI).get(xsb).select().subF64().set(hi);
          near.f64(-LN2_LO).f64(LN2_LO).get(xsb).select().set(lo);
          near.i32(1).get(xsb).i32(1).shl().sub().set(k);
        },
        (far) => {
          far.f64(INV_LN2).get(x).mulF64().f64(-0.5).f64(0.5).get(xsb).select().addF64().truncToI32().set(k);
          far.get(k).toF64().set(t);
          far.get(x).get(t).f64(LN2_HI).mulF64().subF64().set(hi);
          far.get(t).f64(LN2_LO).mulF64().set(lo);
        },
      );
      reduce.get(hi).get(lo).subF64().set(x);
    },
    (small) => {
      small.get(hx).i32(0x3e300000).ltU().ifThen((tiny) => tiny.f64(1).get(x).addF64().ret());
    },
  );
  e.get(x).get(x).mulF64().set(t);
  e.get(k).i32(-1021).geS().ifElseF64(
    (normal) => normal.get(k).i32(20).shl().i32(0x3ff00000).add().fromHighWord(),
    (tiny) => tiny.get(k).i32(1000).add().i32(20).shl().i32(0x3ff00000).add().fromHighWord(),
  );
  e.set(twopk);
  e.get(x).get(t).f64(P1).get(t).f64(P2).get(t).f64(P3).get(t).f64(P4).get(t).f64(P5);
  e.mulF64().addF64().mulF64().addF64().mulF64().addF64().mulF64().addF64().mulF64().subF64().set(c);
  e.get(k).eqz().ifThen((zero) => zero.f64(1).get(x).get(c).mulF64().get(c).f64(2).subF64().divF64().get(x).subF64().subF64().ret());
  e.f64(1).get(lo).get(x).get(c).mulF64().f64(2).get(c).subF64().divF64().subF64().get(hi).subF64().subF64().set(y);
  e.get(k).i32(-1021).geS().ifElseF64(
    (normal) =>
      normal.get(k).i32(1024).eq().ifElseF64(
        (top) => top.get(y).f64(2).mulF64().f64(TWO_1023).mulF64(),
        (other) => other.get(y).get(twopk).mulF64(),
      ),
    (tiny) => tiny.get(y).get(twopk).mulF64().f64(TWO_M1000).mulF64(),
  );
  e.bytes.push(0x0b);
  return [...vector([[3, I32], [6, F64]]), ...e.bytes];
}

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const TWO_1023 = 8.988465674311579539e307;
const TWO_M1000 = 9.33263618503218878990e-302;

/**
 * exp of both f64 lanes, each lane the bits of `buildExp`: for −512 < x ≤ 0 it runs fdlibm's steps lane-wise
 * (k from invln2·x ± ½, which for 0.5·ln2 < |x| < 1.5·ln2 gives the ±1 that fdlibm's special case uses; the k = 0
 * and |x| < 2⁻²⁸ results chosen per lane with masks); other arguments go lane by lane to `buildExp`.
 */
function buildExpPair(): number[] {
  const [x, reduce, k, t, hi, lo, xr, tt, c, r0, r1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const e = new Code();
  e.get(x).splatConstF64(-512).gtF64x2().get(x).splatConstF64(0).leF64x2().andV128().allTrueI64x2().eqz();
  e.ifThen((lanes) => lanes.get(x).extractF64x2(0).call(FN_EXP).splatF64().get(x).extractF64x2(1).call(FN_EXP).replaceF64x2(1).ret());
  e.get(x).absF64x2().splatConstF64(REDUCE_FROM).geF64x2().set(reduce);
  e.splatConstF64(INV_LN2).get(x).mulF64x2().splatConstF64(0.5).get(x).splatConstF64(-0).andV128().orV128().addF64x2();
  e.truncF64x2ToI32().get(reduce).get(reduce).narrowI64Masks().andV128().set(k);
  e.get(k).lowI32ToF64x2().set(t);
  e.get(x).get(t).splatConstF64(LN2_HI).mulF64x2().subF64x2().set(hi);
  e.get(t).splatConstF64(LN2_LO).mulF64x2().set(lo);
  e.get(hi).get(lo).subF64x2().get(x).get(reduce).bitselect().set(xr);
  e.get(xr).get(xr).mulF64x2().set(tt);
  e.get(xr).get(tt).splatConstF64(P1).get(tt).splatConstF64(P2).get(tt).splatConstF64(P3).get(tt).splatConstF64(P4).get(tt).splatConstF64(P5);
  e.mulF64x2().addF64x2().mulF64x2().addF64x2().mulF64x2().addF64x2().mulF64x2().addF64x2().mulF64x2().subF64x2().set(c);
  e.splatConstF64(1).get(xr).get(c).mulF64x2().get(c).splatConstF64(2).subF64x2().divF64x2().get(xr).subF64x2().subF64x2().set(r0);
  e.splatConstF64(1).get(lo).get(xr).get(c).mulF64x2().splatConstF64(2).get(c).subF64x2().divF64x2().subF64x2().get(hi).subF64x2().subF64x2();
  e.get(k).i32(20).shlI32x4().splatConstI32(0x3ff00000).addI32x4().widenLowI32().i32(32).shlI64x2().mulF64x2().set(r1);
  e.get(r0).get(r1).get(k).splatConstI32(0).eqI32x4().widenLowI32().bitselect().set(r1);
  e.splatConstF64(1).get(x).addF64x2().get(r1).get(x).absF64x2().splatConstF64(TINY).ltF64x2().bitselect();
  e.bytes.push(0x0b);
  return [...vector([[10, V128]]), ...e.bytes];
}

/** The smallest |x| whose high word is above 0x3FD62E42 (fdlibm reduces the argument from there). */
const REDUCE_FROM = new Float64Array(new Uint32Array([0, 0x3fd62e43]).buffer)[0]!;
/** 2⁻²⁸: below it fdlibm returns 1 + x. */
const TINY = 2 ** -28;

/**
 * In-place softmax(score · beta) of `rows` f32 rows of `classes` at `at`, as `softmaxInPlace`: the row maximum,
 * e = exp((s − max) · beta) stored as f32 and summed in f64, then each stored e divided by the sum.
 */
function buildSoftmax(): number[] {
  const [rows, at, classes, beta, r, base, c, end, max, sum, e, pair] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const s = new Code();
  s.i32(0).set(r);
  s.get(at).set(base);
  s.whileLoop((row) => {
    row.get(r).get(rows).geU().brIf(1);
    row.get(base).get(classes).i32(2).shl().add().set(end);
    row.f64(-Infinity).set(max);
    row.get(base).set(c);
    row.whileLoop((l) => {
      l.get(c).get(end).geU().brIf(1);
      l.get(c).loadF32().promote().get(max).gtF64().ifThen((more) => more.get(c).loadF32().promote().set(max));
      l.get(c).i32(4).add().set(c);
    });
    row.f64(0).set(sum);
    row.get(base).set(c);
    row.whileLoop((l) => {
      l.get(c).i32(8).add().get(end).gtU().brIf(1);
      l.get(c).loadPairF32().get(max).splatF64().subF64x2().get(beta).splatF64().mulF64x2().call(FN_EXP_PAIR).set(pair);
      l.get(c).get(pair).extractF64x2(0).demote().storeF32();
      l.get(c).get(pair).extractF64x2(1).demote().storeF32(4);
      l.get(sum).get(pair).extractF64x2(0).addF64().get(pair).extractF64x2(1).addF64().set(sum);
      l.get(c).i32(8).add().set(c);
    });
    row.get(c).get(end).ltU().ifThen((last) => {
      last.get(c).loadF32().promote().get(max).subF64().get(beta).mulF64().call(FN_EXP).set(e);
      last.get(c).get(e).demote().storeF32();
      last.get(sum).get(e).addF64().set(sum);
    });
    row.get(base).set(c);
    row.whileLoop((l) => {
      l.get(c).i32(8).add().get(end).gtU().brIf(1);
      l.get(c).loadPairF32().get(sum).splatF64().divF64x2().set(pair);
      l.get(c).get(pair).extractF64x2(0).demote().storeF32();
      l.get(c).get(pair).extractF64x2(1).demote().storeF32(4);
      l.get(c).i32(8).add().set(c);
    });
    row.get(c).get(end).ltU().ifThen((last) => last.get(c).get(c).loadF32().promote().get(sum).divF64().demote().storeF32());
    row.get(end).set(base);
    row.get(r).i32(1).add().set(r);
  });
  s.bytes.push(0x0b);
  return [...vector([[4, I32], [3, F64], [1, V128]]), ...s.bytes];
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

let kernelModule: object | null | undefined;

function compiledKernel(): object | null {
  if (kernelModule !== undefined) return kernelModule;
  kernelModule = null;
  const api = wasmApi();
  if (!api) return null;
  try {
    const bytes = buildKernelModule();
    if (api.validate(bytes)) kernelModule = new api.Module(bytes);
  } catch {
    kernelModule = null;
  }
  return kernelModule;
}

/** A scoring kernel bound to one scorer: its weights live in the kernel's own memory. */
export interface ScoreKernel {
  /**
   * Writes the linear scores of `x` (rows × classes, row-major) to `out`, bit-identical to `decisionScores`; with a
   * temperature, the probabilities softmax(score / temperature) instead, bit-identical to `softmaxInPlace`.
   */
  write(x: CsrMatrix, out: Float32Array, temperature?: number): void;
}

/**
 * Compiles the WebAssembly SIMD scoring kernel and copies the scorer's weights into its memory; null when
 * WebAssembly (with SIMD) is not available here. The kernel adds the same f64 products in the same order as the
 * JavaScript loop of `decisionScores` and rounds once to f32, so its scores are the same bits.
 */
export function createScoreKernel(tables: ScorerTables): ScoreKernel | null {
  const module = compiledKernel();
  const api = wasmApi();
  if (!module || !api) return null;
  const { classes, features } = tables;
  const weightBytes = classes * features * 4;
  const tablesEnd = align(weightBytes + classes * 4, 64);
  const memory = new api.Memory({ initial: Math.ceil(tablesEnd / PAGE) + 1 });
  const { exports } = new api.Instance(module, { m: { memory, exp: Math.exp } });
  const score = exports['score'] as ChunkKernel;
  const softmax = exports['softmax'] as SoftmaxKernel;
  new Float32Array(memory.buffer, 0, classes * features).set(tables.weights.subarray(0, classes * features));
  new Float32Array(memory.buffer, weightBytes, classes).set(tables.bias);
  return {
    write(x, out, temperature) {
      for (let from = 0; from < x.rows; from += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, x.rows - from);
        const first = x.indptr[from]!;
        const nnz = x.indptr[from + rows]! - first;
        let maxRow = 0;
        for (let r = from; r < from + rows; r++) maxRow = Math.max(maxRow, x.indptr[r + 1]! - x.indptr[r]!);
        const indptrAt = tablesEnd;
        const indicesAt = align(indptrAt + (rows + 1) * 4, 64);
        const valuesAt = align(indicesAt + nnz * 4, 64);
        const basesAt = align(valuesAt + nnz * 4, 64);
        const valsAt = align(basesAt + maxRow * 4, 64);
        const outAt = align(valsAt + maxRow * 8, 64);
        ensureBytes(memory, outAt + rows * classes * 4);
        const buffer = memory.buffer;
        const indptr = new Int32Array(buffer, indptrAt, rows + 1);
        for (let r = 0; r <= rows; r++) indptr[r] = x.indptr[from + r]! - first;
        new Int32Array(buffer, indicesAt, nnz).set(x.indices.subarray(first, first + nnz));
        new Float32Array(buffer, valuesAt, nnz).set(x.values.subarray(first, first + nnz));
        score(rows, indptrAt, indicesAt, valuesAt, outAt, basesAt, valsAt, 0, weightBytes, classes, features);
        if (temperature !== undefined) softmax(rows, outAt, classes, 1 / temperature);
        out.set(new Float32Array(buffer, outAt, rows * classes), from * classes);
      }
    },
  };
}

interface SoftmaxInstance {
  readonly softmax: SoftmaxKernel;
  readonly memory: WasmMemory;
}

let softmaxInstance: SoftmaxInstance | null | undefined;

/**
 * Turns row-major scores (rows × classes) into probabilities in place, p = softmax(score / temperature), with the
 * kernel's exp, and returns true; returns false, changing nothing, where WebAssembly is missing (the caller then
 * uses `softmaxInPlace`). Gives the bits `softmaxInPlace` gives with V8's fdlibm `Math.exp` (Node 20), whatever
 * this runtime's `Math.exp` is, so every runtime with WebAssembly computes the same probabilities.
 */
export function softmaxWithKernel(scores: Float32Array, classes: number, temperature: number): boolean {
  if (softmaxInstance === undefined) {
    const module = compiledKernel();
    const api = wasmApi();
    softmaxInstance = null;
    if (module && api) {
      try {
        const memory = new api.Memory({ initial: 1 });
        softmaxInstance = { memory, softmax: new api.Instance(module, { m: { memory, exp: Math.exp } }).exports['softmax'] as SoftmaxKernel };
      } catch {
        softmaxInstance = null;
      }
    }
  }
  if (!softmaxInstance) return false;
  const { memory, softmax } = softmaxInstance;
  const rows = scores.length / classes;
  for (let from = 0; from < rows; from += CHUNK_ROWS) {
    const chunk = scores.subarray(from * classes, Math.min(from + CHUNK_ROWS, rows) * classes);
    ensureBytes(memory, chunk.byteLength);
    const view = new Float32Array(memory.buffer, 0, chunk.length);
    view.set(chunk);
    softmax(chunk.length / classes, 0, classes, 1 / temperature);
    chunk.set(view);
  }
  return true;
}

/**
 * The kernel's exp applied to each of `xs` (two at a time with the lane-wise version softmax uses, the last one of an
 * odd count alone), to check it against `Math.exp`; null where WebAssembly is missing.
 */
export function createKernelExp(): ((xs: Float64Array) => Float64Array) | null {
  const module = compiledKernel();
  const api = wasmApi();
  if (!module || !api) return null;
  const memory = new api.Memory({ initial: 1 });
  const expArray = new api.Instance(module, { m: { memory, exp: Math.exp } }).exports['expArray'] as (at: number, n: number) => void;
  return (xs) => {
    ensureBytes(memory, xs.byteLength);
    const view = new Float64Array(memory.buffer, 0, xs.length);
    view.set(xs);
    expArray(0, xs.length);
    return view.slice();
  };
}

/** Rows the kernel takes at a time, so its memory stays a few megabytes above the weights whatever the batch. */
const CHUNK_ROWS = 1024;

function ensureBytes(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
}

function align(bytes: number, to: number): number {
  return Math.ceil(bytes / to) * to;
}

/** Rows a scorer scores in JavaScript before its weights are copied into a kernel (small one-off calls stay in JS). */
const ROWS_BEFORE_KERNEL = 2048;

interface KernelState {
  rows: number;
  kernel: ScoreKernel | null | undefined;
}

const kernelStates = new WeakMap<Float32Array, KernelState>();

/**
 * Writes the linear scores of `x` to `out` with the scorer's kernel and returns true; or returns false, writing
 * nothing, while the scorer has scored fewer than ROWS_BEFORE_KERNEL rows or where WebAssembly SIMD is missing or
 * refused (a content security policy without 'wasm-unsafe-eval', no memory for the weights)
 * (the caller then runs the JavaScript loop, which gives the same bits). With a temperature it writes the
 * probabilities softmax(score / temperature) instead, as `softmaxInPlace` would.
 */
export function writeScoresWithKernel(tables: ScorerTables, x: CsrMatrix, out: Float32Array, temperature?: number): boolean {
  let state = kernelStates.get(tables.weights);
  if (!state) {
    state = { rows: 0, kernel: undefined };
    kernelStates.set(tables.weights, state);
  }
  if (state.kernel === undefined) {
    state.rows += x.rows;
    if (state.rows < ROWS_BEFORE_KERNEL) return false;
    try {
      state.kernel = createScoreKernel(tables);
    } catch {
      state.kernel = null;
    }
  }
  if (!state.kernel) return false;
  state.kernel.write(x, out, temperature);
  return true;
}
