/**
 * A share or probability in [0, 1] as a percentage with `digits` decimals (whole percent by default):
 * 0.1234 → "12%", (0.1234, 1) → "12.3%". A value that is not zero but would read as 0 reads "<1%" ("<0.1%" with one
 * decimal), and one that is not 1 but would read as 100 reads ">99%", so a rounded figure never claims certainty.
 * Values outside [0, 1] are clamped; a value that is not a number reads "0%".
 */
export function formatPercent(x: number, digits = 0): string {
  const p = Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
  const step = 10 ** -digits;
  const shown = (p * 100).toFixed(digits);
  if (p > 0 && Number(shown) === 0) return `<${step.toFixed(digits)}%`;
  if (p < 1 && Number(shown) === 100) return `>${(100 - step).toFixed(digits)}%`;
  return `${shown}%`;
}
