/** Small dense linear algebra over row-major typed arrays, for the discovery embedding. */
import type { CsrMatrix } from '../featurize';
import type { Rng } from '../random';

/** A standard normal draw (Box–Muller) from a seeded rng. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** X (rows × cols CSR) times dense D (cols × l, row-major) → rows × l. */
export function multiplyCsrDense(x: CsrMatrix, d: Float64Array, l: number): Float64Array {
  const out = new Float64Array(x.rows * l);
  for (let r = 0; r < x.rows; r++) {
    const o = r * l;
    for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) {
      const v = x.values[p]!;
      const base = x.indices[p]! * l;
      for (let t = 0; t < l; t++) out[o + t] = out[o + t]! + v * d[base + t]!;
    }
  }
  return out;
}

/** Xᵀ (cols × rows) times dense D (rows × l) → cols × l. */
export function multiplyCsrTransposeDense(x: CsrMatrix, d: Float64Array, l: number): Float64Array {
  const out = new Float64Array(x.cols * l);
  for (let r = 0; r < x.rows; r++) {
    const o = r * l;
    for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) {
      const v = x.values[p]!;
      const base = x.indices[p]! * l;
      for (let t = 0; t < l; t++) out[base + t] = out[base + t]! + v * d[o + t]!;
    }
  }
  return out;
}

/** Dot product of a[ao..ao+n) and b[bo..bo+n), four accumulators. */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < n; t += 4) {
    s0 += a[ao + t]! * b[bo + t]!;
    s1 += a[ao + t + 1]! * b[bo + t + 1]!;
    s2 += a[ao + t + 2]! * b[bo + t + 2]!;
    s3 += a[ao + t + 3]! * b[bo + t + 3]!;
  }
  for (; t < n; t++) s0 += a[ao + t]! * b[bo + t]!;
  return s0 + s1 + s2 + s3;
}

/** The transpose of A (rows × cols, row-major) → cols × rows. */
function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}

/** AᵀA for A (rows × l, row-major) → l × l. */
export function gram(a: Float64Array, rows: number, l: number): Float64Array {
  const columns = transpose(a, rows, l);
  const g = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      const v = dot(columns, i * rows, columns, j * rows, rows);
      g[i * l + j] = v;
      g[j * l + i] = v;
    }
  }
  return g;
}

/**
 * Eigen-decomposition of a symmetric n × n matrix (cyclic Jacobi). Returns eigenvalues in descending order and
 * the eigenvectors as the columns of a row-major n × n matrix, in the same order.
 * References: Golub & Van Loan, "Matrix Computations", §8.5 (Jacobi methods).
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i]! * a[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! * a[i * n + j]!;
    }
    if (off <= 1e-22 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]! || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = a[from * n + from]!;
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from]!;
  });
  return { values, vectors };
}

/**
 * Orthonormalizes the columns of A (rows × l, row-major) in place by Cholesky-QR (`passes` times) via the eigen-decomposition
 * of AᵀA (columns with a negligible norm become zero).
 */
export function orthonormalizeColumns(a: Float64Array, rows: number, l: number, passes = 1): void {
  for (let pass = 0; pass < passes; pass++) {
    const { values, vectors } = symmetricEigen(gram(a, rows, l), l);
    const top = Math.max(values[0]!, 1e-300);
    const transform = new Float64Array(l * l);
    for (let i = 0; i < l; i++) {
      for (let j = 0; j < l; j++) {
        const scale = values[j]! > top * 1e-12 ? 1 / Math.sqrt(values[j]!) : 0;
        transform[i * l + j] = vectors[i * l + j]! * scale;
      }
    }
    multiplyDenseInPlace(a, rows, l, transform);
  }
}

/** Replaces A (rows × l) by A·T with T (l × l), row by row. */
export function multiplyDenseInPlace(a: Float64Array, rows: number, l: number, t: Float64Array): void {
  const columns = transpose(t, l, l);
  const row = new Float64Array(l);
  for (let r = 0; r < rows; r++) {
    const o = r * l;
    for (let j = 0; j < l; j++) row[j] = dot(a, o, columns, j * l, l);
    a.set(row, o);
  }
}

/**
 * A truncated SVD's right singular vectors and singular values. Only the columns the fitted matrix used are kept:
 * `components` is used × dims (row-major), `columnOf[c]` is column c's row in it, or −1 (its component is zero).
 */
export interface TruncatedSvd {
  readonly components: Float64Array;
  readonly columnOf: Int32Array;
  readonly singularValues: Float64Array;
  readonly dims: number;
}

