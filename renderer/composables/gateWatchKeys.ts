/** The parts of a key press the Models view's watch looks at. */
export interface WatchKeyPress {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  /** True while a text field or dialog has the focus. */
  readonly inField: boolean;
  /** True while the watch offers a rollback (the active version degraded and there is one to return to). */
  readonly rollbackOffered: boolean;
}

/** R rolls back when the watch offers it; null for every other key (and inside fields or with modifiers). */
export function resolveWatchKey(press: WatchKeyPress): 'rollback' | null {
  if (press.inField || press.ctrlKey || press.metaKey || press.altKey || !press.rollbackOffered) return null;
  return press.key === 'r' || press.key === 'R' ? 'rollback' : null;
}
