import type { CsrMatrix } from './featurize';

/** The rows of `x` listed in `rows`, in that order, as a new CSR matrix with the same columns. */
export function selectRows(x: CsrMatrix, rows: ArrayLike<number>): CsrMatrix {
  let nnz = 0;
  for (let t = 0; t < rows.length; t++) nnz += x.indptr[rows[t]! + 1]! - x.indptr[rows[t]!]!;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let k = 0;
  for (let t = 0; t < rows.length; t++) {
    const start = x.indptr[rows[t]!]!;
    const end = x.indptr[rows[t]! + 1]!;
    indices.set(x.indices.subarray(start, end), k);
    values.set(x.values.subarray(start, end), k);
    k += end - start;
    indptr[t + 1] = k;
  }
  return { rows: rows.length, cols: x.cols, indptr, indices, values };
}

/** The rows of `parts` one after another, as one CSR matrix with `cols` columns. */
export function stackRows(parts: readonly CsrMatrix[], cols: number): CsrMatrix {
  let rows = 0;
  let nnz = 0;
  for (const part of parts) {
    rows += part.rows;
    nnz += part.indptr[part.rows]!;
  }
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let row = 0;
  let k = 0;
  for (const part of parts) {
    const used = part.indptr[part.rows]!;
    indices.set(part.indices.subarray(0, used), k);
    values.set(part.values.subarray(0, used), k);
    for (let r = 1; r <= part.rows; r++) indptr[row + r] = k + part.indptr[r]!;
    row += part.rows;
    k += used;
  }
  return { rows, cols, indptr, indices, values };
}

/** The rows of a row-major dense matrix (`width` values a row) listed in `rows`, in that order, as a new matrix. */
export function selectDenseRows(matrix: Float32Array, width: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * width);
  for (let t = 0; t < rows.length; t++) out.set(matrix.subarray(rows[t]! * width, (rows[t]! + 1) * width), t * width);
  return out;
}

/** Dot product of rows `a` and `b` of `x` (column indexes ascending within a row): their cosine when rows are L2-normalized. */
export function dotRows(x: CsrMatrix, a: number, b: number): number {
  let i = x.indptr[a]!;
  let j = x.indptr[b]!;
  const ia = x.indptr[a + 1]!;
  const jb = x.indptr[b + 1]!;
  let sum = 0;
  while (i < ia && j < jb) {
    const ca = x.indices[i]!;
    const cb = x.indices[j]!;
    if (ca === cb) sum += x.values[i++]! * x.values[j++]!;
    else if (ca < cb) i++;
    else j++;
  }
  return sum;
}
