/** A square slice of the confusion matrix: rows are actual classes, columns predicted, in the order of `classes`. */
export interface ConfusionSlice {
  /** Class indexes, most confused first. */
  readonly classes: readonly number[];
  /** counts[a][p]: items of class classes[a] predicted as classes[p] (the diagonal holds the correct ones). */
  readonly counts: readonly (readonly number[])[];
}

/**
 * The confusion matrix restricted to the `limit` classes most involved in errors: each class weighs its off-diagonal
 * count as actual plus as predicted; classes with no error are left out; ties go to the lower class index.
 * `predicted` and `truth` are class indexes, index-aligned (pass out-of-fold predictions for an honest picture).
 */
export function mostConfusedSlice(predicted: Int32Array, truth: Int32Array, classes: number, limit = 12): ConfusionSlice {
  const errors = new Float64Array(classes);
  for (let i = 0; i < truth.length; i++) {
    if (predicted[i] === truth[i]) continue;
    errors[truth[i]!]!++;
    errors[predicted[i]!]!++;
  }
  const chosen = [...errors.keys()]
    .filter((c) => errors[c]! > 0)
    .sort((a, b) => errors[b]! - errors[a]! || a - b)
    .slice(0, limit);
  const position = new Map(chosen.map((c, k) => [c, k]));
  const counts = chosen.map(() => new Array<number>(chosen.length).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const a = position.get(truth[i]!);
    const p = position.get(predicted[i]!);
    if (a !== undefined && p !== undefined) counts[a]![p]!++;
  }
  return { classes: chosen, counts };
}