/** The rows of X (rows × cols, sparse) projected on the SVD's components: X·V_k, rows × dims. */
export function projectRows(x: CsrMatrix, svd: TruncatedSvd): Float64Array {
  const l = svd.dims;
  const d = svd.components;
  const out = new Float64Array(x.rows * l);
  for (let r = 0; r < x.rows; r++) {
    const o = r * l;
    for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) {
      const m = x.indices[p]! < svd.columnOf.length ? svd.columnOf[x.indices[p]!]! : -1;
      if (m < 0) continue;
      const v = x.values[p]!;
      const base = m * l;
      for (let t = 0; t < l; t++) out[o + t] = out[o + t]! + v * d[base + t]!;
    }
  }
  return out;
}

/** X with its columns renumbered densely (only those holding a value), and the map from old to new numbers. */
function compactColumns(x: CsrMatrix): { matrix: CsrMatrix; columnOf: Int32Array } {
  const holds = new Uint8Array(x.cols);
  for (let p = 0; p < x.indices.length; p++) holds[x.indices[p]!] = 1;
  const columnOf = new Int32Array(x.cols);
  let used = 0;
  for (let c = 0; c < x.cols; c++) columnOf[c] = holds[c] === 1 ? used++ : -1;
  const indices = Int32Array.from(x.indices, (c) => columnOf[c]!);
  return { matrix: { rows: x.rows, cols: used, indptr: x.indptr, indices, values: x.values }, columnOf };
}

/**
 * Truncated SVD of a sparse matrix by randomized subspace iteration: `oversample` extra directions and
 * `powerIterations` passes of X·Xᵀ, orthonormalized in row space only, over the columns X uses (the random draws are
 * those of the full width, so the result does not depend on that). Project rows with `projectRows(x, svd)` (that is
 * X·V_k = U_k·S_k).
 * References: Halko, Martinsson, Tropp (2011), "Finding structure with randomness", Algorithms 4.3 and 5.1;
 * scikit-learn `TruncatedSVD(algorithm="randomized")`.
 */
export function randomizedSvd(full: CsrMatrix, k: number, rng: Rng, oversample = 10, powerIterations = 2): TruncatedSvd {
  const l = Math.max(1, Math.min(k + oversample, full.rows, full.cols));
  const { matrix: x, columnOf } = compactColumns(full);
  const omega = new Float64Array(x.cols * l);
  for (let c = 0; c < full.cols; c++) {
    const m = columnOf[c]!;
    for (let t = 0; t < l; t++) {
      const g = gaussian(rng);
      if (m >= 0) omega[m * l + t] = g;
    }
  }
  let q = multiplyCsrDense(x, omega, l);
  orthonormalizeColumns(q, x.rows, l);
  for (let it = 0; it < powerIterations; it++) {
    q = multiplyCsrDense(x, multiplyCsrTransposeDense(x, q, l), l);
    orthonormalizeColumns(q, x.rows, l);
  }
  const b = multiplyCsrTransposeDense(x, q, l);
  const xb = multiplyCsrDense(x, b, l);
  const qColumns = transpose(q, x.rows, l);
  const xbColumns = transpose(xb, x.rows, l);
  const small = new Float64Array(l * l);
  for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) small[i * l + j] = dot(qColumns, i * x.rows, xbColumns, j * x.rows, x.rows);
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) small[i * l + j] = small[j * l + i] = (small[i * l + j]! + small[j * l + i]!) / 2;
  const { values, vectors } = symmetricEigen(small, l);
  let dims = Math.min(k, l);
  while (dims > 1 && values[dims - 1]! <= values[0]! * 1e-12) dims--;
  const singularValues = new Float64Array(dims);
  for (let j = 0; j < dims; j++) singularValues[j] = Math.sqrt(Math.max(0, values[j]!));
  const w = new Float64Array(l * l);
  for (let i = 0; i < l; i++) for (let j = 0; j < dims; j++) w[i * l + j] = singularValues[j]! > 0 ? vectors[i * l + j]! / singularValues[j]! : 0;
  multiplyDenseInPlace(q, x.rows, l, w);
  const u = new Float64Array(x.rows * dims);
  for (let r = 0; r < x.rows; r++) for (let j = 0; j < dims; j++) u[r * dims + j] = q[r * l + j]!;
  const components = multiplyCsrTransposeDense(x, u, dims);
  return { components, columnOf, singularValues, dims };
}

/** L2-normalizes each row of A (rows × d) in place; zero rows stay zero. */
export function normalizeRows(a: Float64Array | Float32Array, rows: number, d: number): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[r * d + j]! * a[r * d + j]!;
    if (s <= 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) a[r * d + j] = a[r * d + j]! * inv;
  }
}
