/** A copy of `set` with `item` ticked (`on`) or not: a new Set, so the ref holding it triggers. */
export function withTicked<T>(set: ReadonlySet<T>, item: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
}
