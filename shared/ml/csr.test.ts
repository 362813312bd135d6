import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from './featurize';
import { selectRows } from './csr';

describe('selectRows', () => {
  it('copies the listed rows in order, repeats and empty rows included', () => {
    // Rows: 0 → {1: 0.5}, 1 → {}, 2 → {0: 1, 3: 2}.
    const x: CsrMatrix = { rows: 3, cols: 4, indptr: Int32Array.from([0, 1, 1, 3]), indices: Int32Array.from([1, 0, 3]), values: Float32Array.from([0.5, 1, 2]) };
    const picked = selectRows(x, [2, 1, 0, 2]);
    expect(picked.rows).toBe(4);
    expect(picked.cols).toBe(4);
    expect([...picked.indptr]).toEqual([0, 2, 2, 3, 5]);
    expect([...picked.indices]).toEqual([0, 3, 1, 0, 3]);
    expect([...picked.values]).toEqual([1, 2, 0.5, 1, 2]);
  });
});
