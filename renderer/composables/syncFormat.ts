/** How long ago something happened, in the unit the status bar shows. */
export type Ago = { readonly unit: 'justNow' } | { readonly unit: 'minutes' | 'hours' | 'days'; readonly n: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Buckets the time between `at` and `now` (epoch ms): under a minute is "just now", then whole minutes, hours, days. */
export function measureAgo(at: number, now: number): Ago {
  const elapsed = Math.max(0, now - at);
  if (elapsed < MINUTE) return { unit: 'justNow' };
  if (elapsed < HOUR) return { unit: 'minutes', n: Math.floor(elapsed / MINUTE) };
  if (elapsed < DAY) return { unit: 'hours', n: Math.floor(elapsed / HOUR) };
  return { unit: 'days', n: Math.floor(elapsed / DAY) };
}

/** What a key press means in the conflicts review. */
export type ConflictCommand = 'mine' | 'theirs' | 'up' | 'down';

/** Maps a key to a conflicts-review command (M keeps mine, T takes theirs, arrows move), or null. */
export function resolveConflictKey(press: { readonly key: string; readonly ctrlKey?: boolean; readonly metaKey?: boolean; readonly altKey?: boolean }): ConflictCommand | null {
  if (press.ctrlKey === true || press.metaKey === true || press.altKey === true) return null;
  switch (press.key) {
    case 'm':
    case 'M':
      return 'mine';
    case 't':
    case 'T':
      return 'theirs';
    case 'ArrowUp':
    case 'k':
      return 'up';
    case 'ArrowDown':
    case 'j':
      return 'down';
    default:
      return null;
  }
}

/** The row to select after the selected row at `index` left a list that now has `length` rows (-1 when empty). */
export function nextSelection(index: number, length: number): number {
  if (length === 0) return -1;
  return Math.min(Math.max(index, 0), length - 1);
}
