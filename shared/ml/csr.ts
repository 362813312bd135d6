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
